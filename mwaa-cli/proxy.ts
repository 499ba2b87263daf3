/**
 * HTTPS_PROXY / HTTP_PROXY / NO_PROXY, as curl and most tools read them: which proxy (if any) a URL goes
 * through, and agents that reach the target through an HTTP CONNECT tunnel. Used for the webserver requests
 * and for the AWS SDK clients (STS, MWAA), which ignore these variables on their own.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import * as tls from 'node:tls';

type Env = Readonly<Record<string, string | undefined>>;

const variable = (env: Env, name: string): string | undefined => env[name.toLowerCase()] || env[name.toUpperCase()] || undefined;

/** Whether NO_PROXY exempts `host`/`port`: `*`, exact names or IPs, domain suffixes (`.corp` or `corp`), optional `:port`. */
export function bypassesProxy(host: string, port: string, noProxy: string | undefined): boolean {
  if (!noProxy) return false;
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return noProxy
    .split(/[\s,]+/)
    .filter(Boolean)
    .some((raw) => {
      if (raw === '*') return true;
      const m = /^(.*?)(?::(\d+))?$/.exec(raw.toLowerCase())!;
      const entry = m[1].replace(/^\*?\./, '.').replace(/^\[|\]$/g, '');
      if (m[2] && m[2] !== port) return false;
      if (entry.startsWith('.')) return h.endsWith(entry) || h === entry.slice(1);
      return h === entry || h.endsWith(`.${entry}`);
    });
}

/** The proxy for `url` from the environment, or undefined for a direct connection. */
export function proxyFor(url: URL, env: Env): URL | undefined {
  const raw = url.protocol === 'https:' ? variable(env, 'https_proxy') : variable(env, 'http_proxy');
  if (!raw) return undefined;
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (bypassesProxy(url.hostname, port, variable(env, 'no_proxy'))) return undefined;
  let proxy: URL;
  try {
    proxy = new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    throw new Error(`${url.protocol === 'https:' ? 'HTTPS_PROXY' : 'HTTP_PROXY'} is not a URL: "${raw}"`);
  }
  if (proxy.protocol !== 'http:') throw new Error(`only http:// proxies are supported, got ${proxy.protocol}// in ${raw}`);
  return proxy;
}

/** A proxy URL without its credentials, for messages. */
export const describeProxy = (proxy: URL): string => `${proxy.hostname}:${proxy.port || '80'}`;

/** Opens `CONNECT host:port` through `proxy`; calls back with the raw tunnel socket. */
function tunnel(proxy: URL, host: string, port: number, callback: (error: Error | null, socket?: Socket) => void): void {
  const auth = proxy.username
    ? {
        'Proxy-Authorization': `Basic ${Buffer.from(`${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`).toString('base64')}`,
      }
    : {};
  const authority = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const req = http.request({
    host: proxy.hostname,
    port: Number(proxy.port || 80),
    method: 'CONNECT',
    path: authority,
    headers: { Host: authority, ...auth },
    agent: false,
  });
  req.once('connect', (res, socket) => {
    if (res.statusCode !== 200) {
      socket.destroy();
      callback(
        Object.assign(new Error(`proxy ${describeProxy(proxy)} refused CONNECT ${authority} (HTTP ${res.statusCode})`), { code: 'EPROXY' }),
      );
      return;
    }
    callback(null, socket);
  });
  req.once('error', (error: NodeJS.ErrnoException) =>
    callback(Object.assign(new Error(`proxy ${describeProxy(proxy)}: ${error.message}`), { code: error.code })),
  );
  req.end();
}

type Oncreate = (error: Error | null, socket: Duplex) => void;
/** Node calls `createConnection(options, oncreate)` and waits for `oncreate` when it returns nothing. */
const later = (oncreate: Oncreate | undefined): Oncreate => {
  if (!oncreate) throw new Error('proxy tunnel agents need the asynchronous createConnection form');
  return oncreate;
};

/** https.Agent whose sockets are TLS over a CONNECT tunnel through the proxy. */
export class HttpsProxyTunnelAgent extends https.Agent {
  constructor(
    private readonly proxy: URL,
    options: https.AgentOptions = {},
  ) {
    super({ keepAlive: false, ...options });
  }

  override createConnection(options: http.ClientRequestArgs, oncreate?: Oncreate): undefined {
    const done = later(oncreate);
    const host = String(options.hostname ?? options.host ?? 'localhost');
    tunnel(this.proxy, host, Number(options.port ?? 443), (error, socket) => {
      if (error || !socket) return done(error ?? new Error('no tunnel socket'), undefined as never);
      const tlsOptions = options as tls.ConnectionOptions & http.ClientRequestArgs;
      done(
        null,
        tls.connect({
          ca: tlsOptions.ca,
          cert: tlsOptions.cert,
          key: tlsOptions.key,
          rejectUnauthorized: tlsOptions.rejectUnauthorized,
          socket,
          servername: tlsOptions.servername ?? host,
        }),
      );
    });
    return undefined;
  }
}

/** http.Agent whose sockets are a CONNECT tunnel through the proxy (plain HTTP inside). */
export class HttpProxyTunnelAgent extends http.Agent {
  constructor(private readonly proxy: URL) {
    super({ keepAlive: false });
  }

  override createConnection(options: http.ClientRequestArgs, oncreate?: Oncreate): undefined {
    const done = later(oncreate);
    tunnel(this.proxy, String(options.hostname ?? options.host ?? 'localhost'), Number(options.port ?? 80), (error, socket) =>
      done(error, socket as Duplex),
    );
    return undefined;
  }
}

/** The agent a request to `url` should use: a tunnel through the configured proxy, or undefined (direct). */
export function agentFor(url: URL, env: Env): http.Agent | undefined {
  const proxy = proxyFor(url, env);
  if (!proxy) return undefined;
  return url.protocol === 'https:' ? new HttpsProxyTunnelAgent(proxy) : new HttpProxyTunnelAgent(proxy);
}

/**
 * https.Agent that decides per connection: through a CONNECT tunnel when the environment names a proxy for that
 * host, directly when NO_PROXY exempts it. For SDK clients whose requests go to more than one host: the
 * credential chain's own clients (IAM Identity Center portal and OIDC, STS for a profile's role) are handed the
 * same agent, so `aws sso login` profiles work behind a proxy too.
 */
export class HttpsEnvProxyAgent extends https.Agent {
  constructor(private readonly env: Env) {
    super({ keepAlive: false });
  }

  override createConnection(options: http.ClientRequestArgs, oncreate?: Oncreate): undefined {
    const host = String(options.hostname ?? options.host ?? 'localhost');
    const port = Number(options.port ?? 443);
    const proxy = proxyFor(new URL(`https://${host.includes(':') ? `[${host}]` : host}:${port}`), this.env);
    const done = later(oncreate);
    if (!proxy) {
      const socket = tls.connect({
        ...(options as tls.ConnectionOptions),
        host,
        port,
        servername: (options as tls.ConnectionOptions).servername ?? host,
      });
      done(null, socket);
      return undefined;
    }
    return new HttpsProxyTunnelAgent(proxy).createConnection(options, oncreate);
  }
}

/** Whether any proxy variable is set (then the SDK clients get {@link HttpsEnvProxyAgent}). */
export const proxyConfigured = (env: Env): boolean => Boolean(variable(env, 'https_proxy'));
