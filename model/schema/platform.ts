import { z } from 'zod';
import { accountId, dnsLabel, iamRoleArn, logRetentionDays, region, strictObject, tags } from './common';

const cidr = z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, 'must be an IPv4 CIDR such as 10.40.0.0/16');
const availabilityZone = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, 'must be an availability zone name such as eu-west-1a');

/** The owner creates the shared VPC. */
const createdVpc = strictObject({
  cidr,
  availabilityZones: z.array(availabilityZone).min(2, 'MWAA needs subnets in at least two availability zones'),
  privateSubnetCidrs: z.array(cidr).min(2, 'MWAA needs two private subnets'),
  flowLogRetentionDays: logRetentionDays.default(90),
});

/** The owner adopts a VPC that already exists ("bring your own shared VPC"). */
const adoptedVpc = strictObject({
  vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, 'must be a VPC id such as vpc-0123456789abcdef0'),
  cidr,
  subnets: z
    .array(
      strictObject({
        id: z.string().regex(/^subnet-[0-9a-f]{8,17}$/, 'must be a subnet id such as subnet-0123456789abcdef0'),
        cidr,
        availabilityZone,
      }),
    )
    .min(2, 'MWAA needs two private subnets'),
  routeTableIds: z.array(z.string().regex(/^rtb-[0-9a-f]{8,17}$/, 'must be a route table id such as rtb-0123456789abcdef0')).default([]),
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

const network = strictObject({
  create: createdVpc.optional(),
  adopt: adoptedVpc.optional(),
  extraInterfaceEndpoints: z
    .array(z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)*$/, 'must be an endpoint service suffix such as secretsmanager or ecr.api'))
    .default([]),
  interfaceEndpointQuota: z.number().int().min(1).default(50),
}).superRefine((n, ctx) => {
  if (Boolean(n.create) === Boolean(n.adopt)) {
    ctx.addIssue({ code: 'custom', message: 'set exactly one of "create" (the owner creates the VPC) or "adopt" (an existing VPC)' });
  }
});

const sharing = strictObject({
  organizationArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:organizations::\d{12}:organization\/o-[a-z0-9]{10,32}$/, 'must be an organization ARN')
    .optional(),
  organizationId: z.string().regex(/^o-[a-z0-9]{10,32}$/, 'must be an organization id such as o-abcd123456').optional(),
  organizationalUnitArns: z
    .array(z.string().regex(/^arn:aws[a-z-]*:organizations::\d{12}:ou\/o-[a-z0-9]{10,32}\/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$/, 'must be an OU ARN'))
    .default([]),
});

const backend = z.discriminatedUnion(
  'type',
  [
    strictObject({ type: z.literal('local') }),
    strictObject({
      type: z.literal('s3'),
      bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
      region,
      keyPrefix: z.string().regex(/^[\w.\-/]*$/).default('mwaa-platform'),
      lock: z.enum(['lockfile', 'dynamodb']).default('lockfile'),
      dynamodbTable: z.string().optional(),
      kmsKeyArn: z.string().regex(/^arn:aws[a-z-]*:kms:/, 'must be a KMS key ARN').optional(),
      roleArn: iamRoleArn.optional(),
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
    .default('rate(15 minutes)'),
  logRetentionDays: logRetentionDays.default(90),
  alarmTopicArn: z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]+$/, 'must be an SNS topic ARN').optional(),
});

const mwaaPolicy = strictObject({
  allowPublicWebserver: z.boolean().default(false),
  maxEnvironmentsPerTeam: z.number().int().min(1).default(3),
});

const suppression = strictObject({
  rule: z.string().min(1),
  stack: z.string().optional(),
  resource: z.string().min(1, 'name the resource address the suppression applies to'),
  reason: z.string().min(10, 'a suppression needs a reason of at least 10 characters'),
});

export const platformSchema = strictObject({
  platform: dnsLabel('platform'),
  region,
  owner: strictObject({ accountId, deployRoleArn: iamRoleArn.optional() }),
  deployRoleName: z.string().regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name').default('mwaa-platform-deploy'),
  deployRoles: z
    .record(accountId, iamRoleArn, {
      error: (issue) => (issue.code === 'invalid_key' ? 'keys must be 12-digit AWS account ids written as quoted strings' : undefined),
    })
    .default({}),
  /** Read-only role for pull-request plans (`TERRAFORM_ROLE=plan`), same name in every account. */
  planRoleName: z.string().regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name').optional(),
  sharing: sharing.optional(),
  network,
  mwaa: mwaaPolicy.default({ allowPublicWebserver: false, maxEnvironmentsPerTeam: 3 }),
  endpointManager: endpointManager.default({ reconcileSchedule: 'rate(15 minutes)', logRetentionDays: 90 }),
  backend: backend.default({ type: 'local' }),
  tags,
  securitySuppressions: z.array(suppression).default([]),
});

export type PlatformFile = z.infer<typeof platformSchema>;
