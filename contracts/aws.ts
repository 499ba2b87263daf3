/**
 * AWS identifier formats and partition rules, in one place for every layer: configuration validation,
 * constructs, the endpoint manager Lambda and the tools. Dependency-free.
 */

export const ACCOUNT_ID = /^\d{12}$/;
export const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
export const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
export const SECURITY_GROUP_ID = /^sg-[0-9a-f]{8,17}$/;
export const VPC_ENDPOINT_ID = /^vpce-[0-9a-f]{8,17}$/;
/** Region names of every partition: eu-west-1, us-gov-west-1, cn-north-1, us-iso-east-1, us-isob-east-1, eu-isoe-west-1. */
export const REGION = /^[a-z]{2}(-(gov|iso[a-z]?))?-[a-z]+-\d{1,2}$/;
/** IAM role names (without path). */
export const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** MWAA environment names: a letter, then letters, digits, '-' or '_' (max 80). */
export const ENVIRONMENT_NAME = /^[A-Za-z][0-9A-Za-z_-]{0,79}$/;

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
  `arn:${partition}:iam::${accountId}:role/${roleName}`;
