import { z } from 'zod';
import { IAM_ROLE_ARN_PATTERN, ORGANIZATION_ID, ROUTE_TABLE_ID, SECURITY_GROUP_ID, SUBNET_ID, VPC_ID } from '../../contracts/aws';
import { accountId, dnsLabel, iamRoleArn, logRetentionDays, region, strictObject, tags } from './common';

const cidr = z
  .string()
  .regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'must be an IPv4 CIDR such as 10.40.0.0/16')
  .meta({ typeLabel: 'IPv4 CIDR' });
const availabilityZone = z
  .string()
  .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, 'must be an availability zone name such as eu-west-1a')
  .meta({ typeLabel: 'AZ name' });
const roleName = z
  .string()
  .regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name')
  .meta({ typeLabel: 'IAM role name' });

/** The owner creates the shared VPC. */
const createdVpc = strictObject({
  cidr: cidr.meta({ typeLabel: 'IPv4 CIDR, /16-/28', description: 'CIDR of the VPC the owner creates' }),
  availabilityZones: z
    .array(availabilityZone)
    .min(2, 'MWAA needs subnets in at least two availability zones')
    .meta({ description: 'At least two distinct AZs of `region` (from config: no AWS call at synth)' }),
  privateSubnetCidrs: z
    .array(cidr)
    .min(2, 'MWAA needs two private subnets')
    .meta({ description: 'One per AZ, in the same order, inside the VPC CIDR, non-overlapping, /28 or larger' }),
  flowLogRetentionDays: logRetentionDays.default(90).meta({ description: 'VPC flow log retention' }),
});

/** The owner adopts a VPC that already exists ("bring your own shared VPC"). */
const adoptedVpc = strictObject({
  vpcId: z
    .string()
    .regex(VPC_ID, 'must be a VPC id such as vpc-0123456789abcdef0')
    .meta({ typeLabel: '`vpc-…`', description: 'Existing VPC to use; nothing is created in it but endpoints' }),
  cidr: cidr.meta({ description: 'The adopted VPC’s CIDR' }),
  subnets: z
    .array(
      strictObject({
        id: z
          .string()
          .regex(SUBNET_ID, 'must be a subnet id such as subnet-0123456789abcdef0')
          .meta({ typeLabel: '`subnet-…`', description: 'Subnet id' }),
        cidr: cidr.meta({ description: 'The subnet’s CIDR, inside the VPC CIDR' }),
        availabilityZone: availabilityZone.meta({ description: 'The subnet’s AZ, in `region`' }),
      }),
    )
    .min(2, 'MWAA needs two private subnets')
    .meta({
      description:
        'Private subnets to share (two distinct AZs at least). Several in one AZ are all shared, but interface endpoints (one subnet per AZ, as EC2 requires) and MWAA use the first listed in each AZ',
    }),
  routeTableIds: z
    .array(z.string().regex(ROUTE_TABLE_ID, 'must be a route table id such as rtb-0123456789abcdef0'))
    .default([])
    .meta({ typeLabel: '`rtb-…` list', description: 'Route tables that get the S3 gateway endpoint' }),
  internetAccess: z.boolean().default(false).meta({
    description:
      'Whether the adopted subnets route to the internet (NAT). While false, requirements files that name an index, a URL or a VCS repository are refused: MWAA installs them inside the VPC',
  }),
});

export const INTERFACE_ENDPOINTS_MWAA_NEEDS = [
  'sqs',
  'logs',
  'monitoring',
  'ecr.api',
  'ecr.dkr',
  'kms',
  'airflow.api',
  'airflow.env',
  'airflow.ops',
] as const;

/** CodeArtifact names (CodeArtifact API reference, CreateDomain / CreateRepository patterns). */
const codeArtifactDomain = z
  .string()
  .regex(
    /^[a-z][a-z0-9-]{0,48}[a-z0-9]$/,
    'must be a CodeArtifact domain name: 2-50 lowercase letters, digits and hyphens, a letter first, no hyphen last',
  )
  .meta({ typeLabel: 'CodeArtifact domain name' });
const codeArtifactRepository = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{1,99}$/,
    'must be a CodeArtifact repository name: 2-100 letters, digits, ".", "_" and "-", not starting with a punctuation mark',
  )
  .meta({ typeLabel: 'CodeArtifact repository name' });

/** Opt-in PyPI mirror in the owner account, reached from the shared VPC through interface endpoints. */
const codeArtifactMirror = strictObject({
  domain: codeArtifactDomain
    .optional()
    .meta({ defaultLabel: '`platform`', description: 'CodeArtifact domain the owner account creates (one per account and region)' }),
  repository: codeArtifactRepository
    .default('pypi')
    .meta({ description: 'Repository environments read; its upstream is `upstreamRepository`' }),
  upstreamRepository: codeArtifactRepository
    .default('pypi-store')
    .meta({ description: 'Repository holding the `public:pypi` external connection; nobody reads it directly' }),
}).refine((m) => m.repository !== m.upstreamRepository, {
  message: 'repository and upstreamRepository must differ (the first reads through the second)',
  path: ['upstreamRepository'],
});

const network = strictObject({
  create: createdVpc.optional().meta({ defaultLabel: 'one of create/adopt', description: 'The owner creates the shared VPC' }),
  adopt: adoptedVpc
    .optional()
    .meta({ defaultLabel: 'one of create/adopt', description: 'Bring your own shared VPC: an existing VPC the owner account already has' }),
  extraInterfaceEndpoints: z
    .array(z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)*$/, 'must be an endpoint service suffix such as secretsmanager or ecr.api'))
    .default([])
    .meta({
      typeLabel: 'service suffixes',
      description: `Interface endpoints beyond the ${INTERFACE_ENDPOINTS_MWAA_NEEDS.length} MWAA needs (${INTERFACE_ENDPOINTS_MWAA_NEEDS.join(', ')}), e.g. \`secretsmanager\`, \`sts\`, \`ec2\``,
    }),
  interfaceEndpointQuota: z
    .number()
    .int()
    .min(1)
    .default(50)
    .meta({ description: 'Interface endpoints per VPC quota, for the capacity check' }),
  pythonPackages: strictObject({
    codeArtifact: codeArtifactMirror.optional().meta({
      defaultLabel: 'none: no mirror',
      description:
        'A CodeArtifact PyPI mirror in the owner account (domain, a repository with the `public:pypi` external connection, the repository environments read), its two interface endpoints, and read access for the execution roles of environments with a requirements file or startup script; the environments get its coordinates as `codeartifact.*` Airflow options (docs/mwaa-environments.md). With `recovery`, the owner stack of the recovery region has the same mirror for the recovered environments (docs/recovery-region.md)',
    }),
  })
    .default({})
    .meta({
      defaultLabel: 'none',
      description: 'How environments install Python packages without internet besides wheels in `plugins.zip`',
    }),
  webserverClients: strictObject({
    cidrs: z.array(cidr).default([]).meta({
      typeLabel: 'IPv4 CIDRs',
      description:
        'Networks of people who open `PRIVATE_ONLY` webservers and run `mwaa` (VPN client pool, office, bastion subnet), routed to the shared VPC (VPN, Direct Connect, peering, transit gateway); HTTPS only; not `0.0.0.0/0`',
    }),
    securityGroupIds: z
      .array(z.string().regex(SECURITY_GROUP_ID, 'must be a security group id such as sg-0123456789abcdef0'))
      .default([])
      .meta({
        typeLabel: '`sg-…` list',
        description: 'Security groups of clients in the shared VPC (bastion hosts, a Client VPN endpoint’s group), admitted on HTTPS',
      }),
  })
    .default({ cidrs: [], securityGroupIds: [] })
    .meta({
      defaultLabel: 'none',
      description:
        'Who may reach `PRIVATE_ONLY` webservers besides the shared subnets: a security group of its own that the endpoint manager puts on webserver endpoints only; database endpoints stay limited to the shared subnets',
    }),
}).superRefine((n, ctx) => {
  if (Boolean(n.create) === Boolean(n.adopt)) {
    ctx.addIssue({ code: 'custom', message: 'set exactly one of "create" (the owner creates the VPC) or "adopt" (an existing VPC)' });
  }
});

/**
 * The recovery region's shared VPC: the same `create`/`adopt` shapes as `network`, a second VPC the owner account
 * shares with the same accounts. Its CIDR must not overlap the primary's (validate/recovery.ts), so the two can be
 * routed to one another or to one corporate network without renumbering.
 */
const recoveryNetwork = strictObject({
  create: createdVpc.optional().meta({ defaultLabel: 'one of create/adopt', description: 'The owner creates the recovery VPC' }),
  adopt: adoptedVpc
    .optional()
    .meta({ defaultLabel: 'one of create/adopt', description: 'An existing VPC of the owner account in the recovery region' }),
  extraInterfaceEndpoints: z
    .array(z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)*$/, 'must be an endpoint service suffix such as secretsmanager or ecr.api'))
    .default([])
    .meta({ typeLabel: 'service suffixes', description: 'Interface endpoints beyond the ones MWAA needs, as in `network`' }),
  interfaceEndpointQuota: z
    .number()
    .int()
    .min(1)
    .default(50)
    .meta({ description: 'Interface endpoints per VPC quota of the recovery region, for the capacity check' }),
}).superRefine((n, ctx) => {
  if (Boolean(n.create) === Boolean(n.adopt)) {
    ctx.addIssue({ code: 'custom', message: 'set exactly one of "create" (the owner creates the VPC) or "adopt" (an existing VPC)' });
  }
});

const recovery = strictObject({
  region: region.meta({ description: 'The second region: its own owner stack and one recovery stack per team that asks; never `region`' }),
  network: recoveryNetwork.meta({
    description: 'The recovery region’s shared VPC, exactly one of `create` or `adopt`; its CIDR must not overlap `network`’s',
  }),
});

const sharing = strictObject({
  organizationArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:organizations::\d{12}:organization\/o-[a-z0-9]{10,32}$/, 'must be an organization ARN')
    .optional()
    .meta({ typeLabel: 'organization ARN', description: 'Share subnets with the whole organization instead of each participant account' }),
  organizationId: z.string().regex(ORGANIZATION_ID, 'must be an organization id such as o-abcd123456').optional().meta({
    typeLabel: '`o-…`',
    description: 'Status bus accepts events from the organization (`aws:PrincipalOrgID`) instead of listed accounts',
  }),
  organizationalUnitArns: z
    .array(
      z
        .string()
        .regex(/^arn:aws[a-z-]*:organizations::\d{12}:ou\/o-[a-z0-9]{10,32}\/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$/, 'must be an OU ARN'),
    )
    .default([])
    .meta({ typeLabel: 'OU ARNs', description: 'Share subnets with these OUs instead of each participant account' }),
});

const backend = z.discriminatedUnion(
  'type',
  [
    strictObject({ type: z.literal('local').meta({ defaultLabel: '`local`', description: 'Terraform state backend' }) }),
    strictObject({
      type: z.literal('s3'),
      bucket: z
        .string()
        .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name')
        .meta({ defaultLabel: 'required with s3', description: 'State bucket' }),
      region: region.meta({ defaultLabel: 'required with s3', description: 'Region of the state bucket' }),
      keyPrefix: z
        .string()
        .regex(/^[\w.\-/]*$/)
        .default('mwaa-platform')
        .meta({ description: 'State key is `<keyPrefix>/<stack>.tfstate`' }),
      lock: z
        .enum(['lockfile', 'dynamodb'])
        .default('lockfile')
        .meta({ description: 'S3 lock file (Terraform ≥ 1.10) or a DynamoDB table' }),
      dynamodbTable: z.string().optional().meta({ defaultLabel: 'required with `lock: dynamodb`', description: 'Lock table' }),
      kmsKeyArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:kms:/, 'must be a KMS key ARN')
        .optional()
        .meta({ typeLabel: 'KMS key ARN', description: 'State encryption key' }),
      roleArn: iamRoleArn.optional().meta({ description: 'Role to reach the state bucket' }),
    }).refine((b) => b.lock !== 'dynamodb' || Boolean(b.dynamodbTable), {
      message: 'lock: dynamodb needs dynamodbTable (or use lock: lockfile)',
      path: ['dynamodbTable'],
    }),
  ],
  { error: 'backend.type must be "local" or "s3"' },
);

const endpointManager = strictObject({
  reconcileSchedule: z
    .string()
    .regex(/^(rate\(\d+ (minute|minutes|hour|hours)\)|cron\(.+\))$/, 'must be an EventBridge schedule such as rate(15 minutes)')
    .default('rate(15 minutes)')
    .meta({ typeLabel: '`rate(…)`/`cron(…)`', description: 'How often the endpoint manager reconciles' }),
  logRetentionDays: logRetentionDays.default(90).meta({ description: 'Endpoint manager log retention' }),
  alarmTopicArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/, 'must be an SNS topic ARN')
    .optional()
    .meta({ typeLabel: 'SNS topic ARN', description: 'Where the endpoint manager’s alarms notify' }),
});

const mwaaPolicy = strictObject({
  allowPublicWebserver: z.boolean().default(false).meta({ description: 'Whether teams may request `PUBLIC_ONLY` webservers' }),
  maxEnvironmentsPerTeam: z.number().int().min(1).default(3).meta({ description: 'Environments a team file may request' }),
});

const suppression = strictObject({
  rule: z.string().min(1).meta({ description: 'Rule id, e.g. `CKV_AWS_116`' }),
  stack: z.string().optional().meta({ defaultLabel: 'every stack', description: 'Stack the suppression applies to' }),
  resource: z
    .string()
    .min(1, 'name the resource address the suppression applies to')
    .meta({ description: 'Resource address the finding is about' }),
  reason: z
    .string()
    .min(10, 'a suppression needs a reason of at least 10 characters')
    .meta({ typeLabel: 'string (≥ 10)', description: 'Why the finding is accepted; shown in the plan review' }),
});

/** GitHub repository names: `owner/name` as GitHub allows them. */
const githubRepository = z
  .string({ error: 'must be a GitHub repository written owner/name, e.g. acme/mwaa-platform' })
  .regex(
    /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/,
    'must be a GitHub repository written owner/name, e.g. acme/mwaa-platform (letters, digits, hyphens in the owner; letters, digits, ".", "_", "-" in the name)',
  )
  .refine((r) => !r.endsWith('/.') && !r.endsWith('/..'), 'the repository name cannot be "." or ".."')
  .meta({ typeLabel: '`owner/name`' });

/** A branch or environment name as it appears in the OIDC `sub` claim: no wildcards, no `:` (the claim's separator). */
const subClaimPart = (what: string, example: string) =>
  z
    .string({ error: `must be a ${what} name such as ${example}` })
    .regex(
      /^[A-Za-z0-9._/-]{1,255}$/,
      `must be a ${what} name such as ${example}: letters, digits, ".", "_", "/", "-" (no wildcards, no ":")`,
    );

const ci = strictObject({
  github: strictObject({
    repository: githubRepository.meta({ description: 'The repository whose GitHub Actions workflows deploy and plan' }),
    branch: subClaimPart('branch', 'main').default('main').meta({
      description:
        'Branch whose jobs may assume the deploy role when `environment` is not set, and the read-only plan role always (the scheduled drift check runs on it)',
    }),
    environment: subClaimPart('deployment environment', 'production').optional().meta({
      defaultLabel: 'none: trust `branch`',
      description:
        'GitHub deployment environment of the apply job; when set the deploy role trusts only jobs in it (the `sub` claim then names the environment, not the branch; restrict the environment to `branch` in the repository settings)',
    }),
    oidcProvider: z.enum(['create', 'adopt']).default('create').meta({
      description:
        '`create` the token.actions.githubusercontent.com identity provider in every account, or `adopt` the one that already exists (an account has at most one per URL)',
    }),
  }).meta({ description: 'GitHub Actions OIDC trust' }),
  stateAccountId: accountId
    .optional()
    .meta({ defaultLabel: 'owner account', description: 'Account of the state bucket; CI signs in to its deploy/plan role first' }),
  adminRoleName: roleName.optional().meta({
    defaultLabel: 'ambient credentials, one account per run',
    description:
      'Administrator role `npm run bootstrap -- --apply` assumes in every account (e.g. OrganizationAccountAccessRole), so one run bootstraps them all',
  }),
  operatorRoleArns: z
    .array(
      z
        .string()
        .regex(
          IAM_ROLE_ARN_PATTERN,
          'must be an IAM role ARN such as arn:aws:iam::111111111111:role/platform-operator ("*" may stand for the generated suffix of an IAM Identity Center role)',
        ),
    )
    .default([])
    .meta({
      typeLabel: 'list of IAM role ARNs',
      defaultLabel: 'none: only CI',
      description:
        "Roles of the state account whose sessions may assume the state account's deploy and plan roles, for the runbook's steps by hand (`npm run apply`, `npm run decommission`, the owner's destroy); Terraform then chains into the other accounts as CI does",
    }),
  deployRolePolicy: z.enum(['scoped', 'administrator']).default('scoped').meta({
    description:
      '`scoped`: the deploy role may use only the services and resources the stacks need; `administrator`: AdministratorAccess (see the bootstrap guide for when that is the honest choice)',
  }),
  noncurrentStateVersionDays: z
    .number()
    .int()
    .min(1)
    .max(3650)
    .default(90)
    .meta({ description: 'Days the state bucket keeps a replaced state version before it expires' }),
}).meta({ description: 'What `npm run bootstrap` creates in every account: CI trust, deploy and plan roles, the state bucket' });

export const platformSchema = strictObject({
  platform: dnsLabel('platform').meta({ description: 'Platform name; prefixes resource names and the status bus' }),
  region: region.meta({ description: 'Region of every stack' }),
  owner: strictObject({
    accountId: accountId.meta({ description: 'The network (owner) account' }),
    deployRoleArn: iamRoleArn
      .optional()
      .meta({ defaultLabel: '`deployRoleName` in the owner account', description: 'Role Terraform assumes in the owner account' }),
  }).meta({ description: 'The network account that owns the shared VPC' }),
  deployRoleName: roleName
    .default('mwaa-platform-deploy')
    .meta({ description: 'Role Terraform assumes in every account (`arn:<partition>:iam::<account>:role/<name>`)' }),
  deployRoles: z
    .record(accountId, iamRoleArn, {
      error: (issue) => (issue.code === 'invalid_key' ? 'keys must be 12-digit AWS account ids written as quoted strings' : undefined),
    })
    .default({})
    .meta({ typeLabel: 'map account → role ARN', description: 'Per-account override of the deploy role' }),
  planRoleName: roleName
    .optional()
    .meta({ description: 'Read-only role assumed in every account when `TERRAFORM_ROLE=plan` (pull-request plans)' }),
  sharing: sharing.optional().meta({
    defaultLabel: 'per participant account',
    description: 'Organization-wide subnet sharing and status events instead of per participant account',
  }),
  network: network.meta({ description: 'The shared VPC: exactly one of `create` or `adopt`' }),
  recovery: recovery.optional().meta({
    defaultLabel: 'none: no team may ask for recovery',
    description:
      'A recovery region for disaster recovery (docs/disaster-recovery.md): environments with `recovery:` get a replica there, planned and applied without the primary region',
  }),
  mwaa: mwaaPolicy.default({ allowPublicWebserver: false, maxEnvironmentsPerTeam: 3 }).meta({ description: 'What team files may request' }),
  endpointManager: endpointManager
    .default({ reconcileSchedule: 'rate(15 minutes)', logRetentionDays: 90 })
    .meta({ description: 'The Lambda that keeps the SQS endpoint policy in step with the environments' }),
  ci: ci
    .optional()
    .meta({ defaultLabel: 'none: `npm run bootstrap` refuses', description: 'Bootstrap and CI trust (`npm run bootstrap`)' }),
  backend: backend.default({ type: 'local' }).meta({ description: 'Terraform state backend of every stack' }),
  tags: tags.meta({ description: 'Tags on every resource of every stack' }),
  securitySuppressions: z
    .array(suppression)
    .default([])
    .meta({ description: 'Accepted security findings of `npm run check`; `reason` is mandatory and shown in the plan review' }),
});

export type PlatformFile = z.infer<typeof platformSchema>;
