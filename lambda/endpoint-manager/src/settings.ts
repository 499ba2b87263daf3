import { ENDPOINT_MANAGER_ENV as ENV } from '../../../contracts/endpoint-manager';
import { initialSqsEndpointPolicy } from '../../../contracts/sqs-endpoint-policy';
import { DEFAULT_POLICY_SIZE_LIMIT } from './policy';
import { ACCOUNT_ID, REGION, ROLE_NAME, SECURITY_GROUP_ID, SUBNET_ID, VPC_ENDPOINT_ID, VPC_ID, partitionOf, type Partition } from './names';

/** Runtime configuration, validated once at cold start (see README for the contract). */
export interface Settings {
  readonly region: string;
  readonly partition: Partition;
  readonly sharedVpcId: string;
  readonly sharedSubnetIds: ReadonlySet<string>;
  /** Put on database endpoints. */
  readonly endpointSecurityGroupId: string;
  /** Put on webserver endpoints (admits the configured webserver clients too). */
  readonly webserverSecurityGroupId: string;
  readonly sqsEndpointId: string;
  readonly participantAccounts: ReadonlySet<string>;
  readonly reconcileRoleName: string;
  readonly managedBy: string;
  readonly policySizeLimit: number;
}

export class SettingsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`endpoint-manager configuration is invalid: ${problems.join('; ')}`);
    this.name = 'SettingsError';
  }
}

/** Tag values: letters, digits, spaces and + - = . _ : / @ (the intersection EC2 and IAM accept), max 256. */
const TAG_VALUE = /^[\w .:/=+@-]{1,256}$/;

function commaList(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/**
 * Reads and validates the environment variables the Terraform side sets. Collects every problem so
 * one failed deployment shows all of them, and throws: a misconfigured function must fail at init,
 * visibly, rather than half-work on events.
 */
export function loadSettings(env: Readonly<Record<string, string | undefined>>): Settings {
  const problems: string[] = [];
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is required`);
    return value ?? '';
  };
  const matching = (name: string, pattern: RegExp, what: string): string => {
    const value = required(name);
    if (value && !pattern.test(value)) problems.push(`${name} must be ${what}, got "${value}"`);
    return value;
  };

  const region = matching('AWS_REGION', REGION, 'an AWS region');
  const sharedVpcId = matching(ENV.sharedVpcId, VPC_ID, 'a VPC id (vpc-...)');
  const endpointSecurityGroupId = matching(ENV.endpointSecurityGroupId, SECURITY_GROUP_ID, 'a security group id (sg-...)');
  const webserverSecurityGroupId = matching(ENV.webserverSecurityGroupId, SECURITY_GROUP_ID, 'a security group id (sg-...)');
  const sqsEndpointId = matching(ENV.sqsEndpointId, VPC_ENDPOINT_ID, 'a VPC endpoint id (vpce-...)');
  const reconcileRoleName = matching(ENV.reconcileRoleName, ROLE_NAME, 'an IAM role name (no path)');
  const managedBy = matching(ENV.managedBy, TAG_VALUE, 'a tag value (letters, digits, spaces, + - = . _ : / @)');

  const subnets = commaList(required(ENV.sharedSubnetIds));
  for (const subnet of subnets.filter((s) => !SUBNET_ID.test(s))) {
    problems.push(`${ENV.sharedSubnetIds} contains "${subnet}", which is not a subnet id (subnet-...)`);
  }
  const accounts = commaList(required(ENV.participantAccounts));
  for (const account of accounts.filter((a) => !ACCOUNT_ID.test(a))) {
    problems.push(`${ENV.participantAccounts} contains "${account}", which is not a 12-digit account id`);
  }

  const partition = partitionOf(region);
  let policySizeLimit = DEFAULT_POLICY_SIZE_LIMIT;
  const rawLimit = env[ENV.policySizeLimit]?.trim();
  if (rawLimit) {
    // The floor keeps room for the initial document plus at least one queue.
    const floor = initialSqsEndpointPolicy({ region: region || 'us-east-1', partition }).length + 100;
    policySizeLimit = Number(rawLimit);
    if (!/^\d+$/.test(rawLimit) || policySizeLimit < floor || policySizeLimit > DEFAULT_POLICY_SIZE_LIMIT) {
      problems.push(
        `${ENV.policySizeLimit} must be an integer between ${floor} and ${DEFAULT_POLICY_SIZE_LIMIT} (the VPC endpoint policy maximum), got "${rawLimit}"`,
      );
    }
  }

  if (problems.length > 0) throw new SettingsError(problems);
  return {
    region,
    partition,
    sharedVpcId,
    sharedSubnetIds: new Set(subnets),
    endpointSecurityGroupId,
    webserverSecurityGroupId,
    sqsEndpointId,
    participantAccounts: new Set(accounts),
    reconcileRoleName,
    managedBy,
    policySizeLimit,
  };
}
