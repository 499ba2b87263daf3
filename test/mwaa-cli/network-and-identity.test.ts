/**
 * The `mwaa` command's environment handling: HTTPS_PROXY / HTTP_PROXY / NO_PROXY (through a proxy on 127.0.0.1
 * that records what it is asked), REST API v2 for Airflow 3, `mwaa --version`, and an AWS_PROFILE that does not
 * exist. Nothing leaves loopback.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateCliTokenCommand, CreateWebLoginTokenCommand, MWAAClient } from '@aws-sdk/client-mwaa';
import { mockClient } from 'aws-sdk-client-mock';
import { main, type Runtime } from '../../mwaa-cli/cli';
import { ExitCode } from '../../mwaa-cli/errors';
import { get as httpsGet, createServer as createHttpsServer } from 'node:https';
import { bypassesProxy, HttpsProxyTunnelAgent, proxyFor } from '../../mwaa-cli/proxy';
import { restApiPath } from '../../mwaa-cli/protocol';
import { awsTokenSource, missingProfile } from '../../mwaa-cli/tokens';
import { cliReply, json, startFakeWebserver, TEAMS, writeConfig, type FakeWebserver } from './fixtures';

interface Proxy {
  readonly url: string;
  /** `CONNECT host:port` authorities it was asked for. */
  readonly connects: string[];
  /** Answer to CONNECT: tunnel to the real target, or refuse. */
  mode: 'tunnel' | 'refuse';
  close(): Promise<void>;
}

/** A minimal CONNECT proxy on 127.0.0.1. */
async function startProxy(): Promise<Proxy> {
  const connects: string[] = [];
  const sockets = new Set<Socket>();
  const state: { mode: 'tunnel' | 'refuse' } = { mode: 'tunnel' };
  const server: Server = createHttpServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client: Socket, head: Buffer) => {
    sockets.add(client);
    connects.push(req.url ?? '');
    if (state.mode === 'refuse') {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connects,
    get mode() {
      return state.mode;
    },
    set mode(m) {
      state.mode = m;
    },
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const HOST = 'abcd1234.c2.eu-west-1.airflow.amazonaws.com';
const mwaa = mockClient(MWAAClient as never) as unknown as { on(c: unknown): { resolves(o: unknown): unknown }; reset(): void };
let server: FakeWebserver;
let proxy: Proxy;
let configDir: string;

beforeAll(async () => {
  server = await startFakeWebserver();
  proxy = await startProxy();
  configDir = writeConfig({
    ...TEAMS,
    airflow3: `team: airflow3
accountId: "444444444444"
environments:
  - name: af3-prod
    airflowVersion: "3.0.6"
    webserverAccessMode: PUBLIC_ONLY
`,
  });
});
afterAll(async () => {
  await server.close();
  await proxy.close();
});
beforeEach(() => {
  mwaa.reset();
  mwaa.on(CreateCliTokenCommand).resolves({ CliToken: 'cli-token-SECRET', WebServerHostname: HOST });
  mwaa.on(CreateWebLoginTokenCommand).resolves({ WebToken: 'web-token-SECRET', WebServerHostname: HOST });
  server.requests.length = 0;
  proxy.connects.length = 0;
  proxy.mode = 'tunnel';
});

async function run(argv: readonly string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const runtime: Runtime = {
    io: { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readStdin: async () => '' },
    defaultConfigDir: configDir,
    env: { MWAA_ENDPOINT_OVERRIDE: server.origin, ...env },
  };
  const code = await main(argv, runtime);
  return { code, stdout, stderr };
}

const port = () => new URL(server.origin).port;

describe('proxies', () => {
  it('sends webserver requests through HTTP_PROXY as a CONNECT tunnel', async () => {
    server.handler = (_req, res) => cliReply(res, 'dag_a\n');
    const r = await run(['cli', '--team', 'analytics', '--env', 'analytics-prod', '--no-role', '--', 'dags', 'list'], {
      HTTP_PROXY: proxy.url,
    });
    expect(r.stdout).toBe('dag_a\n');
    expect(r.code).toBe(ExitCode.OK);
    expect(proxy.connects).toEqual([`127.0.0.1:${port()}`]);
  });

  it('goes direct for a host NO_PROXY lists', async () => {
    server.handler = (_req, res) => cliReply(res, 'dag_a\n');
    const r = await run(['cli', '--team', 'analytics', '--env', 'analytics-prod', '--no-role', '--', 'dags', 'list'], {
      HTTP_PROXY: proxy.url,
      NO_PROXY: 'localhost,127.0.0.1',
    });
    expect(r.code).toBe(ExitCode.OK);
    expect(proxy.connects).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('a proxy that refuses the tunnel is a network error naming the proxy', async () => {
    proxy.mode = 'refuse';
    const r = await run(['cli', '--team', 'marketing', '--env', 'marketing-campaigns', '--no-role', '--', 'dags', 'list'], {
      HTTP_PROXY: proxy.url,
    });
    expect(r.code).toBe(ExitCode.NETWORK);
    expect(r.stderr).toContain(`proxy 127.0.0.1:${new URL(proxy.url).port} refused CONNECT 127.0.0.1:${port()} (HTTP 403)`);
  });

  it('the AWS SDK calls go through HTTPS_PROXY too (STS here), to the regional endpoint', async () => {
    proxy.mode = 'refuse';
    const target = {
      team: 'analytics',
      accountId: '222222222222',
      environment: { name: 'analytics-prod' } as never,
      region: 'eu-west-1',
      roleArn: 'arn:aws:iam::222222222222:role/acme-data-analytics-airflow-access',
      privateWebserver: true,
    };
    // The SDK reads credentials from process.env itself; static keys keep it from looking further (no IMDS).
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' });
    try {
      const source = awsTokenSource(target, { env: { HTTPS_PROXY: proxy.url } });
      await expect(source.cliToken()).rejects.toThrow(
        `cannot reach the AWS STS API in eu-west-1 through the proxy: proxy 127.0.0.1:${new URL(proxy.url).port} refused CONNECT sts.eu-west-1.amazonaws.com:443 (HTTP 403)`,
      );
    } finally {
      for (const [k, v] of [
        ['AWS_ACCESS_KEY_ID', saved.id],
        ['AWS_SECRET_ACCESS_KEY', saved.secret],
      ] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    expect(proxy.connects).toEqual(['sts.eu-west-1.amazonaws.com:443']);
  });

  /** Runs `fn` with process.env changed as given (undefined deletes), restoring it afterwards: the SDK's credential chain reads process.env. */
  async function withProcessEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
    const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
    for (const [k, v] of Object.entries(vars)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    try {
      return await fn();
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  }

  /** An `aws sso login` profile with a cached, unexpired token: the chain's next call is GetRoleCredentials at the SSO portal. */
  function ssoProfile(): Record<string, string | undefined> {
    const home = mkdtempSync(join(tmpdir(), 'mwaa-sso-'));
    const startUrl = 'https://corp.awsapps.com/start';
    mkdirSync(join(home, '.aws', 'sso', 'cache'), { recursive: true });
    writeFileSync(
      join(home, '.aws', 'config'),
      `[profile corp-sso]\nsso_start_url = ${startUrl}\nsso_region = eu-west-1\nsso_account_id = 222222222222\nsso_role_name = Analyst\nregion = eu-west-1\n`,
    );
    writeFileSync(
      join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update(startUrl).digest('hex')}.json`),
      JSON.stringify({ startUrl, region: 'eu-west-1', accessToken: 'sso-access-SECRET', expiresAt: '2099-01-01T00:00:00Z' }),
    );
    return {
      HOME: home,
      AWS_CONFIG_FILE: join(home, '.aws', 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
      AWS_PROFILE: 'corp-sso',
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_SESSION_TOKEN: undefined,
    };
  }
  const analyticsTarget = {
    team: 'analytics',
    accountId: '222222222222',
    environment: { name: 'analytics-prod' } as never,
    region: 'eu-west-1',
    roleArn: 'arn:aws:iam::222222222222:role/acme-data-analytics-airflow-access',
    privateWebserver: true,
  };

  it('an IAM Identity Center (aws sso login) profile reaches the SSO portal through HTTPS_PROXY too, not directly', async () => {
    proxy.mode = 'refuse';
    const vars = ssoProfile();
    await withProcessEnv(vars, async () => {
      const source = awsTokenSource(analyticsTarget, { env: { ...vars, HTTPS_PROXY: proxy.url } as Record<string, string> });
      await expect(source.cliToken()).rejects.toThrow();
      expect(proxy.connects).toContain('portal.sso.eu-west-1.amazonaws.com:443');
    });
  });

  it('NO_PROXY exempts the AWS endpoints for the SDK clients and their credential chain', async () => {
    proxy.mode = 'refuse';
    const vars = ssoProfile();
    await withProcessEnv(vars, async () => {
      const source = awsTokenSource(analyticsTarget, {
        env: { ...vars, HTTPS_PROXY: proxy.url, NO_PROXY: '.amazonaws.com' } as Record<string, string>,
      });
      // Direct, and this machine has no route to AWS: a failure that never touched the proxy.
      await expect(source.cliToken()).rejects.toThrow();
    });
    expect(proxy.connects).toEqual([]);
  });

  it('HTTPS through the tunnel: TLS to the target inside CONNECT, certificate checked against the target name', async () => {
    const tlsDir = join(__dirname, 'tls');
    const cert = readFileSync(join(tlsDir, 'localhost.crt'));
    const target = createHttpsServer({ cert, key: readFileSync(join(tlsDir, 'localhost.key')) }, (_req, res) => res.end('over tls'));
    await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
    const targetPort = (target.address() as AddressInfo).port;
    const fetchVia = (agent: HttpsProxyTunnelAgent) =>
      new Promise<string>((resolve, reject) => {
        httpsGet(
          `https://localhost:${targetPort}/`,
          { agent, lookup: ((_h: string, _o: unknown, cb: (e: null, a: string, f: number) => void) => cb(null, '127.0.0.1', 4)) as never },
          (res) => {
            let body = '';
            res.on('data', (c) => (body += c));
            res.on('end', () => resolve(body));
          },
        ).on('error', reject);
      });
    try {
      expect(await fetchVia(new HttpsProxyTunnelAgent(new URL(proxy.url), { ca: cert }))).toBe('over tls');
      expect(proxy.connects).toEqual([`localhost:${targetPort}`]);
      // Without the CA the certificate is refused: the tunnel does not weaken TLS.
      await expect(fetchVia(new HttpsProxyTunnelAgent(new URL(proxy.url)))).rejects.toThrow(/self-signed certificate/);
    } finally {
      await new Promise<void>((r) => target.close(() => r()));
    }
  });

  it.each([
    ['https://abc.airflow.amazonaws.com', { HTTPS_PROXY: 'http://proxy:3128' }, 'http://proxy:3128/'],
    ['https://abc.airflow.amazonaws.com', { https_proxy: 'proxy.corp:8080' }, 'http://proxy.corp:8080/'],
    ['https://abc.airflow.amazonaws.com', { HTTP_PROXY: 'http://proxy:3128' }, undefined],
    ['http://127.0.0.1:8080', { HTTP_PROXY: 'http://proxy:3128' }, 'http://proxy:3128/'],
    ['https://abc.airflow.amazonaws.com', { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '.amazonaws.com' }, undefined],
    ['https://abc.airflow.amazonaws.com', { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'airflow.amazonaws.com' }, undefined],
    ['https://abc.airflow.amazonaws.com', { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '*' }, undefined],
    ['https://abc.airflow.amazonaws.com', { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'flow.amazonaws.com' }, 'http://proxy:3128/'],
    [
      'https://abc.airflow.amazonaws.com',
      { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'abc.airflow.amazonaws.com:8443' },
      'http://proxy:3128/',
    ],
  ])('proxyFor(%s, %j) = %s', (url, env, expected) => expect(proxyFor(new URL(url), env)?.href).toBe(expected));

  it('refuses proxies it cannot speak to, naming the variable', () => {
    expect(() => proxyFor(new URL('https://x.example'), { HTTPS_PROXY: 'https://proxy:443' })).toThrow(
      'only http:// proxies are supported, got https:// in https://proxy:443',
    );
    expect(() => proxyFor(new URL('https://x.example'), { HTTPS_PROXY: 'http://[bad' })).toThrow('HTTPS_PROXY is not a URL: "http://[bad"');
  });

  it('NO_PROXY matches IPs and ports exactly', () => {
    expect(bypassesProxy('10.0.0.5', '443', '10.0.0.5')).toBe(true);
    expect(bypassesProxy('10.0.0.50', '443', '10.0.0.5')).toBe(false);
    expect(bypassesProxy('host', '80', 'host:80')).toBe(true);
  });
});

describe('REST API paths by Airflow major version', () => {
  it('Airflow 2 uses /api/v1, Airflow 3 /api/v2', () => {
    expect(restApiPath('/dags', '2.10.3')).toBe('/api/v1/dags');
    expect(restApiPath('/api/v1/dags?limit=5', '2.11.0')).toBe('/api/v1/dags?limit=5');
    expect(restApiPath('/dags', '3.0.6')).toBe('/api/v2/dags');
    expect(restApiPath('/api/v2/dags', '3.0.6')).toBe('/api/v2/dags');
  });

  it('a v1 path for an Airflow 3 environment (and v2 for Airflow 2) is refused with the right prefix', () => {
    expect(() => restApiPath('/api/v1/dags', '3.0.6')).toThrow('Airflow 3.0.6 serves its REST API under /api/v2, not /api/v1');
    expect(() => restApiPath('/api/v2/dags', '2.10.3')).toThrow('Airflow 2.10.3 serves its REST API under /api/v1, not /api/v2');
  });

  // Airflow 3 on MWAA: the login plugin is under /pluginsv2 and sets `_token`, a JWT the v2 API takes as a Bearer
  // token (the Airflow Amazon provider's MwaaHook does the same); Airflow 2 keeps /aws_mwaa/login and `session`.
  it('mwaa api against an Airflow 3 environment logs in under /pluginsv2 and calls /api/v2 with the JWT as Bearer', async () => {
    server.handler = (req, res) =>
      req.url === '/pluginsv2/aws_mwaa/login'
        ? res.writeHead(302, { 'Set-Cookie': ['session=flask-session; Path=/', '_token=eyJhbGciOi.jwt-SECRET.sig; Path=/; Secure'] }).end()
        : req.headers.authorization === 'Bearer eyJhbGciOi.jwt-SECRET.sig'
          ? json(res, 200, { dags: [], total_entries: 0 })
          : json(res, 401, { detail: 'Not authenticated' });
    const r = await run(['api', '--team', 'airflow3', '--env', 'af3-prod', 'GET', '/dags']);
    expect(r.code).toBe(ExitCode.OK);
    expect(JSON.parse(r.stdout)).toEqual({ dags: [], total_entries: 0 });
    expect(server.requests.map((q) => `${q.method} ${q.url}`)).toEqual(['POST /pluginsv2/aws_mwaa/login', 'GET /api/v2/dags']);
    expect(server.requests[0].body).toBe('token=web-token-SECRET');
    expect(server.requests[1].headers.cookie).toBeUndefined();
    expect(r.stderr).not.toContain('jwt-SECRET');
  });

  it('an Airflow 3 login without the _token cookie is an auth error naming the endpoint and the cookie', async () => {
    server.handler = (req, res) =>
      req.url === '/pluginsv2/aws_mwaa/login'
        ? res.writeHead(302, { 'Set-Cookie': 'session=only-flask; Path=/' }).end()
        : json(res, 200, {});
    const r = await run(['api', '--team', 'airflow3', '--env', 'af3-prod', 'GET', '/dags']);
    expect(r.code).toBe(ExitCode.AUTH);
    expect(r.stderr).toContain('error: /pluginsv2/aws_mwaa/login answered HTTP 302 without a _token cookie');
    expect(server.requests).toHaveLength(1);
  });

  it('Airflow 2 environments keep /aws_mwaa/login and the session cookie', async () => {
    server.handler = (req, res) =>
      req.url === '/aws_mwaa/login'
        ? res.writeHead(302, { 'Set-Cookie': 'session=s3cr3t-session; Path=/' }).end()
        : json(res, 200, { dags: [] });
    const r = await run(['api', '--team', 'marketing', '--env', 'marketing-campaigns', '--no-role', 'GET', '/dags']);
    expect(r.code).toBe(ExitCode.OK);
    expect(server.requests.map((q) => `${q.method} ${q.url}`)).toEqual(['POST /aws_mwaa/login', 'GET /api/v1/dags']);
    expect(server.requests[1].headers.cookie).toBe('session=s3cr3t-session');
    expect(server.requests[1].headers.authorization).toBeUndefined();
  });
});

describe('mwaa --version', () => {
  it('prints the version of the package', async () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V', 'version']) {
      const r = await run([flag]);
      expect([r.code, r.stdout]).toEqual([0, `mwaa ${pkg.version}\n`]);
    }
  });
});

describe('AWS_PROFILE that does not exist', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mwaa-aws-'));
  const config = join(dir, 'config');
  const credentials = join(dir, 'credentials');
  writeFileSync(config, '[default]\nregion = eu-west-1\n\n[profile analytics-dev]\nsso_session = corp\n');
  writeFileSync(credentials, '[ci]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = secret\n');
  const env = { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials };

  it('is named in the error, with the profiles that exist', () => {
    const error = missingProfile({ ...env, AWS_PROFILE: 'analytcs-dev' });
    expect(error?.message).toBe(`AWS_PROFILE "analytcs-dev" is not a profile in ${config} or ${credentials}`);
    expect(error?.hint).toBe(
      'profiles there: analytics-dev, ci, default; fix AWS_PROFILE (or unset it), e.g. `export AWS_PROFILE=analytics-dev`',
    );
  });

  it('profiles that exist, and static keys that make the profile irrelevant, pass', () => {
    expect(missingProfile({ ...env, AWS_PROFILE: 'analytics-dev' })).toBeUndefined();
    expect(missingProfile({ ...env, AWS_PROFILE: 'ci' })).toBeUndefined();
    expect(missingProfile({ ...env, AWS_PROFILE: 'nope', AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 's' })).toBeUndefined();
    expect(missingProfile(env)).toBeUndefined();
  });

  it('mwaa cli fails with exit 3 naming the profile, before any AWS call', async () => {
    const r = await run(['cli', '--team', 'analytics', '--env', 'analytics-prod', '--', 'dags', 'list'], {
      ...env,
      AWS_PROFILE: 'analytcs-dev',
    });
    expect(r.code).toBe(ExitCode.AUTH);
    expect(r.stderr).toBe(
      `error: AWS_PROFILE "analytcs-dev" is not a profile in ${config} or ${credentials}\n` +
        'hint: profiles there: analytics-dev, ci, default; fix AWS_PROFILE (or unset it), e.g. `export AWS_PROFILE=analytics-dev`\n',
    );
  });
});
