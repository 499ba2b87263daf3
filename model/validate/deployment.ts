import { dirname, join } from 'node:path';
import { CONTRACT_FILE, RECOVERY_CONTRACT_FILE } from '../contract';
import type { ConfigProblem } from '../errors';
import type { PlatformConfig } from '../model';

export interface DeploymentContext {
  /** Real providers (not `PREVIEW=offline`). */
  readonly real: boolean;
  /** Running in CI (`CI=true`, as GitHub Actions and most CI systems set it). */
  readonly ci: boolean;
}

/** `CI` as CI systems set it. */
export const isCi = (env: NodeJS.ProcessEnv): boolean => env.CI === 'true' || env.CI === '1';

/**
 * What a real deployment from CI must not run with, though it is fine on a laptop: the shipped example network
 * contract (fake ids: participants would plan against a VPC that does not exist) and local state (lost with the
 * runner, and the next run would try to create everything again).
 */
export function deploymentGuards(config: PlatformConfig, context: DeploymentContext): ConfigProblem[] {
  if (!context.real || !context.ci) return [];
  const problems: ConfigProblem[] = [];
  if (config.platform.backend.type === 'local') {
    problems.push({
      // Repository-relative, as the loader names files in every other message.
      file: config.files.platform,
      path: 'backend.type',
      message:
        'local state is refused in CI with real credentials (it is lost with the runner): create the state bucket with `npm run bootstrap -- --apply` and set backend: { type: s3, bucket, region, kmsKeyArn } as it prints (or set PREVIEW=offline for a preview)',
    });
  }
  if (config.contract?.source === 'example') {
    problems.push({
      file: join(dirname(config.files.platform), CONTRACT_FILE),
      path: 'source',
      message:
        'the shipped example contract (fake ids) is refused in CI with real credentials: apply the owner stack (BOOTSTRAP=owner), run `npm run publish-network` and merge the contract pull request it opens (or set PREVIEW=offline for a preview)',
    });
  }
  if (config.recoveryContract?.source === 'example') {
    problems.push({
      file: join(dirname(config.files.platform), RECOVERY_CONTRACT_FILE),
      path: 'source',
      message:
        'the shipped example recovery contract (fake ids) is refused in CI with real credentials: apply the recovery owner stack, run `npm run publish-network -- --recovery` and merge the contract (or set PREVIEW=offline for a preview)',
    });
  }
  return problems;
}
