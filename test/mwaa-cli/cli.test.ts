/**
 * End to end: `main()` with the real SDK clients mocked by aws-sdk-client-mock and a fake MWAA
 * webserver on 127.0.0.1 (MWAA_ENDPOINT_OVERRIDE). No traffic leaves loopback.
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateCliTokenCommand, CreateWebLoginTokenCommand, MWAAClient, ResourceNotFoundException } from '@aws-sdk/client-mwaa';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { main, type Runtime } from '../../mwaa-cli/cli';
import { ExitCode } from '../../mwaa-cli/errors';
import { cliReply, json, startFakeWebserver, TEAMS, writeConfig, type FakeWebserver } from './fixtures';
import { fixtureConfigWith } from '../support/config-fixture';
import { loadPlatformConfig } from '../../model/load';

const CLI_TOKEN = 'cli-token-SECRET-1234';
const WEB_TOKEN = 'web-token-SECRET-5678';
const SESSION = 'session-cookie-SECRET-9012';
const HOST = 'abcd1234.c2.eu-west-1.airflow.amazonaws.com';

/**
 * aws-sdk-client-mock is typed against another @smithy/types than these SDK versions, so its
 * generics reject the clients at compile time (it works at runtime). This loose view is the boundary.
 */
interface LooseStub {
  on(command: unknown): { resolves(output: unknown): unknown; rejects(error: unknown): unknown };
  commandCalls(
    command: unknown,
  ): Array<{ readonly args: [{ readonly input: Record<string, unknown> }]; readonly thisValue: { config: { region(): Promise<string> } } }>;
  calls(): unknown[];
  reset(): void;
  resetHistory(): void;
}
const mwaa = mockClient(MWAAClient as never) as unknown as LooseStub;
const sts = mockClient(STSClient as never) as unknown as LooseStub;
let server: FakeWebserver;
let configDir: string;

beforeAll(async () => {
  server = await startFakeWebserver();
  configDir = writeConfig();
});
afterAll(() => server.close());

beforeEach(() => {
  mwaa.reset();
  sts.reset();
  server.requests.length = 0;
  sts.on(AssumeRoleCommand).resolves({
    Credentials: {
      AccessKeyId: 'AKIAEXAMPLE',
      SecretAccessKey: 'secret',
      SessionToken: 'sts-session',
      Expiration: new Date(Date.now() + 900_000),
    },
  });
  mwaa.on(CreateCliTokenCommand).resolves({ CliToken: CLI_TOKEN, WebServerHostname: HOST });
  mwaa.on(CreateWebLoginTokenCommand).resolves({ WebToken: WEB_TOKEN, WebServerHostname: HOST });
});

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(argv: readonly string[], options: { origin?: string; stdin?: string } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const runtime: Runtime = {
    io: { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readStdin: async () => options.stdin ?? '' },
    defaultConfigDir: configDir,
    env: { MWAA_ENDPOINT_OVERRIDE: options.origin ?? server.origin },
  };
  const code = await main(argv, runtime);
  // Whatever happened, no token or cookie may reach the terminal.
  for (const secret of [CLI_TOKEN, WEB_TOKEN, SESSION]) expect(stdout + stderr).not.toContain(secret);
  return { code, stdout, stderr };
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const analytics = ['--team', 'analytics', '--env', 'analytics-prod'];
const marketing = ['--team', 'marketing', '--env', 'marketing-campaigns'];

describe('mwaa cli', () => {
  it('sends the command with the bearer token as text/plain and prints decoded stdout', async () => {
    server.handler = (_req, res) => cliReply(res, 'dag_id | fileloc\nhello | /dags/hello.py\n');
    const r = await run(['cli', ...analytics, '--', 'dags', 'list', '-o', 'json']);

    expect(r.code).toBe(ExitCode.OK);
    expect(r.stdout).toBe('dag_id | fileloc\nhello | /dags/hello.py\n');
    expect(r.stderr).toContain('MWAA_ENDPOINT_OVERRIDE is set');
    expect(server.requests).toHaveLength(1);
    const [req] = server.requests;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/aws_mwaa/cli');
    expect(req.headers.authorization).toBe(`Bearer ${CLI_TOKEN}`);
    expect(req.headers['content-type']).toBe('text/plain');
    expect(req.body).toBe('dags list -o json');

    // Role from the team config, token from the environment named on the command line.
    expect(sts.commandCalls(AssumeRoleCommand)[0].args[0].input).toMatchObject({
      RoleArn: 'arn:aws:iam::222222222222:role/acme-data-analytics-airflow-access',
    });
    expect(mwaa.commandCalls(CreateCliTokenCommand)[0].args[0].input).toEqual({ Name: 'analytics-prod' });
    expect(await mwaa.commandCalls(CreateCliTokenCommand)[0].thisValue.config.region()).toBe('eu-west-1');
  });

  it('quotes words so a conf with spaces stays one argument', async () => {
    server.handler = (_req, res) => cliReply(res, 'triggered\n');
    const r = await run(['cli', ...analytics, '--', 'dags', 'trigger', 'hello', '-c', '{"day": "2024-01-31"}']);
    expect(r.code).toBe(0);
    expect(server.requests[0].body).toBe(`dags trigger hello -c '{"day": "2024-01-31"}'`);
  });

  it('exits 1 and prints Airflow stderr when Airflow raised', async () => {
    const traceback =
      'Traceback (most recent call last):\n  File "/usr/local/bin/airflow", line 8\nairflow.exceptions.AirflowException: Dag id nope not found\n';
    server.handler = (_req, res) => cliReply(res, '', traceback);
    const r = await run(['cli', ...analytics, '--', 'dags', 'trigger', 'nope']);
    expect(r.code).toBe(ExitCode.AIRFLOW);
    expect(r.stderr).toContain(traceback);
    expect(r.stderr).toContain(
      'error: Airflow raised airflow.exceptions.AirflowException: Dag id nope not found (analytics-prod: dags trigger nope)',
    );
  });

  it('succeeds when stderr holds only Python warnings, and with --ignore-stderr whatever stderr holds', async () => {
    server.handler = (_req, res) => cliReply(res, 'ok\n', '/x/y.py:3 DeprecationWarning: old\n  import thing\n');
    expect((await run(['cli', ...analytics, '--', 'version'])).code).toBe(0);
    server.handler = (_req, res) => cliReply(res, '', 'Error: something\n');
    expect((await run(['cli', ...analytics, '--', 'version'])).code).toBe(ExitCode.AIRFLOW);
    expect((await run(['cli', ...analytics, '--ignore-stderr', '--', 'version'])).code).toBe(0);
  });

  it('exits 3 with a hint when the webserver refuses the token', async () => {
    server.handler = (_req, res) => json(res, 403, { message: 'Forbidden' });
    const r = await run(['cli', ...analytics, '--', 'dags', 'list']);
    expect(r.code).toBe(ExitCode.AUTH);
    expect(r.stderr).toMatch(/error: the webserver refused the CLI token \(HTTP 403\)/);
    expect(r.stderr).toMatch(/hint: tokens live 60 seconds/);
  });

  it('exits 5 when the reply is not JSON', async () => {
    server.handler = (_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html>Sign in to the VPN</html>');
    const r = await run(['cli', ...analytics, '--', 'dags', 'list']);
    expect(r.code).toBe(ExitCode.BAD_REPLY);
    expect(r.stderr).toContain('/aws_mwaa/cli answered HTTP 200 with text/html, not JSON: <html>Sign in to the VPN</html>');
    expect(r.stderr).toMatch(/hint: a proxy, captive portal or VPN login page/);
  });

  it('exits 4 after --timeout when the webserver does not answer', async () => {
    server.handler = (_req, res) => setTimeout(() => cliReply(res, 'late'), 2000).unref();
    const started = Date.now();
    const r = await run(['cli', ...analytics, '--timeout', '0.2', '--', 'dags', 'list']);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(r.code).toBe(ExitCode.NETWORK);
    expect(r.stderr).toContain(`error: no reply from the Airflow webserver ${HOST} within 0.2s`);
    expect(r.stderr).toMatch(/raise --timeout/);
  });

  it('exits 4 with the VPN hint when a private webserver is unreachable', async () => {
    const origin = `http://127.0.0.1:${await closedPort()}`;
    const r = await run(['cli', ...analytics, '--', 'dags', 'list'], { origin });
    expect(r.code).toBe(ExitCode.NETWORK);
    expect(r.stderr).toContain(`error: cannot connect to the Airflow webserver ${HOST} (ECONNREFUSED)`);
    expect(r.stderr).toMatch(/hint: this environment uses a PRIVATE_ONLY webserver.*VPN/);
  });

  it('does not suggest the VPN for a public webserver', async () => {
    const origin = `http://127.0.0.1:${await closedPort()}`;
    const r = await run(['cli', ...marketing, '--', 'dags', 'list'], { origin });
    expect(r.code).toBe(ExitCode.NETWORK);
    expect(r.stderr).not.toMatch(/VPN/);
  });

  it('exits 2 for an unknown team or environment before calling AWS', async () => {
    const team = await run(['cli', '--team', 'nope', '--env', 'x', '--', 'dags', 'list']);
    expect(team.code).toBe(ExitCode.USAGE);
    expect(team.stderr).toContain('error: unknown team "nope"\nhint: teams in this configuration: analytics, marketing');
    const env = await run(['cli', '--team', 'analytics', '--env', 'prod', '--', 'dags', 'list']);
    expect(env.code).toBe(ExitCode.USAGE);
    expect(env.stderr).toContain('environments of analytics: analytics-prod, analytics-dev');
    expect(mwaa.calls()).toHaveLength(0);
    expect(sts.calls()).toHaveLength(0);
  });

  it('lets flags override the region and the role, and --no-role skip STS', async () => {
    server.handler = (_req, res) => cliReply(res, 'ok\n');
    const role = 'arn:aws:iam::222222222222:role/BreakGlass';
    expect((await run(['cli', ...analytics, '--region', 'eu-central-1', '--role', role, '--', 'version'])).code).toBe(0);
    expect(sts.commandCalls(AssumeRoleCommand)[0].args[0].input.RoleArn).toBe(role);
    expect(await mwaa.commandCalls(CreateCliTokenCommand)[0].thisValue.config.region()).toBe('eu-central-1');

    sts.resetHistory();
    expect((await run(['cli', ...analytics, '--no-role', '--', 'version'])).code).toBe(0);
    expect(sts.calls()).toHaveLength(0);
  });

  it('explains AWS refusals: role not assumable (3), environment not deployed (2)', async () => {
    sts.on(AssumeRoleCommand).rejects(Object.assign(new Error('not authorized to perform sts:AssumeRole'), { name: 'AccessDenied' }));
    const denied = await run(['cli', ...analytics, '--', 'version']);
    expect(denied.code).toBe(ExitCode.AUTH);
    expect(denied.stderr).toContain('error: you may not assume arn:aws:iam::222222222222:role/acme-data-analytics-airflow-access');
    expect(denied.stderr).toContain('access.principals of team "analytics"');

    mwaa.on(CreateCliTokenCommand).rejects(new ResourceNotFoundException({ message: 'Environment not found', $metadata: {} }));
    const missing = await run(['cli', ...analytics, '--no-role', '--', 'version']);
    expect(missing.code).toBe(ExitCode.USAGE);
    expect(missing.stderr).toContain('environment "analytics-prod" does not exist in account 222222222222, region eu-west-1');
  });

  it('redacts the token in --verbose request echoes', async () => {
    server.handler = (_req, res) => cliReply(res, 'ok\n');
    const r = await run(['cli', ...analytics, '--verbose', '--', 'version']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`> POST ${server.origin}/aws_mwaa/cli\n> Authorization: Bearer <redacted>\n> Content-Type: text/plain`);
  });
});

describe('mwaa api', () => {
  /** Speaks /aws_mwaa/login (form token → session cookie) and checks the cookie on /api/v1. */
  function restServer(
    api: (req: { method: string; url: string; body: string; contentType?: string }) => { status: number; body?: unknown; raw?: string },
  ) {
    server.handler = (req, res) => {
      if (req.url === '/aws_mwaa/login') {
        if (req.method !== 'POST' || req.body !== `token=${WEB_TOKEN}`) return json(res, 403, { error: 'bad token' });
        res.writeHead(302, { Location: '/home', 'Set-Cookie': [`session=${SESSION}; HttpOnly; Path=/; Secure`, 'other=1'] }).end();
        return;
      }
      if (req.headers.cookie !== `session=${SESSION}`) return json(res, 401, { title: 'Unauthorized', status: 401 });
      const out = api({ method: req.method, url: req.url, body: req.body, contentType: req.headers['content-type'] });
      if (out.raw !== undefined) return res.writeHead(out.status, { 'Content-Type': 'text/html' }).end(out.raw);
      if (out.body === undefined) return res.writeHead(out.status).end();
      json(res, out.status, out.body);
    };
  }

  it('logs in with the web token and GETs /api/v1/<path> with the session cookie', async () => {
    restServer((req) =>
      req.method === 'GET' && req.url === '/api/v1/dags?limit=1'
        ? { status: 200, body: { dags: [{ dag_id: 'hello' }], total_entries: 1 } }
        : { status: 404 },
    );
    const r = await run(['api', ...analytics, 'GET', '/dags?limit=1']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ dags: [{ dag_id: 'hello' }], total_entries: 1 });
    const [login, get] = server.requests;
    expect(login.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(get.headers.accept).toBe('application/json');
    expect(mwaa.commandCalls(CreateWebLoginTokenCommand)[0].args[0].input).toEqual({ Name: 'analytics-prod' });
  });

  it('POSTs a JSON body to trigger a DAG run with conf, from inline, @file or stdin', async () => {
    const seen: unknown[] = [];
    restServer((req) => {
      if (req.method !== 'POST' || req.url !== '/api/v1/dags/hello/dagRuns' || req.contentType !== 'application/json')
        return { status: 400 };
      seen.push(JSON.parse(req.body));
      return { status: 200, body: { dag_run_id: 'manual__1', state: 'queued' } };
    });
    const body = '{"conf": {"day": "2024-01-31"}}';
    const file = join(configDir, 'conf.json');
    writeFileSync(file, body);
    for (const [data, stdin] of [[body], [`@${file}`], ['-', body]] as const) {
      const r = await run(['api', ...analytics, 'POST', '/dags/hello/dagRuns', '--data', data], { stdin });
      expect(r.code).toBe(0);
      expect(JSON.parse(r.stdout)).toMatchObject({ state: 'queued' });
    }
    expect(seen).toEqual([{ conf: { day: '2024-01-31' } }, { conf: { day: '2024-01-31' } }, { conf: { day: '2024-01-31' } }]);
  });

  it('exits 1 with Airflow problem details on 404, and 3 on 403', async () => {
    restServer(() => ({ status: 404, body: { title: 'DAG not found', detail: 'DAG with dag_id: nope not found', status: 404 } }));
    const missing = await run(['api', ...analytics, 'GET', '/dags/nope']);
    expect(missing.code).toBe(ExitCode.AIRFLOW);
    expect(missing.stderr).toContain('error: the REST API answered HTTP 404: DAG not found — DAG with dag_id: nope not found');

    restServer(() => ({ status: 403, body: { title: 'Forbidden', status: 403 } }));
    const forbidden = await run(['api', ...marketing, 'POST', '/dags/x/dagRuns', '--data', '{}']);
    expect(forbidden.code).toBe(ExitCode.AUTH);
    expect(forbidden.stderr).toMatch(/Viewer cannot trigger/);
  });

  it('exits 3 when the login refuses the web token, 5 on a non-JSON API reply', async () => {
    mwaa.on(CreateWebLoginTokenCommand).resolves({ WebToken: 'expired-token-XYZ', WebServerHostname: HOST });
    restServer(() => ({ status: 200, body: {} }));
    const refused = await run(['api', ...analytics, 'GET', '/dags']);
    expect(refused.code).toBe(ExitCode.AUTH);
    expect(refused.stderr).toContain('refused the web login token (HTTP 403)');
    expect(refused.stderr).not.toContain('expired-token-XYZ');

    mwaa.on(CreateWebLoginTokenCommand).resolves({ WebToken: WEB_TOKEN, WebServerHostname: HOST });
    restServer(() => ({ status: 200, raw: '<html>oops</html>' }));
    const html = await run(['api', ...analytics, 'GET', '/dags']);
    expect(html.code).toBe(ExitCode.BAD_REPLY);
  });

  it('rejects invalid JSON in --data before asking AWS for a token', async () => {
    const r = await run(['api', ...analytics, 'POST', '/dags/hello/dagRuns', '--data', '{conf:']);
    expect(r.code).toBe(ExitCode.USAGE);
    expect(r.stderr).toContain('--data (inline) is not valid JSON');
    expect(mwaa.calls()).toHaveLength(0);
  });

  it('redacts the session cookie in --verbose echoes', async () => {
    restServer(() => ({ status: 204 }));
    const r = await run(['api', ...analytics, '--verbose', 'DELETE', '/dags/hello/dagRuns/manual__1']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('> Cookie: session=<redacted>');
  });
});

describe('mwaa config-check', () => {
  it('prints the options each environment of the team will get', async () => {
    const r = await run(['config-check', '--team', 'analytics']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      [
        '  analytics-prod: Airflow 2.10.3, mw1.small, PRIVATE_ONLY',
        '    celery.worker_autoscale = 10,10',
        '    core.default_task_retries = 2',
        '  analytics-dev: Airflow 2.10.3, mw1.small, PRIVATE_ONLY',
        '    (no airflow_configuration_options)',
      ].join('\n'),
    );
    expect(r.stdout).not.toContain('marketing');
  });

  it('fails with the loader problems (exit 2) when an option is invalid', async () => {
    const dir = writeConfig({
      analytics:
        'team: analytics\naccountId: "222222222222"\nenvironments:\n  - name: a\n    airflowConfigurationOptions:\n      core.parallelism: 32\n',
    });
    const r = await run(['config-check', '--team', 'analytics', '--config-dir', dir]);
    expect(r.code).toBe(ExitCode.USAGE);
    expect(r.stderr).toContain('environments[0].airflowConfigurationOptions.core.parallelism');
  });

  it('shows the options secretsBackend adds, as synthesis merges them', async () => {
    const dir = writeConfig({
      ops: 'team: ops\naccountId: "444444444444"\nenvironments:\n  - name: ops-main\n    secretsBackend: {}\n    airflowConfigurationOptions:\n      core.default_task_retries: "1"\n',
    });
    const r = await run(['config-check', '--config-dir', dir, '--env', 'ops-main']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      [
        '    core.default_task_retries = 1',
        '    secrets.backend = airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend   (from secretsBackend)',
        '    secrets.backend_kwargs = {"connections_prefix":"airflow/connections","variables_prefix":"airflow/variables"}   (from secretsBackend)',
      ].join('\n'),
    );
  });

  it("prints the platform's options too (the CodeArtifact mirror's coordinates), marked, only for environments that read the mirror", async () => {
    const dir = fixtureConfigWith({});
    const config = loadPlatformConfig(dir);
    const mirror = config.contract?.codeArtifact;
    expect(mirror).toBeDefined();
    const readers = config.teams.flatMap((t) => t.environments).filter((e) => e.requirementsFile || e.startupScriptFile);
    const others = config.teams.flatMap((t) => t.environments).filter((e) => !e.requirementsFile && !e.startupScriptFile);
    expect(readers.length).toBeGreaterThan(0);
    const r = await run(['config-check', '--config-dir', dir]);
    expect(r.code).toBe(0);
    const blockOf = (env: string): string[] => {
      const lines = r.stdout.split('\n');
      const start = lines.findIndex((l) => l.startsWith(`  ${env}: `));
      const end = lines.findIndex((l, i) => i > start && !l.startsWith('    '));
      return lines.slice(start + 1, end);
    };
    const platformLines = [
      `    codeartifact.domain = ${mirror!.domain}   (set by the platform: its CodeArtifact mirror)`,
      `    codeartifact.domain_owner = ${mirror!.domainOwner}   (set by the platform: its CodeArtifact mirror)`,
      `    codeartifact.repository = ${mirror!.repository}   (set by the platform: its CodeArtifact mirror)`,
    ];
    for (const env of readers) expect(blockOf(env.name)).toEqual(expect.arrayContaining(platformLines));
    for (const env of others) expect(blockOf(env.name).join('\n')).not.toContain('codeartifact.');
  });

  it('exits 2 for an unknown team', async () => {
    const r = await run(['config-check', '--team', 'nope']);
    expect(r.code).toBe(ExitCode.USAGE);
    expect(r.stderr).toContain('unknown team "nope"');
  });
});

describe('--team T when another team file is broken', () => {
  // marketing's file is broken three ways (YAML, schema, path); analytics must still work, with a warning.
  const broken = (marketing: string) => writeConfig({ ...TEAMS, marketing });
  const cases: ReadonlyArray<[string, string, RegExp]> = [
    [
      'not valid YAML',
      'team: marketing\naccountId: "333333333333\n',
      /config\/teams\/marketing\.yaml: not valid YAML at line 2, column 12/,
    ],
    [
      'a schema error',
      'team: marketing\naccountId: 333333333333\n',
      /config\/teams\/marketing\.yaml at accountId: must be a 12-digit AWS account id.*write it in quotes/,
    ],
    [
      'a path outside its folder',
      'team: marketing\naccountId: "333333333333"\ndagsPath: /etc\n',
      /config\/teams\/marketing\.yaml at dagsPath: \/etc is an absolute path/,
    ],
  ];

  it.each(cases)('config-check --team analytics passes and warns about marketing (%s)', async (_what, marketing, warning) => {
    const r = await run(['config-check', '--team', 'analytics', '--config-dir', broken(marketing)]);
    expect(r.code).toBe(ExitCode.OK);
    expect(r.stdout).toContain('configuration valid');
    expect(r.stdout).toContain('analytics-prod: Airflow 2.10.3');
    expect(r.stderr).toMatch(/^warning: another team file has problems; ignored for --team analytics:\n/);
    expect(r.stderr).toMatch(warning);
  });

  it.each(cases)('cli --team analytics reaches the environment and warns about marketing (%s)', async (_what, marketing, warning) => {
    server.handler = (_req, res) => cliReply(res, 'ok\n');
    const r = await run(['cli', ...analytics, '--config-dir', broken(marketing), '--', 'version']);
    expect(r.code).toBe(ExitCode.OK);
    expect(r.stdout).toBe('ok\n');
    expect(r.stderr).toMatch(warning);
  });

  it('api --team analytics works too', async () => {
    server.handler = (req, res) => {
      if (req.url === '/aws_mwaa/login')
        res.writeHead(302, { Location: '/home', 'Set-Cookie': [`session=${SESSION}; HttpOnly; Path=/; Secure`] }).end();
      else json(res, 200, { dags: [] });
    };
    const r = await run(['api', ...analytics, '--config-dir', broken(cases[1][1]), 'GET', '/dags']);
    expect(r.code).toBe(ExitCode.OK);
    expect(JSON.parse(r.stdout)).toEqual({ dags: [] });
    expect(r.stderr).toMatch(cases[1][2]);
  });

  it('still fails for the broken team itself, and for config-check without --team', async () => {
    const dir = broken(cases[1][1]);
    const own = await run(['config-check', '--team', 'marketing', '--config-dir', dir]);
    expect(own.code).toBe(ExitCode.USAGE);
    expect(own.stderr).toMatch(cases[1][2]);
    const all = await run(['config-check', '--config-dir', dir]);
    expect(all.code).toBe(ExitCode.USAGE);
    expect(all.stderr).toMatch(cases[1][2]);
  });
});
