/**
 * Shared steps of `npm run plan` and `npm run check`: preview detection, synthesis, reading cdktf.out,
 * platform settings for the rules, and the capacity figures. Pure helpers are exported for tests; the few
 * I/O helpers are thin.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlatformConfig } from '../../config/load';
import type { PlatformConfig } from '../../config/model';
import { runRules, suppressionMatches } from '../rules';
import type { Finding, RuleSettings, StackJson, SuppressedFinding, Suppression } from '../rules/types';
import type { CapacityItem } from './review';
import { capacityUsage } from '../../config/validate/capacity';

/** Whether the AWS SDK/provider could find credentials in the environment (no network call). */
export function hasAwsCredentials(env: NodeJS.ProcessEnv): boolean {
  return Boolean(
    (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) ||
      env.AWS_PROFILE ||
      env.AWS_WEB_IDENTITY_TOKEN_FILE ||
      env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ||
      env.AWS_CONTAINER_CREDENTIALS_FULL_URI,
  );
}

/** PREVIEW=offline forces offline; otherwise offline exactly when there are no credentials. */
export function previewMode(env: NodeJS.ProcessEnv): 'offline' | 'live' {
  return env.PREVIEW === 'offline' || !hasAwsCredentials(env) ? 'offline' : 'live';
}

/** Participant stacks are `participant-<team>`; the owner stack has no team. */
export const teamOf = (stack: string): string | undefined => (stack.startsWith('participant-') ? stack.slice('participant-'.length) : undefined);

/** Runs main.ts (the cdktf app) so cdktf.out reflects the working tree. Throws with its stderr on failure. */
export function synthesize(root: string, env: NodeJS.ProcessEnv, preview: 'offline' | 'live'): void {
  // The same fast runner as cdktf.json and `npm run synth`.
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'main.ts'], {
    cwd: root,
    env: { ...env, ...(preview === 'offline' ? { PREVIEW: 'offline' } : {}) },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.status !== 0) throw new Error(`synthesis (tsx main.ts) failed with exit ${r.status}:\n${r.stderr || r.stdout}`);
}

/** Stack names under <outdir>/stacks, owner first. */
export function listStacks(outdir: string): string[] {
  const dir = join(outdir, 'stacks');
  if (!existsSync(dir)) throw new Error(`${dir} does not exist: synthesize first (npm run synth)`);
  return readdirSync(dir)
    .filter((s) => statSync(join(dir, s)).isDirectory() && existsSync(join(dir, s, 'cdk.tf.json')))
    .sort((a, b) => (a === 'owner' ? -1 : b === 'owner' ? 1 : a.localeCompare(b)));
}

export const stackDir = (outdir: string, stack: string): string => join(outdir, 'stacks', stack);

export function readStack(outdir: string, stack: string): StackJson {
  return JSON.parse(readFileSync(join(stackDir(outdir, stack), 'cdk.tf.json'), 'utf8')) as StackJson;
}

export interface PlatformInputs {
  readonly suppressions: readonly Suppression[];
  readonly settings: RuleSettings;
  readonly config?: PlatformConfig;
}

/** Suppressions and rule settings from the validated config (PLATFORM_CONFIG, default `config`). */
export function loadPlatformInputs(root: string, env: NodeJS.ProcessEnv): PlatformInputs {
  const config = loadPlatformConfig(join(root, env.PLATFORM_CONFIG || 'config'), { ownerOnly: env.BOOTSTRAP === 'owner' });
  return {
    config,
    suppressions: config.platform.securitySuppressions,
    settings: { allowPublicWebserver: config.platform.mwaa.allowPublicWebserver },
  };
}

export interface RulesRun {
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  /** Suppressions that matched nothing in any stack: stale exceptions to delete. */
  readonly unused: readonly Suppression[];
}

/** Runs every rule over every given stack. Pure given the stack JSON. */
export function runRulesOverStacks(stacks: ReadonlyArray<{ stack: string; json: StackJson }>, inputs: Omit<PlatformInputs, 'config'>): RulesRun {
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const s of stacks) {
    const r = runRules(s.json, { stack: s.stack, suppressions: inputs.suppressions, settings: inputs.settings });
    findings.push(...r.findings);
    suppressed.push(...r.suppressed);
  }
  const unused = inputs.suppressions.filter((x) => !suppressed.some((f) => suppressionMatches(x, f)));
  return { findings, suppressed, unused };
}

/** Capacity headroom for the review, from the same arithmetic that fails synthesis when a limit is exceeded. */
export function capacityFigures(config: PlatformConfig): CapacityItem[] {
  const { interfaceEndpoints: ep, sqsEndpointPolicy: sqs } = capacityUsage(config.platform, config.teams);
  return [
    {
      name: 'Interface endpoints in the shared VPC',
      used: ep.used,
      limit: ep.limit,
      note: `${ep.platform} platform + ${ep.used - ep.platform} for ${ep.environments} MWAA environments (database, plus webserver when private)`,
    },
    {
      name: 'SQS endpoint policy size',
      used: sqs.used,
      limit: sqs.limit,
      unit: 'chars',
      note: `worst case, ${sqs.queues} queue(s) of maximal name length by exact ARN, before compaction`,
    },
  ];
}
