/**
 * Short-lived MWAA tokens through the AWS SDK: optionally assume the team's access role with STS,
 * then CreateCliToken / CreateWebLoginToken with an MWAA client in the environment's region.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import { CreateCliTokenCommand, CreateWebLoginTokenCommand, MWAAClient } from '@aws-sdk/client-mwaa';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { AuthError, BadReplyError, MwaaCliError, NetworkError, UsageError } from './errors';
import { agentFor, HttpsEnvProxyAgent, proxyConfigured } from './proxy';
import type { Target } from './target';

/** A token and the webserver it is for. The token is a secret: never print it. */
export interface IssuedToken {
  readonly token: string;
  readonly hostname: string;
}

export interface TokenSource {
  cliToken(): Promise<IssuedToken>;
  webLoginToken(): Promise<IssuedToken>;
}

interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** `mwaa-cli-<user>` limited to the characters and length STS accepts; shows up in CloudTrail. */
export function roleSessionName(user: string): string {
  const clean = user.replace(/[^\w+=,.@-]/g, '-');
  return `mwaa-cli-${clean || 'user'}`.slice(0, 64);
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? 'user';
  }
}

const NETWORK_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Turns an SDK error into one with a hint. `step` says which call failed, because the fix differs:
 * AssumeRole denied means "not in access.principals"; CreateCliToken denied means "role lacks
 * airflow:CreateCliToken".
 */
export function awsError(error: unknown, step: 'AssumeRole' | 'CreateCliToken' | 'CreateWebLoginToken', target: Target): MwaaCliError {
  if (error instanceof MwaaCliError) return error;
  const e = (error ?? {}) as { name?: string; code?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e.name ?? '';
  const message = (e.message ?? String(error)).split('\n')[0];
  const env = target.environment.name;
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return new AuthError(
      'no AWS credentials found',
      'sign in first (e.g. `aws sso login --profile <profile>` and export AWS_PROFILE), then retry',
    );
  }
  if (
    /^(ExpiredToken|ExpiredTokenException|InvalidClientTokenId|UnrecognizedClientException|InvalidSignatureException|SignatureDoesNotMatch)$/.test(
      name,
    )
  ) {
    return new AuthError(
      `your AWS credentials were rejected by ${step} (${name})`,
      'they are expired or invalid: sign in again (e.g. `aws sso login`) and retry',
    );
  }
  if (/AccessDenied/.test(name)) {
    if (step === 'AssumeRole') {
      return new AuthError(
        `you may not assume ${target.roleArn}`,
        `ask for your IAM principal to be added to access.principals of team "${target.team}", or pass --role ARN / --no-role if you already have access`,
      );
    }
    return new AuthError(
      `${step} was denied for environment "${env}"`,
      `the identity in use needs airflow:${step} on the environment${target.roleArn ? ` (assumed ${target.roleArn})` : ' (no role assumed: try without --no-role)'}`,
    );
  }
  if (name === 'ResourceNotFoundException') {
    return new UsageError(
      `environment "${env}" does not exist in account ${target.accountId}, region ${target.region}`,
      'it is in the configuration but not deployed yet, or it lives in another region (--region)',
    );
  }
  if (e.code === 'EPROXY') {
    return new NetworkError(
      `cannot reach the AWS ${step === 'AssumeRole' ? 'STS' : 'MWAA'} API in ${target.region} through the proxy: ${message.replace(/^Error: /, '')}`,
      'check HTTPS_PROXY, or list the AWS endpoint in NO_PROXY if it is reachable directly',
    );
  }
  if (NETWORK_CODES.has(e.code ?? '') || NETWORK_CODES.has(name) || name === 'TimeoutError') {
    return new NetworkError(
      `cannot reach the AWS ${step === 'AssumeRole' ? 'STS' : 'MWAA'} API in ${target.region} (${e.code ?? name})`,
      'check your internet connection or proxy settings (HTTPS_PROXY)',
    );
  }
  if ((e.$metadata?.httpStatusCode ?? 0) >= 500) {
    return new NetworkError(`${step} failed on the AWS side (${name || 'server error'}): ${message}`, 'retry in a minute');
  }
  return new UsageError(`${step} failed: ${name ? `${name}: ` : ''}${message}`);
}

export interface AwsTokenSourceOptions {
  /** For tests and callers that want to tag sessions differently. */
  readonly sessionName?: string;
  /** Where HTTPS_PROXY / NO_PROXY / AWS_PROFILE are read. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

type Env = Readonly<Record<string, string | undefined>>;

/** Profile names in an AWS config (`[profile x]`, `[default]`) or credentials (`[x]`) file. */
export function profilesIn(text: string, kind: 'config' | 'credentials'): string[] {
  const names: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*\[\s*([^\]]+?)\s*\]\s*$/.exec(line);
    if (!m) continue;
    const section = m[1];
    if (kind === 'credentials') names.push(section);
    else if (section === 'default') names.push('default');
    else if (section.startsWith('profile ')) names.push(section.slice('profile '.length).trim());
  }
  return names;
}

/**
 * An AWS_PROFILE that names no profile in the shared config or credentials file (the SDK's own error says only
 * "could not load credentials"). Undefined when it exists, is not set, or static keys in the environment win.
 */
export function missingProfile(env: Env): AuthError | undefined {
  const profile = env.AWS_PROFILE;
  if (!profile || (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY)) return undefined;
  const home = env.HOME || homedir();
  const config = env.AWS_CONFIG_FILE || join(home, '.aws', 'config');
  const credentials = env.AWS_SHARED_CREDENTIALS_FILE || join(home, '.aws', 'credentials');
  const read = (file: string, kind: 'config' | 'credentials') => (existsSync(file) ? profilesIn(readFileSync(file, 'utf8'), kind) : []);
  const known = [...new Set([...read(config, 'config'), ...read(credentials, 'credentials')])].sort();
  if (known.includes(profile)) return undefined;
  const close = known.find(
    (k) => k.replace(/[^a-z0-9]/gi, '').length > 0 && (k.includes(profile) || profile.includes(k) || sameLetters(k, profile)),
  );
  return new AuthError(
    `AWS_PROFILE "${profile}" is not a profile in ${config} or ${credentials}`,
    known.length
      ? `profiles there: ${known.join(', ')}; fix AWS_PROFILE (or unset it)${close ? `, e.g. \`export AWS_PROFILE=${close}\`` : ''}`
      : 'there are no profiles there: run `aws configure sso` (or `aws configure`) first, or unset AWS_PROFILE',
  );
}

/** Typo check: one letter missing or extra. */
function sameLetters(a: string, b: string): boolean {
  const [s, l] = a.length <= b.length ? [a, b] : [b, a];
  if (l.length - s.length !== 1) return false;
  for (let i = 0; i < l.length; i++) if (l.slice(0, i) + l.slice(i + 1) === s) return true;
  return false;
}

/**
 * SDK client options that send its HTTPS requests through HTTPS_PROXY unless NO_PROXY exempts the host. The
 * client's credential chain gets the same agent through `clientConfig`, which the SDK's default provider hands to
 * the clients it makes (SSO portal, SSO OIDC token refresh, STS for a profile's role_arn); without it an
 * `aws sso login` profile would reach IAM Identity Center directly and fail behind a mandatory proxy.
 */
function proxyOptions(
  endpointHost: string,
  env: Env,
): { requestHandler?: { httpsAgent: import('node:https').Agent }; clientConfig?: object } {
  // Fails early, naming the variable, when HTTPS_PROXY is not a usable URL.
  agentFor(new URL(`https://${endpointHost}`), env);
  if (!proxyConfigured(env)) return {};
  const requestHandler = { httpsAgent: new HttpsEnvProxyAgent(env) };
  return { requestHandler, clientConfig: { requestHandler } };
}

/** Token source backed by the AWS SDK. The role is assumed at most once per process. */
export function awsTokenSource(target: Target, options: AwsTokenSourceOptions = {}): TokenSource {
  let client: Promise<MWAAClient> | undefined;
  const env = options.env ?? process.env;
  const suffix = target.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  const mwaaProxy = () => proxyOptions(`api.airflow.${target.region}.${suffix}`, env);

  const mwaaClient = (): Promise<MWAAClient> => {
    client ??= (async () => {
      const profileProblem = missingProfile(env);
      if (profileProblem) throw profileProblem;
      if (!target.roleArn) return new MWAAClient({ region: target.region, ...mwaaProxy() });
      const sts = new STSClient({ region: target.region, ...proxyOptions(`sts.${target.region}.${suffix}`, env) });
      try {
        const out = await sts.send(
          new AssumeRoleCommand({
            RoleArn: target.roleArn,
            RoleSessionName: options.sessionName ?? roleSessionName(currentUser()),
            DurationSeconds: 900,
          }),
        );
        const c = out.Credentials;
        if (!c?.AccessKeyId || !c.SecretAccessKey) throw new BadReplyError('STS AssumeRole returned no credentials');
        const credentials: StaticCredentials = {
          accessKeyId: c.AccessKeyId,
          secretAccessKey: c.SecretAccessKey,
          sessionToken: c.SessionToken,
          expiration: c.Expiration,
        };
        return new MWAAClient({ region: target.region, credentials, ...mwaaProxy() });
      } catch (error) {
        throw awsError(error, 'AssumeRole', target);
      } finally {
        sts.destroy();
      }
    })();
    return client;
  };

  const issued = (step: 'CreateCliToken' | 'CreateWebLoginToken', token: string | undefined, hostname: string | undefined): IssuedToken => {
    if (!token || !hostname)
      throw new BadReplyError(
        `${step} returned no token or no webserver hostname`,
        'the environment may still be creating; check its status',
      );
    return { token, hostname };
  };

  return {
    async cliToken() {
      const mwaa = await mwaaClient();
      try {
        const out = await mwaa.send(new CreateCliTokenCommand({ Name: target.environment.name }));
        return issued('CreateCliToken', out.CliToken, out.WebServerHostname);
      } catch (error) {
        throw awsError(error, 'CreateCliToken', target);
      }
    },
    async webLoginToken() {
      const mwaa = await mwaaClient();
      try {
        const out = await mwaa.send(new CreateWebLoginTokenCommand({ Name: target.environment.name }));
        return issued('CreateWebLoginToken', out.WebToken, out.WebServerHostname);
      } catch (error) {
        throw awsError(error, 'CreateWebLoginToken', target);
      }
    },
  };
}
