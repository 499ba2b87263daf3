import { z } from 'zod';
import {
  formatArn,
  iamRoleArn,
  IAM_ACCOUNT_ROOT_ARN,
  IAM_ROLE_OR_USER_ARN,
  s3BucketArn,
  SECURITY_GROUP_ID,
  STS_SESSION_PREFIX,
} from '../../contracts/aws';
import { integer, strictObject } from './common';
import { parseCidr } from '../cidr';

/**
 * `eks:` in a team file: an EKS cluster next to the team's MWAA environments, in the shared subnets,
 * so Airflow tasks run as pods with their own IAM identities (IRSA). Statement contents (ARNs, wildcards)
 * are checked against the team's account in `validate/irsa.ts`; this file checks shapes only.
 */

/** Kubernetes namespace: an RFC 1123 label (63 characters at most). */
const k8sNamespace = z
  .string({
    error: 'must be a Kubernetes namespace name: 1-63 lowercase letters, digits and "-", starting and ending with a letter or digit',
  })
  .regex(
    /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    'must be a Kubernetes namespace name: 1-63 lowercase letters, digits and "-", starting and ending with a letter or digit',
  )
  .meta({ typeLabel: 'namespace name' });

/** Kubernetes service account name: an RFC 1123 label; kept to a label (no dots) because it is also part of an IAM role name. */
const k8sServiceAccountName = z
  .string({
    error: 'must be a Kubernetes service account name: 1-63 lowercase letters, digits and "-", starting and ending with a letter or digit',
  })
  .regex(
    /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
    'must be a Kubernetes service account name: 1-63 lowercase letters, digits and "-", starting and ending with a letter or digit',
  );

const cidr = z
  .string()
  .regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'must be an IPv4 CIDR such as 203.0.113.0/24')
  .meta({ typeLabel: 'IPv4 CIDR' });

/** A canonical IPv4 CIDR (host bits zero), not the whole internet: for the private API endpoint's admin clients. */
const adminCidr = z
  .string({ error: 'must be an IPv4 CIDR such as 10.8.0.0/16' })
  .refine((c) => parseCidr(c) !== undefined, 'must be an IPv4 CIDR with its host bits zero, such as 10.8.0.0/16 or 10.8.4.10/32')
  .refine((c) => !c.endsWith('/0'), 'a /0 admits every address; list the VPN, office or bastion CIDRs');

const securityGroupId = z.string().regex(SECURITY_GROUP_ID, 'must be a security group id such as sg-0123456789abcdef0');

/**
 * An IAM principal EKS accepts in an access entry: an IAM role or user ARN (a role ARN may have a path).
 * EKS refuses an account root (`:root`) and STS session ARNs (`assumed-role/...`): the messages say what to
 * write instead.
 */
export const eksPrincipalArn = z.string({ error: 'must be an IAM role or user ARN' }).superRefine((arn, ctx) => {
  if (IAM_ROLE_OR_USER_ARN.test(arn)) return;
  let message = 'must be an IAM role or user ARN such as arn:aws:iam::111111111111:role/name';
  if (IAM_ACCOUNT_ROOT_ARN.test(arn)) {
    message = 'an account root cannot have an EKS access entry; name the IAM role or user, e.g. arn:aws:iam::111111111111:role/name';
  } else if (STS_SESSION_PREFIX.test(arn)) {
    const [, partition, account, role] = STS_SESSION_PREFIX.exec(arn) ?? [];
    message = `an STS session ARN cannot have an EKS access entry; name the role itself: ${iamRoleArn(partition!, account!, role!)} (with its path, if it has one)`;
  }
  ctx.addIssue({ code: 'custom', message });
});

/** One IAM policy statement for a service account's role. Content rules live in `validate/irsa.ts`. */
export const irsaStatementSchema = strictObject({
  effect: z.enum(['Allow', 'Deny']).default('Allow').meta({ description: 'Statement effect' }),
  actions: z
    .array(z.string({ error: 'actions must be strings such as s3:GetObject' }), {
      error: 'must be a list of IAM actions such as s3:GetObject',
    })
    .min(1, 'list at least one action, such as s3:GetObject')
    .meta({ typeLabel: '`service:Action` list', description: 'No `*` or `svc:*` in Allow statements' }),
  resources: z
    .array(z.string({ error: 'resources must be ARN strings' }), { error: 'must be a list of resource ARNs in the team account' })
    .min(1, 'list at least one resource ARN')
    .meta({
      typeLabel: 'ARNs',
      description: 'Team account, platform region and partition; S3 buckets must be owned in config; `*` needs a reason',
    }),
  allowWildcardResourceReason: z
    .string()
    .optional()
    .meta({ typeLabel: 'string (≥ 20)', description: 'Required with a `*` resource: why the actions cannot be scoped to ARNs' }),
});

export const serviceAccountSchema = strictObject({
  name: k8sServiceAccountName.meta({
    typeLabel: 'DNS label (1-63)',
    description: 'Service account; role `<platform>-<team>-<ns>-<name>`, at most 64 characters',
  }),
  namespace: k8sNamespace
    .optional()
    .meta({ defaultLabel: '`eks.namespace`', description: 'Namespace of the service account; the role’s trust names exactly it' }),
  statements: z
    .array(irsaStatementSchema, { error: 'must be a list of IAM policy statements (effect, actions, resources)' })
    .min(1, 'give the service account at least one policy statement')
    .meta({ description: 'The IAM policy of the service account’s role' }),
});

export const EKS_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

const nodeGroupSchema = strictObject({
  instanceTypes: z
    .array(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, 'must be an EC2 instance type such as m6i.large'))
    .min(1, 'list at least one instance type')
    .default(['m6i.large'])
    .meta({ typeLabel: 'EC2 instance types', description: 'One architecture; Graviton types select the arm64 AMI' }),
  capacityType: z
    .enum(['ON_DEMAND', 'SPOT'], { error: 'capacityType must be ON_DEMAND or SPOT' })
    .default('ON_DEMAND')
    .meta({ description: 'Node purchasing option' }),
  // One message for every way to miss a range (quoted, 1e400, 2.5, 99999999999999999999). 450 is EKS's quota of
  // nodes per managed node group (EKS service quotas); gp3 volumes hold at most 16 TiB.
  minSize: integer(0, 450).default(1).meta({ description: 'Fewest nodes; ≤ `desiredSize`' }),
  maxSize: integer(1, 450).default(3).meta({ description: 'Most nodes; ≥ `desiredSize`' }),
  desiredSize: integer(0, 450).default(1).meta({ description: 'Nodes at creation, between `minSize` and `maxSize`' }),
  diskSize: integer(20, 16384)
    .default(50)
    .meta({ typeLabel: 'GiB (20–16384)', description: 'Encrypted gp3 root volume (launch template)' }),
}).superRefine((n, ctx) => {
  if (n.minSize > n.maxSize)
    ctx.addIssue({ code: 'custom', path: ['minSize'], message: `minSize (${n.minSize}) is larger than maxSize (${n.maxSize})` });
  const arm = n.instanceTypes.map((t) => /^[a-z]+\d+g[a-z]*\./.test(t));
  if (arm.some((a) => a !== arm[0])) {
    ctx.addIssue({
      code: 'custom',
      path: ['instanceTypes'],
      message: 'mixes Graviton (arm64) and x86_64 instance types; one node group runs one architecture',
    });
  }
  if (n.desiredSize < n.minSize || n.desiredSize > n.maxSize) {
    ctx.addIssue({
      code: 'custom',
      path: ['desiredSize'],
      message: `desiredSize (${n.desiredSize}) must be between minSize (${n.minSize}) and maxSize (${n.maxSize})`,
    });
  }
});

const defaultNodeGroup = {
  instanceTypes: ['m6i.large'],
  capacityType: 'ON_DEMAND' as const,
  minSize: 1,
  maxSize: 3,
  desiredSize: 1,
  diskSize: 50,
};

export const eksSchema = strictObject({
  /** Kubernetes minor version, e.g. "1.32". Required: an upgrade is a reviewed config change, never a platform default moving. */
  version: z
    .string({ error: 'must be the Kubernetes minor version as a quoted string, e.g. "1.32"' })
    .regex(/^1\.\d{2}$/, 'must be a Kubernetes minor version as a quoted string, e.g. "1.32"')
    .meta({ typeLabel: 'string `"1.NN"`', description: 'Kubernetes minor version; no default, so upgrades are reviewed changes' }),
  endpointPublicAccess: z
    .boolean()
    .default(false)
    .meta({ description: 'Also expose the API publicly (the private endpoint is always on)' }),
  publicAccessCidrs: z.array(cidr).default([]).meta({
    typeLabel: 'IPv4 CIDRs',
    description: 'Public endpoint allow-list; required with a public endpoint, refused without one, no `/0`',
  }),
  logTypes: z
    .array(z.enum(EKS_LOG_TYPES))
    .default([...EKS_LOG_TYPES])
    .meta({ defaultLabel: 'all five', description: 'Control-plane logs, kept for the team’s `logRetentionDays`' }),
  nodeGroup: nodeGroupSchema.default(defaultNodeGroup).meta({ description: 'The cluster’s managed node group' }),
  namespace: k8sNamespace.optional().meta({
    typeLabel: 'namespace name',
    defaultLabel: 'team name',
    description: 'Namespace MWAA runs pods in; execution-role access is scoped to it',
  }),
  serviceAccounts: z
    .array(serviceAccountSchema)
    .default([])
    .meta({ description: 'Kubernetes service accounts, each with its own IAM role (IRSA)' }),
  samplePipeline: z
    .boolean()
    .default(false)
    .meta({ description: 'Sample buckets, parameters, reader/writer service accounts and DAG settings' }),
  clusterAdmins: z
    .array(eksPrincipalArn, { error: 'must be a list of the IAM role or user ARNs that administer the cluster and apply its manifests' })
    .min(1, 'list at least one IAM role or user ARN: without a cluster admin nobody can apply the namespace and service accounts')
    .meta({
      typeLabel: 'IAM role or user ARNs (≥ 1)',
      defaultLabel: 'required',
      description:
        'Cluster-admin access entries (they apply the Kubernetes manifests). Explicit: never taken from `access.principals` (Airflow users, even `Viewer`, are no cluster admins); no `:root`, no `assumed-role/…` session ARNs; the Terraform deploy role never gets Kubernetes access',
    }),
  adminCidrs: z.array(adminCidr).default([]).meta({
    typeLabel: 'IPv4 CIDRs',
    description:
      'VPN, office or bastion ranges routed into the shared VPC, admitted on TCP 443 of the private API endpoint (`kubectl`); no `/0`',
  }),
  adminSecurityGroupIds: z.array(securityGroupId).default([]).meta({
    typeLabel: '`sg-…` ids',
    description: 'Security groups of bastions or runners in the shared VPC, admitted on TCP 443 of the private API endpoint',
  }),
}).superRefine((e, ctx) => {
  if (e.endpointPublicAccess && e.publicAccessCidrs.length === 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['publicAccessCidrs'],
      message: 'endpointPublicAccess needs publicAccessCidrs: list the CIDRs allowed to reach the public API endpoint',
    });
  }
  if (!e.endpointPublicAccess && e.publicAccessCidrs.length > 0) {
    ctx.addIssue({
      code: 'custom',
      path: ['publicAccessCidrs'],
      message: 'publicAccessCidrs has no effect while endpointPublicAccess is false; remove it or enable the public endpoint',
    });
  }
  const duplicates = (list: readonly string[], field: string) =>
    list.forEach((v, i) => {
      if (list.indexOf(v) !== i) ctx.addIssue({ code: 'custom', path: [field, i], message: `${v} is listed twice` });
    });
  duplicates(e.clusterAdmins, 'clusterAdmins');
  duplicates(e.adminCidrs, 'adminCidrs');
  duplicates(e.adminSecurityGroupIds, 'adminSecurityGroupIds');
  e.publicAccessCidrs.forEach((c, i) => {
    if (c.endsWith('/0'))
      ctx.addIssue({
        code: 'custom',
        path: ['publicAccessCidrs', i],
        message: `${c} opens the API endpoint to the whole internet; list specific CIDRs`,
      });
  });
});

export type EksFile = z.infer<typeof eksSchema>;
export type ServiceAccountFile = z.infer<typeof serviceAccountSchema>;
export type IrsaStatement = z.infer<typeof irsaStatementSchema>;

// ---------------------------------------------------------------------------------------------------------
// Names. Derived here (not in constructs) because validation, constructs, manifests and the sample DAG's
// config must agree on them, and role ARNs are computed from them before Terraform knows the real ARN.
// ---------------------------------------------------------------------------------------------------------

/** The team's cluster name: one cluster per team. */
export const eksClusterName = (platform: string, team: string) => `${platform}-${team}`;

/** Namespace MWAA's pods run in: `eks.namespace`, else the team name. */
export const eksNamespace = (team: { team: string; eks?: { namespace?: string } }) => team.eks?.namespace ?? team.team;

/**
 * IAM role name of a service account. The namespace is part of it so `ns-a/reader` and `ns-b/reader` never
 * share a role. Validation rejects declarations whose name would exceed IAM's 64 characters.
 */
export const irsaRoleName = (platform: string, team: string, namespace: string, serviceAccount: string) =>
  `${platform}-${team}-${namespace}-${serviceAccount}`;

export const IAM_ROLE_NAME_MAX = 64;

/** Sample pipeline names; the account id keeps the (global) bucket names unique. */
export function samplePipelineNames(platform: string, team: string, accountId: string) {
  const prefix = `${platform}-${team}-${accountId}`;
  return {
    sourceBucket: `${prefix}-eks-source`,
    destinationBucket: `${prefix}-eks-destination`,
    sourceParameter: `/${platform}/${team}/eks-sample/source-bucket`,
    destinationParameter: `/${platform}/${team}/eks-sample/destination-bucket`,
    readerServiceAccount: 'source-bucket-reader',
    writerServiceAccount: 'destination-bucket-writer',
  } as const;
}

/** ARN of an SSM parameter whose name starts with "/" (the ARN drops the leading slash's duplicate). */
export const ssmParameterArn = (partition: string, region: string, accountId: string, name: string) =>
  formatArn({ partition, service: 'ssm', region, account: accountId, resource: 'parameter', resourceName: name.replace(/^\//, '') });

/**
 * Every service account the cluster gets: the sample pipeline's reader and writer (when enabled) and the
 * team's declarations. The sample's accounts are built from the same schema so they pass the same validation.
 */
export function effectiveServiceAccounts(
  team: { team: string; accountId: string; eks?: EksFile },
  platform: { platform: string; region: string },
  partition: string,
): Array<ServiceAccountFile & { namespace: string; generated: boolean }> {
  if (!team.eks) return [];
  const namespace = eksNamespace(team);
  const declared = team.eks.serviceAccounts.map((sa) => ({ ...sa, namespace: sa.namespace ?? namespace, generated: false }));
  if (!team.eks.samplePipeline) return declared;
  const n = samplePipelineNames(platform.platform, team.team, team.accountId);
  const param = (name: string) => ssmParameterArn(partition, platform.region, team.accountId, name);
  const sample = [
    {
      name: n.readerServiceAccount,
      namespace,
      generated: true,
      statements: [
        { effect: 'Allow' as const, actions: ['s3:ListBucket'], resources: [s3BucketArn(partition, n.sourceBucket)] },
        { effect: 'Allow' as const, actions: ['ssm:GetParameter'], resources: [param(n.sourceParameter)] },
      ],
    },
    {
      name: n.writerServiceAccount,
      namespace,
      generated: true,
      statements: [
        { effect: 'Allow' as const, actions: ['s3:PutObject'], resources: [`${s3BucketArn(partition, n.destinationBucket)}/*`] },
        { effect: 'Allow' as const, actions: ['ssm:GetParameter'], resources: [param(n.destinationParameter)] },
      ],
    },
  ];
  return [...sample, ...declared];
}

/** Buckets a team owns in config, which its service accounts may name by (account-less) S3 ARN. */
export function teamOwnedBuckets(team: { team: string; accountId: string; eks?: EksFile }, platform: { platform: string }): string[] {
  if (!team.eks?.samplePipeline) return [];
  const n = samplePipelineNames(platform.platform, team.team, team.accountId);
  return [n.sourceBucket, n.destinationBucket];
}
