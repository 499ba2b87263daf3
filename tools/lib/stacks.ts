/**
 * What the tools (`plan`, `check`, `bench`, `apply`) share: preview detection, synthesis through main.ts,
 * reading cdktf.out, and the platform settings the security rules need. Thin I/O around the pure parts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { stackOrder } from '../../contracts/names';
import { loadPlatformConfig } from '../../model/load';
import type { PlatformConfig } from '../../model/model';
import { configDirOf } from '../../model/synth-settings';
import type { RuleSettings, StackJson, Suppression } from '../rules';

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
    .sort(stackOrder);
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
  const config = loadPlatformConfig(configDirOf(env, root), { ownerOnly: env.BOOTSTRAP === 'owner' });
  return {
    config,
    suppressions: config.platform.securitySuppressions,
    settings: { allowPublicWebserver: config.platform.mwaa.allowPublicWebserver },
  };
}
