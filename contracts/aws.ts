/**
 * AWS identifier formats and partition rules, in one place for every layer: configuration validation,
 * constructs, the endpoint manager Lambda and the tools. Dependency-free.
 */

export const ACCOUNT_ID = /^\d{12}$/;
export const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
export const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
export const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8,17}$/;
export const VPC_ENDPOINT_ID = /^vpce-[0-9a-f]{8,17}$/;
export const PREFIX_LIST_ID = /^pl-[0-9a-f]{8,17}$/;
export const ROUTE_TABLE_ID = /^rtb-[0-9a-f]{8,17}$/;
/** AWS Organizations organization id. */
export const ORGANIZATION_ID = /^o-[a-z0-9]{10,32}$/;
/** Region names of every partition: eu-west-1, us-gov-west-1, cn-north-1, us-iso-east-1, us-isob-east-1, eu-isoe-west-1. */
export const REGION = /^[a-z]{2}(-(gov|iso[a-z]?))?-[a-z]+-\d{1,2}$/;
/** IAM role names (without path). */
export const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** MWAA environment names: a letter, then letters, digits, '-' or '_' (max 80). */
export const ENVIRONMENT_NAME = /^[A-Za-z][0-9A-Za-z_-]{0,79}$/;

/** CodeArtifact domain and repository names. */
export const CODEARTIFACT_DOMAIN = /^[a-z][a-z0-9-]{0,48}[a-z0-9]$/;
export const CODEARTIFACT_REPOSITORY = /^[A-Za-z0-9][A-Za-z0-9._-]{1,99}$/;

// ARNs. The partition is any `aws…` one; a role's or user's name may carry a path (`role/path/name`, 512 at most).
const ARN_PREFIX = 'arn:aws[a-z-]*:';
const IAM_PATH_AND_NAME = '[\\w+=,.@/-]{1,512}';
/** An IAM role ARN, with or without a path. */
export const IAM_ROLE_ARN = new RegExp(`^${ARN_PREFIX}iam::\\d{12}:role/${IAM_PATH_AND_NAME}$`);
/** A role ARN whose name may hold `*` for the generated suffix of an IAM Identity Center role (an ARN pattern for conditions). */
export const IAM_ROLE_ARN_PATTERN = new RegExp(`^${ARN_PREFIX}iam::\\d{12}:role/[\\w+=,.@/*-]{1,512}$`);
/** An IAM role or user ARN. */
export const IAM_ROLE_OR_USER_ARN = new RegExp(`^${ARN_PREFIX}iam::\\d{12}:(role|user)/${IAM_PATH_AND_NAME}$`);
/** An account root principal. */
export const IAM_ACCOUNT_ROOT_ARN = new RegExp(`^${ARN_PREFIX}iam::\\d{12}:root$`);
/** An STS session (`assumed-role/<role>/<session>`); groups: partition, account, role name, session name. */
export const STS_ASSUMED_ROLE_ARN = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/([\w+=,.@-]+)$/;
/** The start of any STS session ARN (groups: partition, account, role name), to say what to write instead. */
export const STS_SESSION_PREFIX = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)/;
/** Any IAM principal a trust policy may name: a role, a user, an account root or an STS session. */
export const IAM_PRINCIPAL_ARN = new RegExp(
  [IAM_ROLE_OR_USER_ARN, IAM_ACCOUNT_ROOT_ARN, STS_ASSUMED_ROLE_ARN].map((r) => `(${r.source})`).join('|'),
);
/** An EventBridge event bus ARN. */
export const EVENT_BUS_ARN = new RegExp(`^${ARN_PREFIX}events:[a-z0-9-]+:\\d{12}:event-bus/[\\w.-]+$`);

export type Partition = string;

/** Partition of a region, for ARNs built before any ARN of our own is known. */
export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('eu-isoe-')) return 'aws-iso-e';
  return 'aws';
}

/** Partition from an ARN such as the Lambda's invokedFunctionArn; undefined when it is not an ARN. */
export function partitionOfArn(arn: string | undefined): Partition | undefined {
  const match = /^arn:(aws[a-z-]*):/.exec(arn ?? '');
  return match?.[1];
}

/** ARN of a role we name ourselves (path "/"), known before Terraform creates it. */
export const iamRoleArn = (partition: Partition, accountId: string, roleName: string): string =>
  formatArn({ partition, service: 'iam', region: '', account: accountId, resource: 'role', resourceName: roleName });

/** The parts of an ARN, as aws-cdk's `Stack.formatArn` takes them. */
export interface ArnComponents {
  readonly partition: Partition;
  readonly service: string;
  /** Empty for global services (IAM, S3 buckets, CloudFront). */
  readonly region: string;
  /** Empty for S3 buckets; `aws` for AWS-owned resources such as managed policies. */
  readonly account: string;
  /** The resource type, or the whole resource part when there is no name (`root`, `*`). */
  readonly resource: string;
  /** @default none: the ARN ends with `resource` */
  readonly resourceName?: string;
  /**
   * What separates `resource` and `resourceName`: `/` (`role/name`) or `:` (`function:name`, `log-group:name`).
   * @default '/'
   */
  readonly separator?: '/' | ':';
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>[<separator><resourceName>]`. */
export function formatArn(c: ArnComponents): string {
  const resource = c.resourceName === undefined ? c.resource : `${c.resource}${c.separator ?? '/'}${c.resourceName}`;
  return `arn:${c.partition}:${c.service}:${c.region}:${c.account}:${resource}`;
}

/** An S3 bucket (global: no region, no account). */
export const s3BucketArn = (partition: Partition, bucketName: string): string =>
  formatArn({ partition, service: 's3', region: '', account: '', resource: bucketName });

/** An account's root principal. */
export const accountRootArn = (partition: Partition, accountId: string): string =>
  formatArn({ partition, service: 'iam', region: '', account: accountId, resource: 'root' });

/** An AWS managed policy (`arn:<partition>:iam::aws:policy/<name>`). */
export const awsManagedPolicyArn = (partition: Partition, name: string): string =>
  formatArn({ partition, service: 'iam', region: '', account: 'aws', resource: 'policy', resourceName: name });
