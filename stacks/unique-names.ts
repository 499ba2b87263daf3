import type { App } from 'cdktf';
import { TerraformResource, TerraformStack, Token } from 'cdktf';
import { PlatformStack } from '../constructs/common/platform-stack';

/**
 * Resource types whose name AWS keeps unique, the attribute holding the name, and its scope: `global` (S3
 * bucket names across every account of the partition), `account` (IAM) or `region` (one account and region).
 * Two stacks declaring the same name would each plan cleanly and the second apply would fail with
 * `EntityAlreadyExists`/`BucketAlreadyExists`, or worse, adopt nothing and fight over one resource.
 */
export const NAMED_RESOURCES: Readonly<
  Record<string, { readonly attribute: string; readonly scope: 'global' | 'account' | 'region'; readonly what: string }>
> = {
  aws_iam_role: { attribute: 'name', scope: 'account', what: 'IAM role' },
  aws_iam_policy: { attribute: 'name', scope: 'account', what: 'IAM policy' },
  aws_iam_instance_profile: { attribute: 'name', scope: 'account', what: 'IAM instance profile' },
  aws_cloudwatch_event_rule: { attribute: 'name', scope: 'region', what: 'EventBridge rule' },
  aws_cloudwatch_log_group: { attribute: 'name', scope: 'region', what: 'CloudWatch log group' },
  aws_sqs_queue: { attribute: 'name', scope: 'region', what: 'SQS queue' },
  aws_sns_topic: { attribute: 'name', scope: 'region', what: 'SNS topic' },
  aws_s3_bucket: { attribute: 'bucket', scope: 'global', what: 'S3 bucket' },
  aws_secretsmanager_secret: { attribute: 'name', scope: 'region', what: 'Secrets Manager secret' },
  aws_kms_alias: { attribute: 'name', scope: 'region', what: 'KMS alias' },
  aws_ssm_parameter: { attribute: 'name', scope: 'region', what: 'SSM parameter' },
  aws_eks_cluster: { attribute: 'name', scope: 'region', what: 'EKS cluster' },
  aws_mwaa_environment: { attribute: 'name', scope: 'region', what: 'MWAA environment' },
};

export interface NameClash {
  readonly what: string;
  readonly name: string;
  /** `account 222222222222`, `account 222222222222 in eu-west-1`, or `every account` (S3). */
  readonly where: string;
  /** `stack/type.id` of the first declaration and of the clashing one. */
  readonly first: string;
  readonly second: string;
}

/** Thrown before anything is written: the message names both stacks and the resource. */
export class DuplicateNameError extends Error {
  constructor(public readonly clashes: readonly NameClash[]) {
    super(
      `Two declarations of one AWS name; nothing was synthesized:\n${clashes
        .map((c) => `  ${c.what} "${c.name}" (unique per ${c.where}) is declared by ${c.first} and by ${c.second}`)
        .join('\n')}`,
    );
    this.name = 'DuplicateNameError';
  }
}

/**
 * Every name clash among the app's stacks: the same name for a named resource in one account (IAM), one
 * account and region (regional resources; event rules per event bus), or anywhere (S3 buckets). Names that
 * are still Terraform references cannot be compared and are skipped; the platform derives names from config.
 */
export function findNameClashes(app: App): NameClash[] {
  const seen = new Map<string, string>();
  const clashes: NameClash[] = [];
  const stacks = app.node.children.filter((c): c is TerraformStack => c instanceof TerraformStack);
  for (const stack of stacks) {
    const account = stack instanceof PlatformStack ? stack.accountId : stack.node.id;
    const region = stack instanceof PlatformStack ? stack.region : '';
    // Only the named resources' own attributes are rendered: rendering the whole stack would cost as much
    // as a second synthesis.
    for (const resource of stack.node.findAll()) {
      if (!(resource instanceof TerraformResource)) continue;
      const type = resource.terraformResourceType;
      const spec = NAMED_RESOURCES[type];
      if (!spec) continue;
      const config = (resource as unknown as { synthesizeAttributes(): Record<string, unknown> }).synthesizeAttributes();
      const name = config[spec.attribute];
      if (typeof name !== 'string' || Token.isUnresolved(name)) continue;
      // Rules are unique per event bus; the default bus unless one is named.
      const busName = config.event_bus_name;
      const bus = type === 'aws_cloudwatch_event_rule' ? `/${typeof busName === 'string' ? busName : 'default'}` : '';
      const where =
        spec.scope === 'global' ? 'every account' : spec.scope === 'account' ? `account ${account}` : `account ${account} in ${region}`;
      const scopeKey = spec.scope === 'global' ? '' : spec.scope === 'account' ? account : `${account}/${region}`;
      const key = `${spec.what}|${scopeKey}${bus}|${name}`;
      const at = `${stack.node.id}/${type}.${stack.getLogicalId(resource)}`;
      const first = seen.get(key);
      if (first) clashes.push({ what: spec.what, name, where, first, second: at });
      else seen.set(key, at);
    }
  }
  return clashes;
}

/** Throws {@link DuplicateNameError} when any two declarations share a name AWS keeps unique. */
export function assertUniqueNames(app: App): void {
  const clashes = findNameClashes(app);
  if (clashes.length > 0) throw new DuplicateNameError(clashes);
}
