import { join, relative } from 'node:path';
import type { TerraformStack } from 'cdktf';
import { App, LocalBackend, S3Backend } from 'cdktf';
import type { PlatformFile } from '../../model/model';

/** App context key holding the repository root (stacks/app.ts sets it from the loaded configuration). */
export const REPO_ROOT_CONTEXT = 'mwaa-platform:repoRoot';

/**
 * Local state by default (works with no setup); S3 with locking and one state key per stack when
 * configured. Lock: Terraform's S3 lock file (no DynamoDB table needed) unless `lock: dynamodb`.
 */
export function configureBackend(stack: TerraformStack, stackName: string, backend: PlatformFile['backend'], offlinePreview = false): void {
  // Offline preview cannot reach a remote state bucket; the plan then starts from empty local state.
  if (offlinePreview) backend = { type: 'local' };
  if (backend.type === 'local') {
    // State lives in the repository root, as with cdktf's default, never inside cdktf.out (which every synth
    // replaces); the path is relative to the stack directory so the output does not depend on the checkout.
    const stackDir = join(App.of(stack).outdir, 'stacks', stackName);
    // The root comes from the configuration (never the working directory); bare test apps have none and use the outdir's parent.
    const root = (stack.node.tryGetContext(REPO_ROOT_CONTEXT) as string | undefined) ?? join(App.of(stack).outdir, '..');
    new LocalBackend(stack, { path: relative(stackDir, join(root, `terraform.${stackName}.tfstate`)) });
    return;
  }
  const s3 = new S3Backend(stack, {
    bucket: backend.bucket,
    key: `${backend.keyPrefix}/${stackName}.tfstate`,
    region: backend.region,
    encrypt: true,
    kmsKeyId: backend.kmsKeyArn,
    dynamodbTable: backend.lock === 'dynamodb' ? backend.dynamodbTable : undefined,
    assumeRole: backend.roleArn ? { roleArn: backend.roleArn } : undefined,
  });
  if (backend.lock === 'lockfile') s3.addOverride('use_lockfile', true);
}
