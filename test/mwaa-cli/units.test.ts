/** The pure parts of the mwaa CLI: argument parsing, reply decoding, outcome rules, error classification. */
import { commandTextFromWords, parseArgs, parseTimeoutMs } from '../../mwaa-cli/args';
import { AirflowError, AuthError, BadReplyError, ExitCode, NetworkError, UsageError } from '../../mwaa-cli/errors';
import { failureKind, networkError } from '../../mwaa-cli/http';
import {
  cliOutcome,
  decodeApiReply,
  decodeCliReply,
  describeRequest,
  redact,
  restApiPath,
  sessionCookieFrom,
  sessionFromLogin,
  significantStderr,
  webserverOrigin,
} from '../../mwaa-cli/protocol';
import { resolveTarget, teamAccessRoleArn } from '../../mwaa-cli/target';
import { awsError, roleSessionName } from '../../mwaa-cli/tokens';
import type { PlatformConfig, TeamConfig } from '../../model/model';
import { teamSchema } from '../../model/schema/team';
import { boundedName } from '../../constructs/common/names';

const b64 = (t: string) => Buffer.from(t).toString('base64');
/** The error `fn` throws, to check its hint as well as its message. */
function caught(fn: () => unknown): { message: string; hint?: string } {
  try {
    fn();
  } catch (error) {
    return error as { message: string; hint?: string };
  }
  throw new Error('expected an error');
}
const reply = (status: number, body: string, headers: Record<string, string | string[]> = { 'content-type': 'application/json' }) => ({
  status,
  headers,
  body,
});

describe('parseArgs', () => {
  const base = ['--team', 'analytics', '--env', 'analytics-prod'];

  it('takes the Airflow command after -- or from the first non-flag word', () => {
    expect(parseArgs(['cli', ...base, '--', 'dags', 'list', '-o', 'json'])).toMatchObject({
      kind: 'cli',
      commandText: 'dags list -o json',
    });
    expect(parseArgs(['cli', ...base, 'dags', 'list', '--output', 'json'])).toMatchObject({ commandText: 'dags list --output json' });
    expect(parseArgs(['cli', ...base, '--command-text', "dags trigger x -c '{}'"])).toMatchObject({
      commandText: "dags trigger x -c '{}'",
    });
  });

  it('reads target options with defaults and --flag=value', () => {
    const cmd = parseArgs(['cli', '--team=analytics', '--env', 'analytics-prod', '--timeout=5', '--', 'version']);
    expect(cmd).toMatchObject({ target: { team: 'analytics', env: 'analytics-prod', timeoutMs: 5000, verbose: false, role: undefined } });
    expect(parseArgs(['cli', ...base, '--no-role', '--', 'version'])).toMatchObject({ target: { role: null } });
    expect(parseArgs(['cli', ...base, '--', 'version'])).toMatchObject({ target: { timeoutMs: 60_000 }, ignoreStderr: false });
  });

  it('parses api method, path and body source', () => {
    expect(parseArgs(['api', ...base, 'get', '/dags'])).toMatchObject({ kind: 'api', method: 'GET', path: '/dags', body: undefined });
    expect(parseArgs(['api', ...base, 'POST', '/dags/x/dagRuns', '--data', '{"conf":{}}'])).toMatchObject({
      body: { kind: 'inline', text: '{"conf":{}}' },
    });
    expect(parseArgs(['api', ...base, 'POST', '/x', '--data', '@conf.json'])).toMatchObject({ body: { kind: 'file', path: 'conf.json' } });
    expect(parseArgs(['api', ...base, 'PATCH', '/x', '--data', '-'])).toMatchObject({ body: { kind: 'stdin' } });
  });

  it('parses config-check and help', () => {
    expect(parseArgs(['config-check', '--team', 'analytics'])).toEqual({
      kind: 'config-check',
      team: 'analytics',
      env: undefined,
      configDir: undefined,
    });
    expect(parseArgs([])).toEqual({ kind: 'help', topic: undefined });
    expect(parseArgs(['api', '--help'])).toEqual({ kind: 'help', topic: 'api' });
    expect(parseArgs(['help', 'cli'])).toEqual({ kind: 'help', topic: 'cli' });
  });

  it.each([
    [['shell'], /unknown command "shell"/],
    [['cli', '--env', 'e', '--', 'version'], /needs --team/],
    [['cli', ...base], /no Airflow command given/],
    [['cli', ...base, '--bogus', '--', 'x'], /unknown option --bogus/],
    [['cli', ...base, '--team', 'x', '--', 'x'], /--team given twice/],
    [['cli', ...base, '--role', 'admin', '--', 'x'], /--role must be an IAM role ARN/],
    [['cli', ...base, '--no-role', '--role', 'arn:aws:iam::222222222222:role/r', '--', 'x'], /exclude each other/],
    [['cli', ...base, '--timeout', '-1', '--', 'x'], /--timeout must be/],
    [['cli', '--team', '--env', 'e', '--', 'x'], /--team needs a value/],
    [['cli', ...base, '--command-text', 'version', 'dags'], /either as words or with --command-text/],
    [['api', ...base, 'GET'], /needs a method and a path/],
    [['api', ...base, 'HEAD', '/dags'], /unsupported method/],
    [['api', ...base, 'GET', 'dags'], /must start with "\/"/],
    [['api', ...base, 'GET', '/dags', '--data', '{}'], /--data cannot be sent with GET/],
    [['api', ...base, 'POST', '/x', '--data', '@'], /needs a file name/],
    [['config-check', 'extra'], /unexpected argument "extra"/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });

  it('quotes only words a shell would split or interpret', () => {
    expect(commandTextFromWords(['dags', 'list', '-o', 'json'])).toBe('dags list -o json');
    expect(commandTextFromWords(['variables', 'set', 'k', "it's a value"])).toBe(`variables set k 'it'"'"'s a value'`);
    expect(commandTextFromWords(['tasks', 'test', 'd', 't', '2024-01-01T00:00:00+00:00'])).toBe('tasks test d t 2024-01-01T00:00:00+00:00');
    expect(commandTextFromWords(['x', '$HOME', ''])).toBe(`x '$HOME' ''`);
  });

  it('bounds the timeout', () => {
    expect(parseTimeoutMs('0.25')).toBe(250);
    expect(() => parseTimeoutMs('0')).toThrow(UsageError);
    expect(() => parseTimeoutMs('abc')).toThrow(UsageError);
    expect(() => parseTimeoutMs('3601')).toThrow(UsageError);
  });
});

describe('CLI reply and outcome', () => {
  it('decodes base64 stdout and stderr, also from an error status', () => {
    expect(decodeCliReply(reply(200, JSON.stringify({ stdout: b64('out ✓'), stderr: b64('') })))).toEqual({ stdout: 'out ✓', stderr: '' });
    expect(decodeCliReply(reply(400, JSON.stringify({ stdout: '', stderr: b64('bad') })))).toEqual({ stdout: '', stderr: 'bad' });
  });

  it('classifies refusals, non-JSON and wrong shapes', () => {
    expect(() => decodeCliReply(reply(403, 'Forbidden', {}))).toThrow(AuthError);
    expect(() => decodeCliReply(reply(401, ''))).toThrow(AuthError);
    expect(() => decodeCliReply(reply(200, '<html/>', { 'content-type': 'text/html' }))).toThrow(BadReplyError);
    expect(caught(() => decodeCliReply(reply(502, 'Bad Gateway', { 'content-type': 'text/plain' }))).hint).toMatch(/updating/);
    expect(caught(() => decodeCliReply(reply(302, '', { location: '/login' }))).hint).toMatch(/redirect to a login page/);
    expect(() => decodeCliReply(reply(200, '{"stdout": 1}'))).toThrow(BadReplyError);
    expect(() => decodeCliReply(reply(200, '{"stdout": "not base64!", "stderr": ""}'))).toThrow(BadReplyError);
    expect(() => decodeCliReply(reply(400, '{"error": "Command not supported"}'))).toThrow(AirflowError);
  });

  it('counts stderr as failure unless it only holds warnings', () => {
    const ok = { stdout: 'x', stderr: '' };
    expect(cliOutcome(200, ok, false)).toEqual({ failed: false });
    expect(cliOutcome(500, ok, true)).toEqual({ failed: true, reason: 'the webserver answered HTTP 500' });
    const warnings = '/a.py:1: DeprecationWarning: x\n  import y\n/b.py:2: RemovedInAirflow3Warning: z\n  foo()\n\n';
    expect(significantStderr(warnings)).toEqual([]);
    expect(cliOutcome(200, { stdout: '', stderr: warnings }, false).failed).toBe(false);
    expect(cliOutcome(200, { stdout: '', stderr: `${warnings}DAG: nope does not exist in 'dag' table\n` }, false)).toEqual({
      failed: true,
      reason: "Airflow reported on stderr: DAG: nope does not exist in 'dag' table",
    });
    expect(
      cliOutcome(200, { stdout: '', stderr: 'Traceback (most recent call last):\n  File "x"\nValueError: boom\n' }, false).reason,
    ).toBe('Airflow raised ValueError: boom');
    expect(cliOutcome(200, { stdout: '', stderr: 'Traceback ...' }, true).failed).toBe(false);
  });
});

describe('web login and REST API replies', () => {
  it('finds the session cookie among Set-Cookie headers', () => {
    expect(sessionCookieFrom(['a=1', 'session=abc.def; HttpOnly; Path=/'])).toBe('abc.def');
    expect(sessionCookieFrom('session=xyz')).toBe('xyz');
    expect(sessionCookieFrom(['session=; Max-Age=0'])).toBeUndefined();
    expect(sessionCookieFrom(undefined)).toBeUndefined();
  });

  it('accepts a login redirect with a session cookie and refuses the rest', () => {
    expect(sessionFromLogin(reply(302, '', { 'set-cookie': ['session=s1; Path=/'] } as never))).toBe('s1');
    expect(() => sessionFromLogin(reply(403, ''))).toThrow(AuthError);
    expect(() => sessionFromLogin(reply(200, 'hi', {}))).toThrow(/without a session cookie/);
    expect(() => sessionFromLogin(reply(503, 'down', {}))).toThrow(BadReplyError);
  });

  it('returns JSON on 2xx and turns Airflow problems into typed errors', () => {
    expect(decodeApiReply(reply(200, '{"dags": []}'))).toEqual({ dags: [] });
    expect(decodeApiReply(reply(204, ''))).toBeUndefined();
    expect(() => decodeApiReply(reply(409, '{"title": "Conflict", "detail": "DAGRun exists"}'))).toThrow(
      'the REST API answered HTTP 409: Conflict — DAGRun exists',
    );
    expect(() => decodeApiReply(reply(401, '{"title": "Unauthorized"}'))).toThrow(AuthError);
    expect(() => decodeApiReply(reply(200, '<html/>', { 'content-type': 'text/html' }))).toThrow(BadReplyError);
  });

  it('builds REST API paths and webserver origins', () => {
    expect(restApiPath('/dags', '2.10.3')).toBe('/api/v1/dags');
    expect(restApiPath('/api/v1/dags?limit=2', '2.10.3')).toBe('/api/v1/dags?limit=2');
    expect(restApiPath('/api/v1', '2.10.3')).toBe('/api/v1');
    expect(webserverOrigin('h.airflow.amazonaws.com')).toBe('https://h.airflow.amazonaws.com');
    expect(webserverOrigin('h', 'http://127.0.0.1:8080/ignored')).toBe('http://127.0.0.1:8080');
    expect(() => webserverOrigin('h', 'ftp://x')).toThrow(/http\(s\) URL/);
  });

  it('never echoes credentials', () => {
    expect(describeRequest('GET', 'https://h/api/v1/dags', { Cookie: 'session=abc; other=def', Accept: 'application/json' })).toBe(
      '> GET https://h/api/v1/dags\n> Cookie: session=<redacted>; other=<redacted>\n> Accept: application/json',
    );
    expect(describeRequest('POST', 'https://h/aws_mwaa/cli', { Authorization: 'Bearer tok' })).toContain(
      'Authorization: Bearer <redacted>',
    );
    expect(redact('a tok123 b tok123', ['tok123', undefined, 'ab'])).toBe('a <redacted> b <redacted>');
  });
});

describe('network failures', () => {
  const priv = { host: 'h', privateWebserver: true };
  const pub = { host: 'h', privateWebserver: false };

  it('maps socket codes to kinds', () => {
    expect(failureKind('ENOTFOUND')).toBe('dns');
    expect(failureKind('ECONNREFUSED')).toBe('refused');
    expect(failureKind('CONNECT_TIMEOUT')).toBe('connect-timeout');
    expect(failureKind('REPLY_TIMEOUT')).toBe('reply-timeout');
    expect(failureKind('ECONNRESET')).toBe('reset');
    expect(failureKind('UNABLE_TO_VERIFY_LEAF_SIGNATURE')).toBe('tls');
    expect(failureKind(undefined)).toBe('other');
  });

  it('suggests the VPN only for private webservers, and never for slow replies', () => {
    for (const kind of ['dns', 'refused', 'connect-timeout'] as const) {
      expect(networkError(kind, priv, 1000).hint).toMatch(/VPN/);
      expect(networkError(kind, pub, 1000).hint).not.toMatch(/VPN/);
    }
    const slow = networkError('reply-timeout', priv, 1500);
    expect(slow).toBeInstanceOf(NetworkError);
    expect(slow.exitCode).toBe(ExitCode.NETWORK);
    expect(slow.message).toBe('no reply from the Airflow webserver h within 1.5s');
    expect(slow.hint).not.toMatch(/VPN/);
  });
});

describe('target resolution', () => {
  const team = (yaml: object): TeamConfig => ({ ...teamSchema.parse(yaml), file: 'config/teams/x.yaml' });
  const config = {
    platform: { platform: 'acme-data', region: 'eu-west-1' },
    teams: [
      team({
        team: 'analytics',
        accountId: '222222222222',
        access: { principals: ['arn:aws:iam::222222222222:role/A'] },
        environments: [{ name: 'prod' }],
      }),
      team({ team: 'ops', accountId: '444444444444', environments: [{ name: 'ops', webserverAccessMode: 'PUBLIC_ONLY' }] }),
    ],
  } as unknown as PlatformConfig;

  it('derives the access role name in one place, with the partition of the region', () => {
    expect(teamAccessRoleArn({ platform: 'p', region: 'eu-west-1' }, { team: 't', accountId: '222222222222' })).toBe(
      'arn:aws:iam::222222222222:role/p-t-airflow-access',
    );
    expect(teamAccessRoleArn({ platform: 'p', region: 'cn-north-1' }, { team: 't', accountId: '222222222222' })).toBe(
      'arn:aws-cn:iam::222222222222:role/p-t-airflow-access',
    );
    // Past 64 characters the stack shortens names with a hash; the CLI must agree.
    const long = teamAccessRoleArn(
      { platform: 'a-very-long-platform-name-x', region: 'eu-west-1' },
      { team: 'an-even-longer-team-name-yz', accountId: '222222222222' },
    );
    expect(long).toBe(
      `arn:aws:iam::222222222222:role/${boundedName('a-very-long-platform-name-x-an-even-longer-team-name-yz-airflow-access', 64)}`,
    );
    expect(long.split('/')[1]).toHaveLength(64);
  });

  it('uses the team role when access is configured, and flags override', () => {
    expect(resolveTarget(config, { team: 'analytics', env: 'prod' })).toMatchObject({
      region: 'eu-west-1',
      roleArn: 'arn:aws:iam::222222222222:role/acme-data-analytics-airflow-access',
      privateWebserver: true,
    });
    expect(resolveTarget(config, { team: 'analytics', env: 'prod', role: null }).roleArn).toBeUndefined();
    expect(resolveTarget(config, { team: 'analytics', env: 'prod', role: 'arn:aws:iam::1:role/x', region: 'us-east-1' })).toMatchObject({
      roleArn: 'arn:aws:iam::1:role/x',
      region: 'us-east-1',
    });
    expect(resolveTarget(config, { team: 'ops', env: 'ops' })).toMatchObject({ roleArn: undefined, privateWebserver: false });
    expect(() => resolveTarget(config, { team: 'analytics', env: 'prod', region: 'europe' })).toThrow(/--region must be/);
  });
});

describe('AWS errors', () => {
  const target = {
    team: 'analytics',
    accountId: '222222222222',
    environment: { name: 'prod' },
    region: 'eu-west-1',
    roleArn: 'arn:aws:iam::222222222222:role/r',
    privateWebserver: true,
  } as never;
  const err = (name: string, extra: object = {}) => Object.assign(new Error(`${name} happened`), { name, ...extra });

  it.each([
    ['CredentialsProviderError', {}, 'AssumeRole', AuthError, /no AWS credentials/],
    ['ExpiredToken', {}, 'AssumeRole', AuthError, /expired or invalid/],
    ['AccessDenied', {}, 'AssumeRole', AuthError, /access\.principals/],
    ['AccessDeniedException', {}, 'CreateCliToken', AuthError, /airflow:CreateCliToken/],
    ['ResourceNotFoundException', {}, 'CreateWebLoginToken', UsageError, /not deployed yet/],
    ['Error', { code: 'ENOTFOUND' }, 'CreateCliToken', NetworkError, /internet connection/],
    ['InternalServerException', { $metadata: { httpStatusCode: 500 } }, 'CreateCliToken', NetworkError, /retry/],
    ['ValidationException', {}, 'CreateCliToken', UsageError, /ValidationException/],
  ] as const)('maps %s %j during %s', (name, extra, step, type, text) => {
    const mapped = awsError(err(name, extra), step, target);
    expect(mapped).toBeInstanceOf(type);
    expect(`${mapped.message} ${mapped.hint ?? ''}`).toMatch(text);
  });

  it('names the STS session after the user, within STS limits', () => {
    expect(roleSessionName('jane.doe')).toBe('mwaa-cli-jane.doe');
    expect(roleSessionName('DOMAIN\\jane doe')).toBe('mwaa-cli-DOMAIN-jane-doe');
    expect(roleSessionName('x'.repeat(100))).toHaveLength(64);
  });
});
