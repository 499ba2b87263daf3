import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { ConfigError } from '../../../model/errors';
import { loadPlatformConfig } from '../../../model/load';
import { platformSchema } from '../../../model/schema/platform';
import { teamSchema } from '../../../model/schema/team';
import { MIN_WILDCARD_REASON, validateIrsa } from '../../../model/validate/irsa';
import { FIXTURE_CONFIG, FIXTURE_ROOT } from '../../support/fixture-paths';

const platform = platformSchema.parse(parse(readFileSync(join(FIXTURE_CONFIG, 'platform.yaml'), 'utf8')));
const ACCOUNT = '222222222222';
const SOURCE = `arn:aws:s3:::acme-data-analytics-${ACCOUNT}-eks-source`;

type Yaml = Record<string, any>;

/** The analytics team with `eks` replaced; returns `path: message` lines from schema or IRSA validation. */
function problems(eks: Yaml): string[] {
  const raw = parse(readFileSync(join(FIXTURE_CONFIG, 'teams', 'analytics.yaml'), 'utf8'));
  raw.eks = eks;
  const parsed = teamSchema.safeParse(raw);
  if (!parsed.success) return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  return validateIrsa(platform, { ...parsed.data, file: 'analytics.yaml' }).map((p) => `${p.path}: ${p.message}`);
}

const ADMINS = ['arn:aws:iam::222222222222:role/Admins'];
const sa = (statements: Yaml[], extra: Yaml = {}) => ({
  version: '1.32',
  clusterAdmins: ADMINS,
  samplePipeline: true,
  serviceAccounts: [{ name: 'job', statements }],
  ...extra,
});
const allow = (actions: string[], resources: string[], extra: Yaml = {}) => ({ actions, resources, ...extra });

describe('IRSA declarations: accepted', () => {
  it('accepts the example configuration (sample pipeline on, no declarations)', () => {
    expect(() => loadPlatformConfig(FIXTURE_CONFIG)).not.toThrow();
  });

  it.each([
    ['an SSM parameter of the team account and region', allow(['ssm:GetParameter'], [`arn:aws:ssm:eu-west-1:${ACCOUNT}:parameter/jobs/x`])],
    ['an owned bucket and its objects', allow(['s3:GetObject', 's3:ListBucket'], [SOURCE, `${SOURCE}/*`])],
    ['a prefix wildcard action', allow(['s3:Get*'], [`${SOURCE}/*`])],
    ['an IAM ARN without region in the team account', allow(['iam:GetRole'], [`arn:aws:iam::${ACCOUNT}:role/x`])],
    [
      'a "*" resource with a reason',
      allow(['ec2:DescribeInstances'], ['*'], { allowWildcardResourceReason: 'ec2:Describe* supports no resource-level permissions' }),
    ],
    ['a Deny with "*" everywhere (it only narrows)', { effect: 'Deny', actions: ['*'], resources: ['*'] }],
  ])('accepts %s', (_what, statement) => {
    expect(problems(sa([statement]))).toEqual([]);
  });
});

describe('EKS cluster admins and admin clients: accepted', () => {
  it.each([
    ['a role ARN', ['arn:aws:iam::222222222222:role/Admins']],
    ['a role ARN with a path (access entries allow it)', ['arn:aws:iam::222222222222:role/platform/Admins']],
    ['a user ARN', ['arn:aws:iam::222222222222:user/alice']],
    ['a role in another account (STANDARD entries allow it)', ['arn:aws:iam::444444444444:role/CentralOps']],
  ])('accepts %s as cluster admin', (_what, clusterAdmins) => {
    expect(problems({ version: '1.32', clusterAdmins })).toEqual([]);
  });

  it('accepts admin CIDRs and security groups for kubectl on the private endpoint', () => {
    expect(
      problems({
        version: '1.32',
        clusterAdmins: ADMINS,
        adminCidrs: ['10.8.0.0/16', '192.0.2.10/32'],
        adminSecurityGroupIds: ['sg-0123456789abcdef0', 'sg-01234567'],
      }),
    ).toEqual([]);
  });
});

describe('IRSA declarations: rejected', () => {
  const st = 'eks.serviceAccounts[0].statements[0]';
  it.each([
    ['a "*" action', allow(['*'], [SOURCE]), `${st}.actions[0]: "*" allows every AWS API; list the actions the pod needs`],
    ['a whole-service action', allow(['s3:*'], [SOURCE]), `${st}.actions[0]: "s3:*" allows every s3 API; list the actions the pod needs`],
    // IAM reads `**` and `?*` as `*`: still every action of the service.
    [
      'a whole-service action spelled with more wildcards',
      allow(['s3:GetObject', 's3:?*'], [SOURCE]),
      `${st}.actions[1]: "s3:?*" allows every s3 API; list the actions the pod needs`,
    ],
    [
      'a whole-service action as a double star',
      allow(['iam:**'], [SOURCE]),
      `${st}.actions[0]: "iam:**" allows every iam API; list the actions the pod needs`,
    ],
    ['a malformed action', allow(['GetObject'], [SOURCE]), `${st}.actions[0]: "GetObject" is not an IAM action; write service:Action`],
    [
      'a "*" resource without reason',
      allow(['s3:GetObject'], ['*']),
      `${st}.resources[0]: "*" is not allowed as a resource; name ARNs, or set allowWildcardResourceReason`,
    ],
    [
      'a "*" resource with a too-short reason',
      allow(['ec2:DescribeInstances'], ['*'], { allowWildcardResourceReason: 'needed' }),
      `${st}.allowWildcardResourceReason: give a reason of at least ${MIN_WILDCARD_REASON} characters`,
    ],
    [
      'a reason without a "*" resource',
      allow(['s3:GetObject'], [`${SOURCE}/*`], { allowWildcardResourceReason: 'no reason to be here at all really' }),
      `${st}.allowWildcardResourceReason: allowWildcardResourceReason is only for a "*" resource`,
    ],
    [
      'a resource that is not an ARN',
      allow(['s3:GetObject'], ['my-bucket/*']),
      `${st}.resources[0]: "my-bucket/*" is not an ARN; write arn:aws:service:eu-west-1:${ACCOUNT}:resource`,
    ],
    [
      'another partition',
      allow(['s3:GetObject'], ['arn:aws-cn:s3:::x/*']),
      `${st}.resources[0]: partition "aws-cn" is not this platform's partition "aws"`,
    ],
    [
      'a bucket the team does not own',
      allow(['s3:GetObject'], ['arn:aws:s3:::someone-elses-bucket/*']),
      `${st}.resources[0]: bucket "someone-elses-bucket" is not owned by team analytics in config (owned buckets: acme-data-analytics-${ACCOUNT}-eks-source, acme-data-analytics-${ACCOUNT}-eks-destination)`,
    ],
    ['every bucket', allow(['s3:GetObject'], ['arn:aws:s3:::*']), `${st}.resources[0]: bucket "*" is not owned by team analytics`],
    [
      'another account',
      allow(['ssm:GetParameter'], ['arn:aws:ssm:eu-west-1:333333333333:parameter/x']),
      `${st}.resources[0]: account "333333333333" is not team analytics's account ${ACCOUNT}`,
    ],
    [
      'any account',
      allow(['ssm:GetParameter'], ['arn:aws:ssm:eu-west-1:*:parameter/x']),
      `${st}.resources[0]: account "*" is not team analytics's account`,
    ],
    [
      'another region',
      allow(['ssm:GetParameter'], [`arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/x`]),
      `${st}.resources[0]: region "us-east-1" is not the platform region eu-west-1`,
    ],
    [
      'a regional ARN without region',
      allow(['ssm:GetParameter'], [`arn:aws:ssm::${ACCOUNT}:parameter/x`]),
      `${st}.resources[0]: region "" is not the platform region eu-west-1`,
    ],
    [
      'an IAM ARN with a region',
      allow(['iam:GetRole'], [`arn:aws:iam:eu-west-1:${ACCOUNT}:role/x`]),
      `${st}.resources[0]: iam ARNs have no region`,
    ],
  ])('rejects %s', (_what, statement, expected) => {
    expect(problems(sa([statement])).join('\n')).toContain(expected);
  });

  it('rejects a service account declared twice in one namespace', () => {
    const statements = [allow(['s3:GetObject'], [`${SOURCE}/*`])];
    expect(
      problems({
        version: '1.32',
        clusterAdmins: ADMINS,
        serviceAccounts: [
          { name: 'job', statements },
          { name: 'job', namespace: 'analytics', statements },
        ],
      }),
    ).toContain(
      'eks.serviceAccounts[1].name: service account "analytics/job" is already declared by eks.serviceAccounts[0]; each namespace/name pair gets exactly one IAM role',
    );
  });

  it('rejects a declaration that collides with the sample pipeline', () => {
    expect(
      problems({
        version: '1.32',
        clusterAdmins: ADMINS,
        samplePipeline: true,
        serviceAccounts: [{ name: 'source-bucket-reader', statements: [allow(['s3:GetObject'], [`${SOURCE}/*`])] }],
      }),
    ).toContain(
      'eks.serviceAccounts[0].name: service account "analytics/source-bucket-reader" is already declared by the sample pipeline (eks.samplePipeline); each namespace/name pair gets exactly one IAM role',
    );
  });

  it('rejects a name whose IAM role name would be too long', () => {
    const name = 'a'.repeat(40);
    expect(
      problems({
        version: '1.32',
        clusterAdmins: ADMINS,
        serviceAccounts: [{ name, statements: [allow(['s3:GetObject'], [`${SOURCE}/*`])] }],
      }).join('\n'),
    ).toContain(
      `eks.serviceAccounts[0].name: the IAM role name "acme-data-analytics-analytics-${name}" would be 70 characters; IAM allows 64`,
    );
  });

  it('reports every problem of a declaration, not just the first', () => {
    expect(problems(sa([allow(['*', 's3:*'], ['*', 'arn:aws:s3:::x'])]))).toHaveLength(4);
  });
});

describe('eks schema shapes', () => {
  it.each([
    ['no version', { samplePipeline: true }, 'version: must be the Kubernetes minor version as a quoted string'],
    ['an unquoted version', { version: 1.3 }, 'version: must be the Kubernetes minor version as a quoted string'],
    ['a patch version', { version: '1.32.1' }, 'version: must be a Kubernetes minor version'],
    ['an unknown key', { version: '1.32', nodegroup: {} }, ': unknown field "nodegroup"; allowed fields: version'],
    [
      'a public endpoint without CIDRs',
      { version: '1.32', endpointPublicAccess: true },
      'publicAccessCidrs: endpointPublicAccess needs publicAccessCidrs',
    ],
    [
      'CIDRs without a public endpoint',
      { version: '1.32', publicAccessCidrs: ['203.0.113.0/24'] },
      'publicAccessCidrs: publicAccessCidrs has no effect while endpointPublicAccess is false',
    ],
    [
      'a public endpoint open to the internet',
      { version: '1.32', endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] },
      'publicAccessCidrs.0: 0.0.0.0/0 opens the API endpoint to the whole internet',
    ],
    [
      'minSize above maxSize',
      { version: '1.32', nodeGroup: { minSize: 4, maxSize: 2, desiredSize: 3 } },
      'nodeGroup.minSize: minSize (4) is larger than maxSize (2)',
    ],
    [
      'desiredSize out of range',
      { version: '1.32', nodeGroup: { minSize: 1, maxSize: 2, desiredSize: 3 } },
      'nodeGroup.desiredSize: desiredSize (3) must be between minSize (1) and maxSize (2)',
    ],
    [
      'an unknown capacity type',
      { version: '1.32', nodeGroup: { capacityType: 'RESERVED' } },
      'nodeGroup.capacityType: capacityType must be ON_DEMAND or SPOT',
    ],
    [
      'a bad instance type',
      { version: '1.32', nodeGroup: { instanceTypes: ['large'] } },
      'nodeGroup.instanceTypes.0: must be an EC2 instance type',
    ],
    ['a tiny disk', { version: '1.32', nodeGroup: { diskSize: 8 } }, 'nodeGroup.diskSize: must be an integer from 20 to 16384'],
    [
      'mixed Graviton and x86 instance types',
      { version: '1.32', nodeGroup: { instanceTypes: ['m6i.large', 'm7g.large'] } },
      'nodeGroup.instanceTypes: mixes Graviton (arm64) and x86_64 instance types',
    ],
    [
      'no clusterAdmins (never defaulted from access.principals)',
      { version: '1.32', clusterAdmins: undefined },
      'clusterAdmins: must be a list of the IAM role or user ARNs that administer the cluster',
    ],
    [
      'an empty clusterAdmins list',
      { version: '1.32', clusterAdmins: [] },
      'clusterAdmins: list at least one IAM role or user ARN: without a cluster admin nobody can apply',
    ],
    [
      'a clusterAdmins entry that is not an ARN',
      { version: '1.32', clusterAdmins: ['AnalyticsEngineers'] },
      'clusterAdmins.0: must be an IAM role or user ARN such as arn:aws:iam::111111111111:role/name',
    ],
    [
      'an account root as cluster admin',
      { version: '1.32', clusterAdmins: ['arn:aws:iam::222222222222:root'] },
      'clusterAdmins.0: an account root cannot have an EKS access entry; name the IAM role or user',
    ],
    [
      'an STS session ARN as cluster admin',
      { version: '1.32', clusterAdmins: ['arn:aws:sts::222222222222:assumed-role/Admins/alice@example.com'] },
      'clusterAdmins.0: an STS session ARN cannot have an EKS access entry; name the role itself: arn:aws:iam::222222222222:role/Admins',
    ],
    [
      'a cluster admin listed twice',
      { version: '1.32', clusterAdmins: [...ADMINS, ...ADMINS] },
      `clusterAdmins.1: ${ADMINS[0]} is listed twice`,
    ],
    [
      'an admin CIDR with host bits',
      { version: '1.32', clusterAdmins: ADMINS, adminCidrs: ['10.8.0.1/16'] },
      'adminCidrs.0: must be an IPv4 CIDR with its host bits zero',
    ],
    [
      'an admin CIDR that is not a CIDR',
      { version: '1.32', clusterAdmins: ADMINS, adminCidrs: ['vpn'] },
      'adminCidrs.0: must be an IPv4 CIDR with its host bits zero',
    ],
    [
      'an admin CIDR of the whole internet',
      { version: '1.32', clusterAdmins: ADMINS, adminCidrs: ['0.0.0.0/0'] },
      'adminCidrs.0: a /0 admits every address',
    ],
    [
      'an admin security group that is not an id',
      { version: '1.32', clusterAdmins: ADMINS, adminSecurityGroupIds: ['bastion'] },
      'adminSecurityGroupIds.0: must be a security group id such as sg-0123456789abcdef0',
    ],
    ['an unknown log type', { version: '1.32', logTypes: ['kubelet'] }, 'logTypes.0:'],
    ['a namespace with capitals', { version: '1.32', namespace: 'Analytics' }, 'namespace: must be a Kubernetes namespace name'],
    [
      'a service account with underscores',
      { version: '1.32', serviceAccounts: [{ name: 'my_job', statements: [allow(['s3:GetObject'], [SOURCE])] }] },
      'serviceAccounts.0.name: must be a Kubernetes service account name',
    ],
    [
      'a service account without statements',
      { version: '1.32', serviceAccounts: [{ name: 'job', statements: [] }] },
      'serviceAccounts.0.statements: give the service account at least one policy statement',
    ],
    [
      'a statement without actions',
      { version: '1.32', serviceAccounts: [{ name: 'job', statements: [{ actions: [], resources: [SOURCE] }] }] },
      'serviceAccounts.0.statements.0.actions: list at least one action',
    ],
    [
      'a statement without resources',
      { version: '1.32', serviceAccounts: [{ name: 'job', statements: [{ actions: ['s3:GetObject'], resources: [] }] }] },
      'serviceAccounts.0.statements.0.resources: list at least one resource ARN',
    ],
    [
      'an unknown statement key',
      {
        version: '1.32',
        serviceAccounts: [{ name: 'job', statements: [{ actions: ['s3:GetObject'], resources: [SOURCE], condition: {} }] }],
      },
      'serviceAccounts.0.statements.0: unknown field "condition"',
    ],
  ])('rejects %s', (_what, eks, expected) => {
    expect(
      problems({ clusterAdmins: ADMINS, ...eks })
        .map((p) => p.replace(/^eks\./, ''))
        .join('\n'),
    ).toContain(expected);
  });
});

describe('the loader runs IRSA validation', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'irsa-config-'));
    cpSync(FIXTURE_CONFIG, dir, { recursive: true });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports IRSA problems with the team file and field path, next to other problems', () => {
    const file = join(dir, 'teams', 'analytics.yaml');
    const team = parse(readFileSync(file, 'utf8'));
    team.eks.serviceAccounts = [{ name: 'job', statements: [{ actions: ['*'], resources: ['*'] }] }];
    writeFileSync(file, stringify(team));
    let error: unknown;
    try {
      loadPlatformConfig(dir, { repoRoot: FIXTURE_ROOT });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const lines = (error as ConfigError).problems.map((p) => `${p.file.split('/').pop()} at ${p.path}`);
    expect(lines).toEqual([
      'analytics.yaml at eks.serviceAccounts[0].statements[0].actions[0]',
      'analytics.yaml at eks.serviceAccounts[0].statements[0].resources[0]',
    ]);
  });
});
