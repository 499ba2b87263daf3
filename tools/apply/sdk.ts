/**
 * The AWS side of the wait: GetEnvironment in each participant account, as the deploy role Terraform
 * uses there (so `npm run apply` needs no permission Terraform does not already have). Thin: the
 * meaning of a reply is decided in wait.ts.
 */
import { GetEnvironmentCommand, MWAAClient, type GetEnvironmentCommandOutput } from '@aws-sdk/client-mwaa';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { EnvironmentStatus, Observation, WaitTarget } from './wait';

/** GetEnvironment's reply (or its not-found error) as an observation. */
export function observationOf(reply: GetEnvironmentCommandOutput | 'not-found'): Observation {
  if (reply === 'not-found') return { status: 'NOT_FOUND' };
  const env = reply.Environment;
  const error = env?.LastUpdate?.Error;
  return {
    status: (env?.Status ?? 'UNAVAILABLE') as EnvironmentStatus,
    ...(error && (error.ErrorCode || error.ErrorMessage) ? { lastError: { code: error.ErrorCode, message: error.ErrorMessage } } : {}),
  };
}

export const isNotFound = (error: unknown): boolean => (error as { name?: string } | undefined)?.name === 'ResourceNotFoundException';

/** GetEnvironment for one target through the given client. */
export async function getEnvironment(client: Pick<MWAAClient, 'send'>, name: string): Promise<Observation> {
  try {
    return observationOf(await client.send(new GetEnvironmentCommand({ Name: name })));
  } catch (error) {
    if (isNotFound(error)) return observationOf('not-found');
    throw error;
  }
}

export interface ClientFactoryOptions {
  readonly region: string;
  /** The role to assume per account (the Terraform deploy role). */
  readonly roleArnFor: (accountId: string) => string;
  readonly sessionName?: string;
}

/**
 * One MWAA client per account and region (a recovery stack's environments are in the recovery region), each with
 * credentials from AssumeRole on the account's deploy role, refreshed before they expire (a wait can outlast one session).
 */
export function mwaaClients(options: ClientFactoryOptions): { forTarget: (t: WaitTarget) => MWAAClient; destroy: () => void } {
  const sts = new STSClient({ region: options.region });
  const clients = new Map<string, MWAAClient>();
  const credentials = new Map<string, ReturnType<typeof credentialsFor>>();
  const credentialsFor = (accountId: string) => {
    let cached: { accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date } | undefined;
    return async () => {
      if (cached?.expiration && cached.expiration.getTime() - Date.now() > 5 * 60_000) return cached;
      const out = await sts.send(
        new AssumeRoleCommand({
          RoleArn: options.roleArnFor(accountId),
          RoleSessionName: options.sessionName ?? 'mwaa-platform-apply',
          DurationSeconds: 3600,
        }),
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole ${options.roleArnFor(accountId)} returned no credentials`);
      cached = { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
      return cached;
    };
  };
  return {
    forTarget(t) {
      const region = t.region ?? options.region;
      const key = `${t.accountId}/${region}`;
      let client = clients.get(key);
      if (!client) {
        // One session per account, shared by its regions' clients.
        if (!credentials.has(t.accountId)) credentials.set(t.accountId, credentialsFor(t.accountId));
        client = new MWAAClient({ region, credentials: credentials.get(t.accountId)! });
        clients.set(key, client);
      }
      return client;
    },
    destroy() {
      for (const c of clients.values()) c.destroy();
      sts.destroy();
    },
  };
}
