/**
 * The MWAA webserver protocols as pure functions: building requests, decoding replies, deciding
 * success. No I/O here, so each rule is tested on its own.
 */
import { AirflowError, AuthError, BadReplyError, UsageError } from './errors';

/** What `POST /aws_mwaa/cli` returned, decoded. */
export interface CliReply {
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliOutcome {
  readonly failed: boolean;
  /** Why it counts as failed, for the final `error:` line. */
  readonly reason?: string;
}

export interface HttpReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

const TOKEN_HINT =
  'tokens live 60 seconds and are tied to your IAM identity: rerun the command; if it keeps failing, check that your principal is in access.principals of the team file and that the environment is AVAILABLE';

/** `https://HOST` or, for tests, the `MWAA_ENDPOINT_OVERRIDE` origin (scheme, host and port) in its place. */
export function webserverOrigin(hostname: string, endpointOverride?: string): string {
  if (!endpointOverride) return `https://${hostname}`;
  const url = new URL(endpointOverride);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error(`MWAA_ENDPOINT_OVERRIDE must be an http(s) URL, got ${endpointOverride}`);
  return url.origin;
}

/**
 * REST API path for the environment's Airflow version: Airflow 2 serves `/api/v1`, Airflow 3 `/api/v2`.
 * `/dags` → `/api/v1/dags` (or v2); a path already under the right prefix is kept, one under the other
 * prefix is a usage error (the call would 404).
 */
export function restApiPath(path: string, airflowVersion: string): string {
  const major = Number.parseInt(airflowVersion, 10);
  const prefix = major >= 3 ? '/api/v2' : '/api/v1';
  const other = major >= 3 ? '/api/v1' : '/api/v2';
  const under = (p: string) => new RegExp(`^${p}(/|$|\\?)`).test(path);
  if (under(prefix)) return path;
  if (under(other)) {
    throw new UsageError(
      `Airflow ${airflowVersion} serves its REST API under ${prefix}, not ${other}`,
      `give the path without the prefix, e.g. ${path.slice(other.length) || '/'}`,
    );
  }
  return `${prefix}${path}`;
}

function isBase64(text: string): boolean {
  return /^[A-Za-z0-9+/]*={0,2}$/.test(text.replace(/\s+/g, '')) && text.replace(/\s+/g, '').length % 4 === 0;
}

function snippet(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat;
}

function contentType(reply: HttpReply): string {
  const v = reply.headers['content-type'];
  return (Array.isArray(v) ? v[0] : (v ?? '')).toLowerCase();
}

/** Refusal of a CLI or web login token: 401/403. */
function authFailure(status: number, what: string): AuthError {
  return new AuthError(
    `the webserver refused the ${what} (HTTP ${status}): it is expired, for another environment, or not allowed`,
    TOKEN_HINT,
  );
}

/**
 * Decodes the `/aws_mwaa/cli` reply `{"stdout": "<base64>", "stderr": "<base64>"}`. A non-2xx reply
 * that still carries that shape is decoded too (Airflow's output explains the error); anything
 * else is a {@link BadReplyError} whose message never echoes headers.
 */
export function decodeCliReply(reply: HttpReply): CliReply {
  if (reply.status === 401 || reply.status === 403) throw authFailure(reply.status, 'CLI token');
  let json: unknown;
  try {
    json = JSON.parse(reply.body);
  } catch {
    throw badReply('/aws_mwaa/cli', reply);
  }
  const { stdout, stderr } = (json ?? {}) as { stdout?: unknown; stderr?: unknown };
  if (typeof stdout !== 'string' || typeof stderr !== 'string' || !isBase64(stdout) || !isBase64(stderr)) {
    if (reply.status >= 400) throw new AirflowError(`the webserver answered HTTP ${reply.status}: ${snippet(reply.body)}`);
    throw new BadReplyError(
      'the CLI reply is JSON but not {"stdout": <base64>, "stderr": <base64>}',
      'check that the host is an MWAA webserver (MWAA_ENDPOINT_OVERRIDE unset) and the environment runs Airflow 2',
    );
  }
  return { stdout: Buffer.from(stdout, 'base64').toString('utf8'), stderr: Buffer.from(stderr, 'base64').toString('utf8') };
}

function badReply(endpoint: string, reply: HttpReply): BadReplyError {
  const type = contentType(reply) || 'no content type';
  const redirect = reply.status >= 300 && reply.status < 400;
  return new BadReplyError(
    `${endpoint} answered HTTP ${reply.status} with ${type}, not JSON${reply.body ? `: ${snippet(reply.body)}` : ''}`,
    redirect
      ? 'a redirect to a login page usually means the token was not accepted; rerun, and check the environment name and region'
      : reply.status >= 500
        ? 'the webserver is failing or the environment is updating; check its status in the MWAA console and retry'
        : 'a proxy, captive portal or VPN login page may have answered instead of the webserver; check your network, then retry',
  );
}

/** Python warnings (`…: DeprecationWarning: …` plus the indented source line) are noise, not errors. */
function isWarningLine(line: string, previous: string): boolean {
  if (/\b\w*Warning: /.test(line)) return true;
  return /^\s+\S/.test(line) && /\b\w*Warning: /.test(previous);
}

/** Stderr lines that are not warnings or blank. */
export function significantStderr(stderr: string): string[] {
  const lines = stderr.split(/\r?\n/);
  return lines.filter((line, i) => line.trim() !== '' && !isWarningLine(line, i > 0 ? lines[i - 1] : ''));
}

/**
 * The webserver answers 200 even when the Airflow command failed; the failure only shows on stderr.
 * Rule: HTTP 2xx and no stderr beyond Python warnings → success. `ignoreStderr` restores "HTTP status
 * only" for commands that print diagnostics on stderr as part of normal output.
 */
export function cliOutcome(status: number, reply: CliReply, ignoreStderr: boolean): CliOutcome {
  if (status < 200 || status >= 300) return { failed: true, reason: `the webserver answered HTTP ${status}` };
  if (ignoreStderr) return { failed: false };
  const lines = significantStderr(reply.stderr);
  if (lines.length === 0) return { failed: false };
  const traceback = reply.stderr.includes('Traceback (most recent call last)');
  const last = lines[lines.length - 1].trim();
  return { failed: true, reason: traceback ? `Airflow raised ${last}` : `Airflow reported on stderr: ${last}` };
}

/** `token=<webToken>` as application/x-www-form-urlencoded. */
export function loginForm(webToken: string): string {
  return new URLSearchParams({ token: webToken }).toString();
}

/** The value of cookie `name` (default `session`) from a login reply's Set-Cookie headers. */
export function sessionCookieFrom(setCookie: string | readonly string[] | undefined, name = 'session'): string | undefined {
  const headers = setCookie === undefined ? [] : typeof setCookie === 'string' ? [setCookie] : setCookie;
  const pattern = new RegExp(`^\\s*${name.replace(/[^A-Za-z0-9_]/g, '')}=([^;]*)`);
  for (const header of headers) {
    const match = pattern.exec(header);
    if (match && match[1] !== '') return match[1];
  }
  return undefined;
}

/**
 * How the web login token becomes REST API credentials, by Airflow major version. Airflow 2: `POST
 * /aws_mwaa/login` sets a Flask `session` cookie that the API accepts. Airflow 3: the MWAA plugin lives under
 * `/pluginsv2`, and its login sets `_token`, a JWT the API takes as `Authorization: Bearer` (as the Airflow
 * Amazon provider's MwaaHook does for Airflow 3 environments).
 */
export interface WebLogin {
  readonly path: string;
  readonly cookie: string;
  /** Request headers that carry the credential. */
  headers(credential: string): Record<string, string>;
}

export function webLoginFor(airflowVersion: string): WebLogin {
  return Number.parseInt(airflowVersion, 10) >= 3
    ? { path: '/pluginsv2/aws_mwaa/login', cookie: '_token', headers: (t) => ({ Authorization: `Bearer ${t}` }) }
    : { path: '/aws_mwaa/login', cookie: 'session', headers: (t) => ({ Cookie: `session=${t}` }) };
}

/** Checks the login reply and returns the credential cookie (`session`, or `_token` on Airflow 3). */
export function sessionFromLogin(reply: HttpReply, login: WebLogin = webLoginFor('2')): string {
  if (reply.status === 401 || reply.status === 403) throw authFailure(reply.status, 'web login token');
  if (reply.status >= 500) throw badReply(login.path, reply);
  const session = reply.status < 400 ? sessionCookieFrom(reply.headers['set-cookie'], login.cookie) : undefined;
  if (!session) {
    throw new AuthError(
      `${login.path} answered HTTP ${reply.status} without a ${login.cookie} cookie`,
      `${TOKEN_HINT}; the team's Airflow role (access.airflowRole) must allow logging in`,
    );
  }
  return session;
}

/** REST API reply: parsed JSON on 2xx, typed errors otherwise. 204 and empty bodies give `undefined`. */
export function decodeApiReply(reply: HttpReply): unknown {
  if (reply.status === 401 || reply.status === 403) {
    throw new AuthError(
      `the REST API refused the request (HTTP ${reply.status})${problemText(reply) ? `: ${problemText(reply)}` : ''}`,
      'the session lasts up to 12 hours, the request runs as the Airflow role of the team (access.airflowRole): Viewer cannot trigger or change anything',
    );
  }
  let json: unknown;
  if (reply.body.trim() !== '') {
    try {
      json = JSON.parse(reply.body);
    } catch {
      throw badReply('the REST API', reply);
    }
  }
  if (reply.status >= 200 && reply.status < 300) return json;
  const detail = problemText(reply);
  throw new AirflowError(`the REST API answered HTTP ${reply.status}${detail ? `: ${detail}` : ''}`);
}

/** Airflow answers errors as application/problem+json: `{title, detail, status, type}`. */
function problemText(reply: HttpReply): string | undefined {
  try {
    const p = JSON.parse(reply.body) as { title?: unknown; detail?: unknown };
    const parts = [p.title, p.detail].filter((x): x is string => typeof x === 'string' && x !== '');
    return parts.length > 0 ? parts.join(' — ') : undefined;
  } catch {
    return undefined;
  }
}

/** Replaces each secret in `text` with `<redacted>`; used for `--verbose` echoes and as a last guard on error text. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) if (secret && secret.length >= 4) out = out.split(secret).join('<redacted>');
  return out;
}

/** Header echo for `--verbose`: credentials replaced whatever their value. */
export function describeRequest(method: string, url: string, headers: Readonly<Record<string, string>>): string {
  const shown = Object.entries(headers).map(([k, v]) => {
    const lower = k.toLowerCase();
    if (lower === 'authorization') return `${k}: ${v.split(' ')[0]} <redacted>`;
    if (lower === 'cookie') return `${k}: ${v.replace(/=([^;]*)/g, '=<redacted>')}`;
    return `${k}: ${v}`;
  });
  return [`> ${method} ${url}`, ...shown.map((h) => `> ${h}`)].join('\n');
}
