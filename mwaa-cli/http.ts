/**
 * One HTTP(S) request with a connect timeout and a reply timeout, over node:http/https only.
 * Failures become {@link NetworkError}s whose hint depends on whether the webserver is private.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { NetworkError } from './errors';
import type { HttpReply } from './protocol';

export interface HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  /** Whole request, from connecting to the last byte of the reply. */
  readonly timeoutMs: number;
  /** A proxy tunnel (see proxy.ts); default: a direct connection. */
  readonly agent?: http.Agent;
}

/** What is known about the target when a request fails, to choose the hint. */
export interface NetworkContext {
  readonly host: string;
  /** `webserverAccessMode: PRIVATE_ONLY`: reachable only from inside the shared VPC. */
  readonly privateWebserver: boolean;
}

export type FailureKind = 'dns' | 'refused' | 'connect-timeout' | 'reply-timeout' | 'reset' | 'tls' | 'proxy' | 'other';

/** Maps a Node socket error code (or our timeout markers) to a failure kind. */
export function failureKind(code: string | undefined): FailureKind {
  switch (code) {
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'dns';
    case 'ECONNREFUSED':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'refused';
    case 'CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return 'connect-timeout';
    case 'REPLY_TIMEOUT':
      return 'reply-timeout';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'reset';
    case 'EPROXY':
      return 'proxy';
    default:
      return code && /^(ERR_TLS|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED)/.test(code) ? 'tls' : 'other';
  }
}

const VPN_HINT =
  'this environment uses a PRIVATE_ONLY webserver, reachable only from inside the shared VPC: connect to the corporate VPN (or run from a host in the VPC, e.g. an SSM session) and retry';

/** The error users see for a failed request; pure so every message is tested. */
export function networkError(kind: FailureKind, ctx: NetworkContext, timeoutMs: number, detail?: string): NetworkError {
  const where = `the Airflow webserver ${ctx.host}`;
  const seconds = `${timeoutMs / 1000}s`;
  switch (kind) {
    case 'dns':
      return new NetworkError(
        `cannot resolve ${where}`,
        ctx.privateWebserver
          ? `${VPN_HINT} (its name resolves only through the VPC's DNS)`
          : 'check your DNS and internet connection, and that the environment exists',
      );
    case 'refused':
      return new NetworkError(
        `cannot connect to ${where} (${detail ?? 'connection refused'})`,
        ctx.privateWebserver ? VPN_HINT : 'check your network and that the environment is AVAILABLE',
      );
    case 'connect-timeout':
      return new NetworkError(
        `no connection to ${where} within ${seconds}`,
        ctx.privateWebserver ? VPN_HINT : 'check your network or proxy settings and retry',
      );
    case 'reply-timeout':
      return new NetworkError(
        `no reply from ${where} within ${seconds}`,
        'the command may still be running on Airflow; the webserver runs CLI commands synchronously, so prefer short commands, or raise --timeout',
      );
    case 'reset':
      return new NetworkError(
        `${where} closed the connection`,
        ctx.privateWebserver ? `${VPN_HINT}; the environment may also be updating` : 'the environment may be updating; retry in a minute',
      );
    case 'proxy':
      return new NetworkError(
        `${detail ?? 'the proxy refused the connection'} to reach ${where}`,
        'check HTTPS_PROXY / HTTP_PROXY, or list the host in NO_PROXY to connect directly',
      );
    case 'tls':
      return new NetworkError(
        `TLS failure talking to ${where} (${detail ?? 'certificate'})`,
        'a proxy may be intercepting HTTPS; set NODE_EXTRA_CA_CERTS to its CA bundle',
      );
    default:
      return new NetworkError(`request to ${where} failed (${detail ?? 'unknown error'})`, ctx.privateWebserver ? VPN_HINT : undefined);
  }
}

/** Sends the request; resolves with the reply whatever its status, rejects with {@link NetworkError}. */
export function send(request: HttpRequest, ctx: NetworkContext): Promise<HttpReply> {
  const url = new URL(request.url);
  const transport = url.protocol === 'http:' ? http : https;
  const connectTimeoutMs = Math.min(request.timeoutMs, 10_000);

  return new Promise<HttpReply>((resolve, reject) => {
    let settled = false;
    let connected = false;
    const fail = (code: string | undefined, detail?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(connectTimer);
      clearTimeout(replyTimer);
      req.destroy();
      const kind = failureKind(code);
      reject(networkError(kind, ctx, kind === 'connect-timeout' ? connectTimeoutMs : request.timeoutMs, detail ?? code));
    };

    const req = transport.request(url, {
      method: request.method,
      headers: { ...request.headers, ...(request.body !== undefined ? { 'Content-Length': String(Buffer.byteLength(request.body)) } : {}) },
      // No pooled sockets (the CLI makes one or two requests and must exit promptly); a proxy agent does not keep them alive either.
      agent: request.agent ?? false,
    });
    const connectTimer = setTimeout(() => {
      if (!connected) fail('CONNECT_TIMEOUT');
    }, connectTimeoutMs);
    const replyTimer = setTimeout(() => fail('REPLY_TIMEOUT'), request.timeoutMs);

    req.on('socket', (socket) => {
      socket.once(url.protocol === 'http:' ? 'connect' : 'secureConnect', () => {
        connected = true;
        clearTimeout(connectTimer);
      });
    });
    // Errors from the proxy tunnel carry a message naming the proxy; keep it as the detail.
    req.on('error', (error: NodeJS.ErrnoException) =>
      fail(error.code, error.message.startsWith('proxy ') ? error.message : (error.code ?? error.message)),
    );
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? 'ECONNRESET'));
      res.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        clearTimeout(replyTimer);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.end(request.body);
  });
}
