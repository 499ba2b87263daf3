/**
 * Stacks that have state but no configuration: a team file removed before `npm run decommission` leaves the
 * account's environments, buckets and roles running with nothing managing them, and the owner's next apply drops
 * the account from the RAM share under them. `npm run plan` reports each as high.
 *
 * Pure detection (`orphanedStacks`) over state summaries; thin readers for the local backend (the state files
 * `terraform.<stack>.tfstate` in the project root, where constructs/common/state-backend.ts puts them) and the S3
 * backend (keys `<keyPrefix>/<stack>.tfstate`, listed when credentials allow).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { OWNER_STACK, RECOVERY_OWNER_STACK, participantStackName, recoveryStackName, teamOfStack } from '../../contracts/names';
import { recoveredEnvironments, type PlatformConfig } from '../../model/model';
import type { StackItem } from './review';
import { orphanable, orphanTitle } from './orphaned';

/** What a backend holds for one stack. */
export interface StateSummary {
  readonly stack: string;
  /** Managed resources with at least one instance; 0 for an empty state (decommissioned or never applied). */
  readonly resources: number;
  /** Where the state is, for the message: a file path or `s3://bucket/key`. */
  readonly location: string;
}

export interface OrphanedStack {
  readonly stack: string;
  readonly team: string;
  readonly resources: number;
  readonly location: string;
  /** The review's one-line title. */
  readonly title: string;
  readonly detail: string;
}

/** Orphan title, exactly as the review prints it (the offline comparison's title too: one item per stack). */
export { orphanTitle };

/**
 * Participant stacks whose state still has resources but whose team is no longer configured, and recovery stacks
 * (`owner-recovery`, `recovery-<team>`) the configuration no longer has. The owner and empty states are never orphans (an empty state is what decommission leaves behind).
 */
export function orphanedStacks(
  states: readonly StateSummary[],
  configuredTeams: readonly string[],
  configDir = 'config',
  configuredRecoveryStacks: readonly string[] = [],
): OrphanedStack[] {
  const configured = new Set([...configuredTeams.map(participantStackName), ...configuredRecoveryStacks]);
  return states
    .filter((s) => s.stack !== OWNER_STACK && orphanable(s.stack) !== undefined && !configured.has(s.stack) && s.resources > 0)
    .sort((a, b) => a.stack.localeCompare(b.stack))
    .map((s) => {
      const kind = orphanable(s.stack)!;
      const team = kind.team ?? '';
      const missing =
        teamOfStack(s.stack) !== undefined
          ? `${configDir}/teams/ has no team "${team}"`
          : s.stack === RECOVERY_OWNER_STACK
            ? `${configDir}/platform.yaml has no recovery region`
            : `the configuration no longer has ${s.stack} (no recovery for "${team}")`;
      return {
        stack: s.stack,
        team,
        resources: s.resources,
        location: s.location,
        title: kind.title,
        detail: `${s.stack} has ${s.resources} resource(s) in ${s.location}, but ${missing}: ${kind.remedy(configDir)}`,
      };
    });
}

/** The recovery stacks a configuration has: the recovery owner and each recovering team's, when there is a recovery region. */
export function configuredRecoveryStacks(config: Pick<PlatformConfig, 'platform' | 'teams'>): string[] {
  if (!config.platform.recovery) return [];
  return [RECOVERY_OWNER_STACK, ...config.teams.filter((t) => recoveredEnvironments(t).length > 0).map((t) => recoveryStackName(t.team))];
}

interface StateJson {
  readonly resources?: ReadonlyArray<{ readonly mode?: string; readonly instances?: readonly unknown[] }>;
}

/** Managed resources with instances in a Terraform state document. */
export function countResources(state: StateJson): number {
  return (state.resources ?? []).filter((r) => r.mode !== 'data' && (r.instances?.length ?? 0) > 0).length;
}

const STATE_FILE = /^terraform\.(.+)\.tfstate$/;

/** The local backend's state files in `root`. An unreadable file counts as having resources: better a false alarm. */
export function localStates(root: string): StateSummary[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((f) => ({ f, m: STATE_FILE.exec(f) }))
    .filter((x): x is { f: string; m: RegExpExecArray } => x.m !== null)
    .map(({ f, m }) => {
      const path = join(root, f);
      let resources: number;
      try {
        resources = countResources(JSON.parse(readFileSync(path, 'utf8')) as StateJson);
      } catch {
        resources = 1;
      }
      return { stack: m[1], resources, location: path };
    });
}

/** Lists and reads state objects; the S3 implementation is injected so tests need no AWS. */
export interface StateBucket {
  listKeys(prefix: string): Promise<string[]>;
  read(key: string): Promise<string>;
}

/** States under `<keyPrefix>/` in the bucket (keys `<keyPrefix>/<stack>.tfstate`). */
export async function s3States(bucket: StateBucket, bucketName: string, keyPrefix: string): Promise<StateSummary[]> {
  const prefix = keyPrefix ? `${keyPrefix.replace(/\/+$/, '')}/` : '';
  const out: StateSummary[] = [];
  for (const key of await bucket.listKeys(prefix)) {
    const rest = key.slice(prefix.length);
    const m = /^([^/]+)\.tfstate$/.exec(rest);
    if (!m) continue;
    let resources: number;
    try {
      resources = countResources(JSON.parse(await bucket.read(key)) as StateJson);
    } catch {
      resources = 1;
    }
    out.push({ stack: m[1], resources, location: `s3://${bucketName}/${key}` });
  }
  return out;
}

export interface OrphanScan {
  readonly orphans: readonly OrphanedStack[];
  /** Why part of the scan could not be done (shown in the review, never fatal). */
  readonly notes: readonly string[];
}

type Backend =
  | { readonly type: 'local' }
  | { readonly type: 's3'; readonly bucket: string; readonly keyPrefix: string; readonly region: string };

/** The S3 reader of the state bucket. Credentials are the caller's; listing needs s3:ListBucket on the prefix. */
export function s3Bucket(bucket: string, region: string): StateBucket {
  const client = new S3Client({ region });
  return {
    async listKeys(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const out = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const o of out.Contents ?? []) if (o.Key) keys.push(o.Key);
        token = out.IsTruncated ? out.NextContinuationToken : undefined;
      } while (token);
      return keys;
    },
    async read(key) {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return (await out.Body?.transformToString()) ?? '';
    },
  };
}

/**
 * Orphaned stacks of the configured backend: local state files in `root`, or the bucket's keys under the prefix
 * when `live` (credentials present) and the bucket can be listed. `bucketFor` replaces the S3 reader (tests).
 */
export async function scanForOrphans(
  root: string,
  backend: Backend,
  configuredTeams: readonly string[],
  options: {
    readonly live: boolean;
    readonly configDir?: string;
    /** The recovery stacks the configuration has (`owner-recovery`, `recovery-<team>`); others with state are orphaned. @default none */
    readonly recoveryStacks?: readonly string[];
    readonly bucketFor?: (bucket: string, region: string) => StateBucket | string;
  },
): Promise<OrphanScan> {
  if (backend.type === 'local')
    return { orphans: orphanedStacks(localStates(root), configuredTeams, options.configDir, options.recoveryStacks), notes: [] };
  if (!options.live)
    return {
      orphans: [],
      notes: [`state keys in s3://${backend.bucket}/${backend.keyPrefix}/ were not listed: no AWS credentials (offline preview)`],
    };
  const bucket = (options.bucketFor ?? s3Bucket)(backend.bucket, backend.region);
  if (typeof bucket === 'string') return { orphans: [], notes: [bucket] };
  try {
    return {
      orphans: orphanedStacks(
        await s3States(bucket, backend.bucket, backend.keyPrefix),
        configuredTeams,
        options.configDir,
        options.recoveryStacks,
      ),
      notes: [],
    };
  } catch (error) {
    return {
      orphans: [],
      notes: [
        `state keys in s3://${backend.bucket}/${backend.keyPrefix}/ could not be listed (${(error as Error).name}: ${(error as Error).message.split('\n')[0]}); orphaned stacks there are not detected`,
      ],
    };
  }
}

/** The scan as review items: each orphan is high (its environments would keep running unmanaged), each note info. */
export function orphanReviewItems(scan: OrphanScan): StackItem[] {
  return [
    ...scan.orphans.map((o) => ({ stack: o.stack, level: 'high' as const, title: o.title, details: [o.detail], orphaned: true as const })),
    ...scan.notes.map((note) => ({ stack: '(state)', level: 'info' as const, title: note })),
  ];
}
