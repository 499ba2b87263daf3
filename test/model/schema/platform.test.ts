/**
 * platform.yaml's schema on its own (no loader, no temporary repository): the defaults a minimal file gets,
 * a valid S3 backend, and for every id, ARN and name pattern the near misses it must refuse (anchors,
 * lengths, character sets). Cross-field network rules live in model/validate and are tested through the loader.
 */
import fc from 'fast-check';
import { platformSchema } from '../../../model/schema/platform';

type Yaml = Record<string, any>;

/** The smallest platform.yaml the schema accepts. */
const minimal = (): Yaml => ({
  platform: 'acme-data',
  region: 'eu-west-1',
  owner: { accountId: '111111111111' },
  network: {
    create: {
      cidr: '10.40.0.0/16',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      privateSubnetCidrs: ['10.40.0.0/20', '10.40.16.0/20'],
    },
  },
});

const adopted = (): Yaml => ({
  vpcId: 'vpc-0123456789abcdef0',
  cidr: '10.60.0.0/16',
  subnets: [
    { id: 'subnet-0123456789abcdef0', cidr: '10.60.0.0/20', availabilityZone: 'eu-west-1a' },
    { id: 'subnet-0123456789abcdef1', cidr: '10.60.16.0/20', availabilityZone: 'eu-west-1b' },
  ],
});

const ci = (): Yaml => ({ github: { repository: 'acme/mwaa-platform' } });

/** `path: message` of every issue of the edited minimal file; empty when it parses. */
function problems(edit: (p: Yaml) => void): string[] {
  const p = minimal();
  edit(p);
  const r = platformSchema.safeParse(p);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

function parsed(edit: (p: Yaml) => void = () => {}): any {
  const p = minimal();
  edit(p);
  return platformSchema.parse(p);
}

/** Sets `value` at a dotted path (numeric segments index lists). */
function setAt(p: Yaml, path: string, value: unknown): void {
  const keys = path.split('.');
  let at: any = p;
  for (const k of keys.slice(0, -1)) at = at[k];
  at[keys.at(-1)!] = value;
}

describe('platform.yaml defaults', () => {
  it('a minimal file gets the secure and documented defaults', () => {
    expect(parsed()).toEqual({
      platform: 'acme-data',
      region: 'eu-west-1',
      owner: { accountId: '111111111111' },
      deployRoleName: 'mwaa-platform-deploy',
      deployRoles: {},
      network: {
        create: {
          cidr: '10.40.0.0/16',
          availabilityZones: ['eu-west-1a', 'eu-west-1b'],
          privateSubnetCidrs: ['10.40.0.0/20', '10.40.16.0/20'],
          flowLogRetentionDays: 90,
        },
        extraInterfaceEndpoints: [],
        interfaceEndpointQuota: 50,
        webserverClients: { cidrs: [], securityGroupIds: [] },
        pythonPackages: {},
      },
      mwaa: { allowPublicWebserver: false, maxEnvironmentsPerTeam: 3 },
      endpointManager: { reconcileSchedule: 'rate(15 minutes)', logRetentionDays: 90 },
      backend: { type: 'local' },
      tags: {},
      securitySuppressions: [],
    });
  });

  it('an empty mwaa or endpointManager mapping gets the same defaults field by field', () => {
    const p = parsed((x) => {
      x.mwaa = {};
      x.endpointManager = {};
      x.network.webserverClients = {};
    });
    expect(p.mwaa).toEqual({ allowPublicWebserver: false, maxEnvironmentsPerTeam: 3 });
    expect(p.endpointManager).toEqual({ reconcileSchedule: 'rate(15 minutes)', logRetentionDays: 90 });
    expect(p.network.webserverClients).toEqual({ cidrs: [], securityGroupIds: [] });
  });

  it('an adopted VPC gets no route tables and no internet access unless it says so', () => {
    const p = parsed((x) => {
      delete x.network.create;
      x.network.adopt = adopted();
    });
    expect(p.network.adopt).toEqual({ ...adopted(), routeTableIds: [], internetAccess: false });
    expect(p.network.create).toBeUndefined();
  });

  it('ci gets branch main, a created OIDC provider, no operators, the scoped deploy policy and 90 days of old state versions', () => {
    expect(parsed((x) => (x.ci = ci())).ci).toEqual({
      github: { repository: 'acme/mwaa-platform', branch: 'main', oidcProvider: 'create' },
      operatorRoleArns: [],
      deployRolePolicy: 'scoped',
      noncurrentStateVersionDays: 90,
    });
  });
});

describe('backend', () => {
  it('loads a valid S3 backend with its defaults', () => {
    expect(parsed((x) => (x.backend = { type: 's3', bucket: 'acme-state', region: 'eu-west-1' })).backend).toEqual({
      type: 's3',
      bucket: 'acme-state',
      region: 'eu-west-1',
      keyPrefix: 'mwaa-platform',
      lock: 'lockfile',
    });
  });

  it('loads every S3 backend field', () => {
    const backend = {
      type: 's3',
      bucket: 'acme.state-1',
      region: 'us-gov-west-1',
      keyPrefix: 'a/b.c-d_e',
      lock: 'dynamodb',
      dynamodbTable: 'locks',
      kmsKeyArn: 'arn:aws-us-gov:kms:us-gov-west-1:111111111111:alias/state',
      roleArn: 'arn:aws:iam::111111111111:role/state',
    };
    expect(parsed((x) => (x.backend = backend)).backend).toEqual(backend);
    expect(parsed((x) => (x.backend = { type: 's3', bucket: 'abc', region: 'eu-west-1', keyPrefix: '' })).backend.keyPrefix).toBe('');
  });

  it.each([
    [{ type: 'gcs' }, 'backend.type: backend.type must be "local" or "s3"'],
    [{ type: 's3', region: 'eu-west-1' }, 'backend.bucket: Invalid input: expected string, received undefined'],
    [
      { type: 's3', bucket: 'acme-state', region: 'eu-west-1', lock: 'dynamodb' },
      'backend.dynamodbTable: lock: dynamodb needs dynamodbTable (or use lock: lockfile)',
    ],
    [
      { type: 's3', bucket: 'acme-state', region: 'eu-west-1', lock: 'dynamodb', dynamodbTable: '' },
      'backend.dynamodbTable: lock: dynamodb needs dynamodbTable (or use lock: lockfile)',
    ],
    [
      { type: 's3', bucket: 'acme-state', region: 'eu-west-1', keyPrefix: 'a b' },
      'backend.keyPrefix: Invalid string: must match pattern /^[\\w.\\-/]*$/',
    ],
    [
      { type: 's3', bucket: 'acme-state', region: 'eu-west-1', keyPrefix: 'a:b' },
      'backend.keyPrefix: Invalid string: must match pattern /^[\\w.\\-/]*$/',
    ],
    [
      { type: 's3', bucket: 'acme-state', region: 'eu-west-1', kmsKeyArn: 'arn:aws:s3:::bucket' },
      'backend.kmsKeyArn: must be a KMS key ARN',
    ],
    [
      { type: 's3', bucket: 'acme-state', region: 'eu-west-1', kmsKeyArn: 'xarn:aws:kms:eu-west-1:111111111111:key/k' },
      'backend.kmsKeyArn: must be a KMS key ARN',
    ],
    [
      { type: 's3', bucket: 'acme-state', region: 'eu-west-1', kmsKeyArn: 'arn:aws1:kms:eu-west-1:111111111111:key/k' },
      'backend.kmsKeyArn: must be a KMS key ARN',
    ],
  ])('refuses %j', (backend, expected) => {
    expect(problems((x) => (x.backend = backend))).toEqual([expected]);
  });

  it('a lock table is accepted with lockfile locking too, and dynamodb locking with a table', () => {
    expect(problems((x) => (x.backend = { type: 's3', bucket: 'abc', region: 'eu-west-1', lock: 'dynamodb', dynamodbTable: 't' }))).toEqual(
      [],
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Patterns. Each case: the field, values it must take, near misses it must refuse, and the message.
// ---------------------------------------------------------------------------------------------------------

interface PatternCase {
  readonly field: string;
  readonly setup?: (p: Yaml) => void;
  readonly valid: readonly string[];
  readonly invalid: readonly string[];
  readonly message: string;
}

const useAdopt = (p: Yaml) => {
  delete p.network.create;
  p.network.adopt = adopted();
};
const useSharing = (p: Yaml) => (p.sharing = {});
const useS3 = (p: Yaml) => (p.backend = { type: 's3', bucket: 'acme-state', region: 'eu-west-1' });
const useCi = (p: Yaml) => (p.ci = ci());
const useSuppression = (p: Yaml) =>
  (p.securitySuppressions = [{ rule: 'CKV_AWS_1', resource: 'aws_s3_bucket.x', reason: 'accepted for a reason' }]);

const CIDR_VALID = ['10.40.0.0/16', '1.2.3.4/5', '100.200.255.0/24', '10.40.0.0/28'];
const CIDR_INVALID = [
  '10.40.0.0',
  '10.40.0.0/',
  '10.40.0/16',
  '10.40.0.0.0/16',
  '1000.0.0.0/16',
  '10.40.0.0/160',
  'x10.40.0.0/16',
  '10.40.0.0/16x',
  '10.40.0.0 /16',
  'a.b.c.d/16',
  '10,40.0.0/16',
];
const AZ_VALID = ['eu-west-1a', 'us-gov-west-1b', 'ap-southeast-2c'];
const AZ_INVALID = [
  'eu-west-1',
  'eu-west-a',
  'e-west-1a',
  'eu-west-12a',
  'xeu-west-1aa',
  ' eu-west-1a',
  'eu-west-1a ',
  'EU-west-1a',
  'eu-gov-1a-x',
  'euwest-1a',
  'eu-west1a',
  'eu--1a',
  'eu-west-1A',
];
const hexIds = (prefix: string) => ({
  valid: [`${prefix}-01234567`, `${prefix}-0123456789abcdef0`, `${prefix}-89abcdef`, `${prefix}-abcdef0123`],
  invalid: [
    `${prefix}-0123456`,
    `${prefix}-0123456789abcdef01`,
    `${prefix}-0123456789ABCDEF0`,
    `${prefix}-0123456g`,
    `x${prefix}-01234567`,
    `${prefix}-01234567 `,
    `${prefix}01234567`,
    `${prefix}-`,
  ],
});
const ORG = 'o-abcd123456';

const PATTERNS: readonly PatternCase[] = [
  { field: 'network.create.cidr', valid: CIDR_VALID, invalid: CIDR_INVALID, message: 'must be an IPv4 CIDR such as 10.40.0.0/16' },
  {
    field: 'network.create.privateSubnetCidrs.0',
    valid: CIDR_VALID,
    invalid: CIDR_INVALID,
    message: 'must be an IPv4 CIDR such as 10.40.0.0/16',
  },
  {
    field: 'network.create.availabilityZones.1',
    valid: AZ_VALID,
    invalid: AZ_INVALID,
    message: 'must be an availability zone name such as eu-west-1a',
  },
  { field: 'network.adopt.vpcId', setup: useAdopt, ...hexIds('vpc'), message: 'must be a VPC id such as vpc-0123456789abcdef0' },
  {
    field: 'network.adopt.cidr',
    setup: useAdopt,
    valid: CIDR_VALID,
    invalid: CIDR_INVALID,
    message: 'must be an IPv4 CIDR such as 10.40.0.0/16',
  },
  {
    field: 'network.adopt.subnets.0.id',
    setup: useAdopt,
    ...hexIds('subnet'),
    message: 'must be a subnet id such as subnet-0123456789abcdef0',
  },
  {
    field: 'network.adopt.subnets.1.cidr',
    setup: useAdopt,
    valid: CIDR_VALID,
    invalid: CIDR_INVALID,
    message: 'must be an IPv4 CIDR such as 10.40.0.0/16',
  },
  {
    field: 'network.adopt.subnets.1.availabilityZone',
    setup: useAdopt,
    valid: AZ_VALID,
    invalid: AZ_INVALID,
    message: 'must be an availability zone name such as eu-west-1a',
  },
  {
    field: 'network.adopt.routeTableIds.0',
    setup: (p) => {
      useAdopt(p);
      p.network.adopt.routeTableIds = ['rtb-01234567'];
    },
    ...hexIds('rtb'),
    message: 'must be a route table id such as rtb-0123456789abcdef0',
  },
  {
    field: 'network.extraInterfaceEndpoints.0',
    setup: (p) => (p.network.extraInterfaceEndpoints = ['sts']),
    valid: ['secretsmanager', 'ecr.api', 's3-x.y2.z-9', '0'],
    invalid: ['', 'Ecr', 'ecr.', '.ecr', 'ecr..api', 'ecr api', 'ecr_api', 'com.amazonaws.eu-west-1.sts '],
    message: 'must be an endpoint service suffix such as secretsmanager or ecr.api',
  },
  {
    field: 'network.webserverClients.cidrs.0',
    setup: (p) => (p.network.webserverClients = { cidrs: ['10.8.0.0/16'] }),
    valid: CIDR_VALID,
    invalid: CIDR_INVALID,
    message: 'must be an IPv4 CIDR such as 10.40.0.0/16',
  },
  {
    field: 'network.webserverClients.securityGroupIds.0',
    setup: (p) => (p.network.webserverClients = { securityGroupIds: ['sg-01234567'] }),
    ...hexIds('sg'),
    message: 'must be a security group id such as sg-0123456789abcdef0',
  },
  {
    field: 'sharing.organizationArn',
    setup: useSharing,
    valid: [
      `arn:aws:organizations::111111111111:organization/${ORG}`,
      'arn:aws-us-gov:organizations::111111111111:organization/o-0123456789abcdefghijklmnopqrstuv',
    ],
    invalid: [
      `arn:aws:organizations::11111111111:organization/${ORG}`,
      `arn:aws:organizations::1111111111111:organization/${ORG}`,
      'arn:aws:organizations::111111111111:organization/o-abcd12345',
      'arn:aws:organizations::111111111111:organization/o-0123456789abcdefghijklmnopqrstuvw',
      `arn:aws:organizations::111111111111:organization/${ORG.toUpperCase()}`,
      `xarn:aws:organizations::111111111111:organization/${ORG}`,
      `arn:aws:organizations::111111111111:organization/${ORG}/x`,
      `arn:aws:organizations::111111111111:ou/${ORG}`,
      `arn:aws1:organizations::111111111111:organization/${ORG}`,
      `arn:aws:organizations:eu-west-1:111111111111:organization/${ORG}`,
    ],
    message: 'must be an organization ARN',
  },
  {
    field: 'sharing.organizationId',
    setup: useSharing,
    valid: [ORG, 'o-0123456789abcdefghijklmnopqrstuv'],
    invalid: [
      'o-abcd12345',
      'o-0123456789abcdefghijklmnopqrstuvw',
      'O-abcd123456',
      'o-ABCD123456',
      'xo-abcd123456',
      'o-abcd123456 ',
      'oabcd123456',
      'o-abcd_23456',
    ],
    message: 'must be an organization id such as o-abcd123456',
  },
  {
    field: 'sharing.organizationalUnitArns.0',
    setup: (p) => (p.sharing = { organizationalUnitArns: [] }),
    valid: [
      `arn:aws:organizations::111111111111:ou/${ORG}/ou-ab12-cdef3456`,
      'arn:aws-cn:organizations::111111111111:ou/o-0123456789abcdefghijklmnopqrstuv/ou-0123456789abcdefghijklmnopqrstuv-0123456789abcdefghijklmnopqrstuv',
    ],
    invalid: [
      `arn:aws:organizations::111111111111:ou/${ORG}/ou-ab1-cdef3456`,
      `arn:aws:organizations::111111111111:ou/${ORG}/ou-ab12-cdef345`,
      `arn:aws:organizations::111111111111:ou/${ORG}/ou-0123456789abcdefghijklmnopqrstuvw-cdef3456`,
      `arn:aws:organizations::111111111111:ou/${ORG}/ou-ab12-0123456789abcdefghijklmnopqrstuvw`,
      'arn:aws:organizations::111111111111:ou/o-abcd12345/ou-ab12-cdef3456',
      `arn:aws:organizations::111111111111:ou/${ORG}/ou-AB12-cdef3456`,
      `arn:aws:organizations::11111111111:ou/${ORG}/ou-ab12-cdef3456`,
      `xarn:aws:organizations::111111111111:ou/${ORG}/ou-ab12-cdef3456`,
      `arn:aws:organizations::111111111111:ou/${ORG}/ou-ab12-cdef3456/x`,
      `arn:aws:organizations::111111111111:ou/${ORG}/ou-ab12cdef3456`,
    ],
    message: 'must be an OU ARN',
  },
  {
    field: 'backend.bucket',
    setup: useS3,
    valid: ['abc', 'a'.repeat(63), 'a.b-c', '0ab', 'ab9', 'acme-state-111111111111'],
    invalid: ['ab', 'a'.repeat(64), '-ab', 'ab-', '.ab', 'ab.', 'Abc', 'a_b', 'a b', 'abC'],
    message: 'must be an S3 bucket name',
  },
  {
    field: 'endpointManager.reconcileSchedule',
    setup: (p) => (p.endpointManager = {}),
    valid: ['rate(1 minute)', 'rate(15 minutes)', 'rate(1 hour)', 'rate(12 hours)', 'cron(0 12 * * ? *)', 'cron(x)'],
    invalid: [
      'rate(minutes)',
      'rate(15 days)',
      'rate(15minutes)',
      'rate(15 minutes) ',
      ' rate(15 minutes)',
      'cron()',
      'rate(15 minutes)x',
      'xcron(0 12 * * ? *)',
      'cron(0 12 * * ? *',
      'rate 15 minutes',
      'rate(1.5 hours)',
    ],
    message: 'must be an EventBridge schedule such as rate(15 minutes)',
  },
  {
    field: 'endpointManager.alarmTopicArn',
    setup: (p) => (p.endpointManager = {}),
    valid: ['arn:aws:sns:eu-west-1:111111111111:alarms', 'arn:aws-us-gov:sns:us-gov-west-1:111111111111:a_b-C9'],
    invalid: [
      'arn:aws:sns:eu-west-1:11111111111:alarms',
      'arn:aws:sns:eu-west-1:1111111111111:alarms',
      'arn:aws:sns:eu-west-1:111111111111:',
      'arn:aws:sns::111111111111:alarms',
      'arn:aws:sns:EU-west-1:111111111111:alarms',
      'arn:aws:sqs:eu-west-1:111111111111:alarms',
      'xarn:aws:sns:eu-west-1:111111111111:alarms',
      'arn:aws:sns:eu-west-1:111111111111:alarms.fifo',
      'arn:aws:sns:eu-west-1:111111111111:alarms ',
      'arn:aws1:sns:eu-west-1:111111111111:alarms',
    ],
    message: 'must be an SNS topic ARN',
  },
  {
    field: 'deployRoleName',
    valid: ['a', 'r'.repeat(64), 'Role+=,.@-_9'],
    invalid: ['', 'r'.repeat(65), 'has spaces', 'a/b', 'a:b', 'a*'],
    message: 'must be an IAM role name',
  },
  {
    field: 'planRoleName',
    valid: ['mwaa-platform-plan', 'r'.repeat(64)],
    invalid: ['', 'r'.repeat(65), 'a b'],
    message: 'must be an IAM role name',
  },
  {
    field: 'ci.adminRoleName',
    setup: useCi,
    valid: ['OrganizationAccountAccessRole', 'r'.repeat(64)],
    invalid: ['', 'r'.repeat(65), 'a b'],
    message: 'must be an IAM role name',
  },
  {
    field: 'ci.github.repository',
    setup: useCi,
    valid: ['acme/mwaa-platform', 'a/b', `${'o'.repeat(39)}/${'n'.repeat(100)}`, 'Acme-9/Repo_x.y-Z', '0/.github', 'a/..x'],
    invalid: [
      'acme',
      '/repo',
      'acme/',
      '-acme/repo',
      `${'o'.repeat(40)}/repo`,
      `acme/${'n'.repeat(101)}`,
      'ac_me/repo',
      'acme/re po',
      'acme/repo/x',
      ' acme/repo',
      'acme/repo ',
      'acme/.',
      'acme/..',
    ],
    message:
      'must be a GitHub repository written owner/name, e.g. acme/mwaa-platform (letters, digits, hyphens in the owner; letters, digits, ".", "_", "-" in the name)',
  },
  {
    field: 'ci.github.branch',
    setup: useCi,
    valid: ['main', 'release/2026.1_x-Y', 'b'.repeat(255)],
    invalid: ['', 'b'.repeat(256), 'feature/*', 'a:b', 'a b', ' main'],
    message: 'must be a branch name such as main: letters, digits, ".", "_", "/", "-" (no wildcards, no ":")',
  },
  {
    field: 'ci.github.environment',
    setup: useCi,
    valid: ['production', 'e'.repeat(255)],
    invalid: ['', 'e'.repeat(256), 'prod*', 'a:b'],
    message: 'must be a deployment environment name such as production: letters, digits, ".", "_", "/", "-" (no wildcards, no ":")',
  },
  {
    field: 'securitySuppressions.0.resource',
    setup: useSuppression,
    valid: ['x', 'aws_s3_bucket.b'],
    invalid: [''],
    message: 'name the resource address the suppression applies to',
  },
  {
    field: 'securitySuppressions.0.reason',
    setup: useSuppression,
    valid: ['ten chars.', 'a much longer reason than that'],
    invalid: ['', 'nine char'],
    message: 'a suppression needs a reason of at least 10 characters',
  },
];

describe.each(PATTERNS)('$field', ({ field, setup, valid, invalid, message }) => {
  const at = (value: string) =>
    problems((p) => {
      setup?.(p);
      setAt(p, field, value);
    });

  it.each(valid)('takes %j', (value) => expect(at(value)).toEqual([]));
  it.each(invalid)('refuses %j', (value) => {
    const found = at(value);
    // The github repository "." / ".." refinement and the pattern are one message; anything else is exactly it.
    expect(found.length).toBeGreaterThan(0);
    expect(found).toContain(
      `${field}: ${value === 'acme/.' || value === 'acme/..' ? 'the repository name cannot be "." or ".."' : message}`,
    );
  });
});

describe('id patterns, as properties', () => {
  const hex = fc.constantFrom(...'0123456789abcdef');
  const ids = (min: number, max: number) => fc.array(hex, { minLength: min, maxLength: max }).map((a) => a.join(''));
  const cases = [
    { prefix: 'vpc', field: 'network.adopt.vpcId', setup: useAdopt },
    { prefix: 'subnet', field: 'network.adopt.subnets.0.id', setup: useAdopt },
    {
      prefix: 'sg',
      field: 'network.webserverClients.securityGroupIds.0',
      setup: (p: Yaml) => (p.network.webserverClients = { securityGroupIds: ['sg-01234567'] }),
    },
  ];
  const check = (c: (typeof cases)[number], value: string) =>
    problems((p) => {
      c.setup(p);
      setAt(p, c.field, value);
    });

  it.each(cases)('$prefix- ids of 8 to 17 hex digits are taken', (c) => {
    fc.assert(
      fc.property(ids(8, 17), (digits) => check(c, `${c.prefix}-${digits}`).length === 0),
      { numRuns: 50 },
    );
  });

  it.each(cases)('$prefix- ids of the wrong length, or with anything around them, are refused', (c) => {
    const nearMiss = fc.oneof(
      ids(0, 7).map((d) => `${c.prefix}-${d}`),
      ids(18, 24).map((d) => `${c.prefix}-${d}`),
      fc.tuple(fc.constantFrom(' ', 'x', '-', '/'), ids(8, 17)).map(([junk, d]) => `${junk}${c.prefix}-${d}`),
      fc.tuple(ids(8, 17), fc.constantFrom(' ', 'x', 'G', '\n')).map(([d, junk]) => `${c.prefix}-${d}${junk}`),
      fc.tuple(ids(4, 8), fc.constantFrom('A', 'F', 'g', 'z', '_'), ids(4, 8)).map(([a, bad, b]) => `${c.prefix}-${a}${bad}${b}`),
    );
    fc.assert(
      fc.property(nearMiss, (value) => check(c, value).length > 0),
      { numRuns: 100 },
    );
  });
});

describe('numbers and shapes', () => {
  it.each([
    ['network.interfaceEndpointQuota', 0, 'network.interfaceEndpointQuota: Too small: expected number to be >=1'],
    ['network.interfaceEndpointQuota', 1.5, 'network.interfaceEndpointQuota: Invalid input: expected int, received number'],
    ['mwaa.maxEnvironmentsPerTeam', 0, 'mwaa.maxEnvironmentsPerTeam: Too small: expected number to be >=1'],
    ['mwaa.maxEnvironmentsPerTeam', 2.5, 'mwaa.maxEnvironmentsPerTeam: Invalid input: expected int, received number'],
    ['mwaa.allowPublicWebserver', 'yes', 'mwaa.allowPublicWebserver: Invalid input: expected boolean, received string'],
  ])('%s refuses %j', (field, value, expected) => {
    expect(
      problems((p) => {
        p.mwaa = {};
        setAt(p, field, value);
      }),
    ).toEqual([expected]);
  });

  it('takes the smallest quota and environment count', () => {
    expect(problems((p) => ((p.network.interfaceEndpointQuota = 1), (p.mwaa = { maxEnvironmentsPerTeam: 1 })))).toEqual([]);
  });

  it.each([
    [0, ['ci.noncurrentStateVersionDays: Too small: expected number to be >=1']],
    [1, []],
    [3650, []],
    [3651, ['ci.noncurrentStateVersionDays: Too big: expected number to be <=3650']],
    [1.5, ['ci.noncurrentStateVersionDays: Invalid input: expected int, received number']],
  ])('ci.noncurrentStateVersionDays %j', (days, expected) => {
    expect(problems((p) => (p.ci = { ...ci(), noncurrentStateVersionDays: days }))).toEqual(expected);
  });

  it.each([
    [
      'one AZ',
      (p: Yaml) => (p.network.create.availabilityZones = ['eu-west-1a']),
      'network.create.availabilityZones: MWAA needs subnets in at least two availability zones',
    ],
    [
      'one subnet CIDR',
      (p: Yaml) => (p.network.create.privateSubnetCidrs = ['10.40.0.0/20']),
      'network.create.privateSubnetCidrs: MWAA needs two private subnets',
    ],
    [
      'one adopted subnet',
      (p: Yaml) => {
        useAdopt(p);
        p.network.adopt.subnets.pop();
      },
      'network.adopt.subnets: MWAA needs two private subnets',
    ],
    [
      'both create and adopt',
      (p: Yaml) => (p.network.adopt = adopted()),
      'network: set exactly one of "create" (the owner creates the VPC) or "adopt" (an existing VPC)',
    ],
    [
      'neither create nor adopt',
      (p: Yaml) => delete p.network.create,
      'network: set exactly one of "create" (the owner creates the VPC) or "adopt" (an existing VPC)',
    ],
    [
      'a flow log retention CloudWatch does not offer',
      (p: Yaml) => (p.network.create.flowLogRetentionDays = 10),
      'network.create.flowLogRetentionDays: must be a CloudWatch Logs retention value',
    ],
    [
      'a suppression without a rule',
      (p: Yaml) => (p.securitySuppressions = [{ rule: '', resource: 'r', reason: 'long enough reason' }]),
      'securitySuppressions.0.rule: Too small: expected string to have >=1 characters',
    ],
    [
      'a deploy role override keyed by a bad account id',
      (p: Yaml) => (p.deployRoles = { '12345': 'arn:aws:iam::111111111111:role/x' }),
      'deployRoles.12345: keys must be 12-digit AWS account ids written as quoted strings',
    ],
  ])('refuses %s', (_what, edit, expected) => {
    const found = problems(edit);
    expect(found.some((f) => f.startsWith(expected))).toBe(true);
  });

  it('takes an adopted VPC with internet access, route tables and a deploy role override', () => {
    const p = parsed((x) => {
      useAdopt(x);
      x.network.adopt.internetAccess = true;
      x.network.adopt.routeTableIds = ['rtb-0123456789abcdef0'];
      x.deployRoles = { '222222222222': 'arn:aws:iam::222222222222:role/custom' };
      x.ci = {
        ...ci(),
        github: { repository: 'acme/p', branch: 'release', environment: 'prod', oidcProvider: 'adopt' },
        deployRolePolicy: 'administrator',
      };
    });
    expect([
      p.network.adopt.internetAccess,
      p.network.adopt.routeTableIds,
      p.deployRoles,
      p.ci.github.oidcProvider,
      p.ci.deployRolePolicy,
    ]).toEqual([true, ['rtb-0123456789abcdef0'], { '222222222222': 'arn:aws:iam::222222222222:role/custom' }, 'adopt', 'administrator']);
  });
});
