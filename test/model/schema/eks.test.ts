/**
 * A team file's `eks:` section on its own: defaults, the node group and endpoint rules, the principal and
 * name patterns with their near misses, and the names derived from it (cluster, namespace, IRSA roles,
 * sample pipeline). Statement contents against the account are validate/irsa.ts's (test/model/validate/irsa.test.ts).
 */
import fc from 'fast-check';
import {
  eksClusterName,
  eksNamespace,
  eksSchema,
  effectiveServiceAccounts,
  irsaRoleName,
  samplePipelineNames,
  ssmParameterArn,
  teamOwnedBuckets,
} from '../../../model/schema/eks';

type Yaml = Record<string, any>;

const ADMIN = 'arn:aws:iam::111111111111:role/admin';
const minimal = (): Yaml => ({ version: '1.32', clusterAdmins: [ADMIN] });

function problems(edit: (e: Yaml) => void): string[] {
  const e = minimal();
  edit(e);
  const r = eksSchema.safeParse(e);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const parsed = (edit: (e: Yaml) => void = () => {}): any => {
  const e = minimal();
  edit(e);
  return eksSchema.parse(e);
};

describe('eks defaults', () => {
  it('a minimal section gets a private endpoint, every control-plane log, one small node group and no extras', () => {
    expect(parsed()).toEqual({
      version: '1.32',
      clusterAdmins: [ADMIN],
      endpointPublicAccess: false,
      publicAccessCidrs: [],
      logTypes: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
      nodeGroup: { instanceTypes: ['m6i.large'], capacityType: 'ON_DEMAND', minSize: 1, maxSize: 3, desiredSize: 1, diskSize: 50 },
      serviceAccounts: [],
      samplePipeline: false,
      adminCidrs: [],
      adminSecurityGroupIds: [],
    });
  });

  it('an empty node group gets the same defaults field by field', () => {
    expect(parsed((e) => (e.nodeGroup = {})).nodeGroup).toEqual({
      instanceTypes: ['m6i.large'],
      capacityType: 'ON_DEMAND',
      minSize: 1,
      maxSize: 3,
      desiredSize: 1,
      diskSize: 50,
    });
  });

  it('a statement is an Allow unless it says Deny', () => {
    const sa = parsed(
      (e) =>
        (e.serviceAccounts = [
          {
            name: 'reader',
            statements: [
              { actions: ['s3:GetObject'], resources: ['*'], allowWildcardResourceReason: 'r' },
              { effect: 'Deny', actions: ['s3:*'], resources: ['*'] },
            ],
          },
        ]),
    ).serviceAccounts[0];
    expect(sa.statements.map((s: any) => s.effect)).toEqual(['Allow', 'Deny']);
    expect(sa.statements[0].allowWildcardResourceReason).toBe('r');
    expect(sa.namespace).toBeUndefined();
  });
});

describe('eks field rules', () => {
  it.each([
    ['no version', (e: Yaml) => delete e.version, 'version: must be the Kubernetes minor version as a quoted string, e.g. "1.32"'],
    [
      'an unquoted version',
      (e: Yaml) => (e.version = 1.32),
      'version: must be the Kubernetes minor version as a quoted string, e.g. "1.32"',
    ],
    [
      'no cluster admins',
      (e: Yaml) => delete e.clusterAdmins,
      'clusterAdmins: must be a list of the IAM role or user ARNs that administer the cluster and apply its manifests',
    ],
    [
      'an empty cluster admin list',
      (e: Yaml) => (e.clusterAdmins = []),
      'clusterAdmins: list at least one IAM role or user ARN: without a cluster admin nobody can apply the namespace and service accounts',
    ],
    [
      'a public endpoint without CIDRs',
      (e: Yaml) => (e.endpointPublicAccess = true),
      'publicAccessCidrs: endpointPublicAccess needs publicAccessCidrs: list the CIDRs allowed to reach the public API endpoint',
    ],
    [
      'CIDRs without a public endpoint',
      (e: Yaml) => (e.publicAccessCidrs = ['203.0.113.0/24']),
      'publicAccessCidrs: publicAccessCidrs has no effect while endpointPublicAccess is false; remove it or enable the public endpoint',
    ],
    [
      'an unknown log type',
      (e: Yaml) => (e.logTypes = ['api', 'kubelet']),
      'logTypes.1: Invalid option: expected one of "api"|"audit"|"authenticator"|"controllerManager"|"scheduler"',
    ],
    ['no instance type', (e: Yaml) => (e.nodeGroup = { instanceTypes: [] }), 'nodeGroup.instanceTypes: list at least one instance type'],
    [
      'a capacity type EKS does not have',
      (e: Yaml) => (e.nodeGroup = { capacityType: 'RESERVED' }),
      'nodeGroup.capacityType: capacityType must be ON_DEMAND or SPOT',
    ],
    ['a disk below 20 GiB', (e: Yaml) => (e.nodeGroup = { diskSize: 19 }), 'nodeGroup.diskSize: must be an integer from 20 to 16384'],
    ['a disk above 16 TiB', (e: Yaml) => (e.nodeGroup = { diskSize: 16385 }), 'nodeGroup.diskSize: must be an integer from 20 to 16384'],
    ['a fractional disk', (e: Yaml) => (e.nodeGroup = { diskSize: 20.5 }), 'nodeGroup.diskSize: must be an integer from 20 to 16384'],
    [
      'a negative minimum',
      (e: Yaml) => (e.nodeGroup = { minSize: -1, desiredSize: 0 }),
      'nodeGroup.minSize: must be an integer from 0 to 450',
    ],
    [
      'a zero maximum',
      (e: Yaml) => (e.nodeGroup = { minSize: 0, maxSize: 0, desiredSize: 0 }),
      'nodeGroup.maxSize: must be an integer from 1 to 450',
    ],
    ['a fractional size', (e: Yaml) => (e.nodeGroup = { desiredSize: 1.5 }), 'nodeGroup.desiredSize: must be an integer from 0 to 450'],
    [
      'a service account without statements',
      (e: Yaml) => (e.serviceAccounts = [{ name: 'reader', statements: [] }]),
      'serviceAccounts.0.statements: give the service account at least one policy statement',
    ],
    [
      'a statement without actions',
      (e: Yaml) => (e.serviceAccounts = [{ name: 'r', statements: [{ actions: [], resources: ['*'] }] }]),
      'serviceAccounts.0.statements.0.actions: list at least one action, such as s3:GetObject',
    ],
    [
      'a statement without resources',
      (e: Yaml) => (e.serviceAccounts = [{ name: 'r', statements: [{ actions: ['s3:GetObject'], resources: [] }] }]),
      'serviceAccounts.0.statements.0.resources: list at least one resource ARN',
    ],
    [
      'an action that is not a string',
      (e: Yaml) => (e.serviceAccounts = [{ name: 'r', statements: [{ actions: [1], resources: ['*'] }] }]),
      'serviceAccounts.0.statements.0.actions.0: actions must be strings such as s3:GetObject',
    ],
    [
      'a resource that is not a string',
      (e: Yaml) => (e.serviceAccounts = [{ name: 'r', statements: [{ actions: ['s3:GetObject'], resources: [true] }] }]),
      'serviceAccounts.0.statements.0.resources.0: resources must be ARN strings',
    ],
    [
      'an effect IAM does not have',
      (e: Yaml) => (e.serviceAccounts = [{ name: 'r', statements: [{ effect: 'allow', actions: ['s3:GetObject'], resources: ['*'] }] }]),
      'serviceAccounts.0.statements.0.effect: Invalid option: expected one of "Allow"|"Deny"',
    ],
    [
      'a service account name that is not a string',
      (e: Yaml) => (e.serviceAccounts = [{ name: 7, statements: [{ actions: ['a:b'], resources: ['*'] }] }]),
      'serviceAccounts.0.name: must be a Kubernetes service account name: 1-63 lowercase letters, digits and "-", starting and ending with a letter or digit',
    ],
    [
      'a namespace that is not a string',
      (e: Yaml) => (e.namespace = 7),
      'namespace: must be a Kubernetes namespace name: 1-63 lowercase letters, digits and "-", starting and ending with a letter or digit',
    ],
    ['an admin CIDR that is not a string', (e: Yaml) => (e.adminCidrs = [10]), 'adminCidrs.0: must be an IPv4 CIDR such as 10.8.0.0/16'],
    ['a cluster admin that is not a string', (e: Yaml) => (e.clusterAdmins = [1]), 'clusterAdmins.0: must be an IAM role or user ARN'],
  ])('refuses %s', (_what, edit, expected) => {
    expect(problems(edit)).toEqual([expected]);
  });

  it('takes a public endpoint with CIDRs, the size bounds, SPOT and Graviton', () => {
    expect(
      problems((e) => {
        e.endpointPublicAccess = true;
        e.publicAccessCidrs = ['203.0.113.0/24', '198.51.100.7/32'];
        e.nodeGroup = {
          instanceTypes: ['m7g.large', 'c7gn.xlarge'],
          capacityType: 'SPOT',
          minSize: 0,
          maxSize: 1,
          desiredSize: 0,
          diskSize: 20,
        };
      }),
    ).toEqual([]);
    expect(problems((e) => (e.nodeGroup = { minSize: 2, maxSize: 2, desiredSize: 2, diskSize: 16384 }))).toEqual([]);
  });

  it.each([
    [
      { minSize: 4, maxSize: 3, desiredSize: 3 },
      [
        'nodeGroup.minSize: minSize (4) is larger than maxSize (3)',
        'nodeGroup.desiredSize: desiredSize (3) must be between minSize (4) and maxSize (3)',
      ],
    ],
    [{ minSize: 2, maxSize: 3, desiredSize: 1 }, ['nodeGroup.desiredSize: desiredSize (1) must be between minSize (2) and maxSize (3)']],
    [{ minSize: 1, maxSize: 3, desiredSize: 4 }, ['nodeGroup.desiredSize: desiredSize (4) must be between minSize (1) and maxSize (3)']],
  ])('node group sizes %j', (nodeGroup, expected) => {
    expect(problems((e) => (e.nodeGroup = nodeGroup))).toEqual(expected);
  });

  it('sizes are consistent exactly when min ≤ desired ≤ max', () => {
    fc.assert(
      fc.property(fc.nat(6), fc.integer({ min: 1, max: 6 }), fc.nat(6), (minSize, maxSize, desiredSize) => {
        const ok = minSize <= desiredSize && desiredSize <= maxSize;
        return (problems((e) => (e.nodeGroup = { minSize, maxSize, desiredSize })).length === 0) === ok;
      }),
    );
  });

  it.each([
    [['m6i.large', 'm7g.large'], true],
    [['m7g.large', 'm6i.large'], true],
    [['m7g.large', 'r7gd.2xlarge', 'c6gn.medium'], false],
    [['m6i.large', 'c5.xlarge', 't3.micro'], false],
    [['m6in.large', 'm6i.large'], false],
    [['x2gd.large', 'm6i.large'], true],
  ])('instance types %j mix architectures: %s', (instanceTypes, mixed) => {
    expect(problems((e) => (e.nodeGroup = { instanceTypes }))).toEqual(
      mixed ? ['nodeGroup.instanceTypes: mixes Graviton (arm64) and x86_64 instance types; one node group runs one architecture'] : [],
    );
  });

  it.each(['m6i', 'M6i.large', '6i.large', 'm6i.', '.large', 'm6i.large ', ' m6i.large', 'm6i.Large', 'm6i_x.large', 'm6i.large.x'])(
    'refuses instance type %j',
    (type) => {
      expect(problems((e) => (e.nodeGroup = { instanceTypes: [type] }))).toEqual([
        'nodeGroup.instanceTypes.0: must be an EC2 instance type such as m6i.large',
      ]);
    },
  );

  it.each(['m6i.large', 'u-6tb1.metal', 'c7gn.16xlarge', 'p5.48xlarge'])('takes instance type %j', (type) => {
    expect(problems((e) => (e.nodeGroup = { instanceTypes: [type] }))).toEqual([]);
  });

  it.each([
    ['1.32', true],
    ['1.29', true],
    ['1.3', false],
    ['1.320', false],
    ['2.32', false],
    ['v1.32', false],
    ['1.32 ', false],
    ['1x32', false],
    ['1.3a', false],
  ])('version %j', (version, ok) => {
    expect(problems((e) => (e.version = version))).toEqual(
      ok ? [] : ['version: must be a Kubernetes minor version as a quoted string, e.g. "1.32"'],
    );
  });
});

describe('names and ids', () => {
  const LABEL_VALID = ['a', '0', 'team-a', 'a1-b2', 'x'.repeat(63), 'a-----b'];
  const LABEL_INVALID = ['', '-a', 'a-', 'A', 'team_a', 'team.a', 'x'.repeat(64), ' a', 'a '];

  it.each(LABEL_VALID)('namespace %j is a DNS label', (ns) => {
    expect(problems((e) => (e.namespace = ns))).toEqual([]);
    expect(
      problems((e) => (e.serviceAccounts = [{ name: ns, namespace: ns, statements: [{ actions: ['a:b'], resources: ['*'] }] }])),
    ).toEqual([]);
  });

  it.each(LABEL_INVALID)('namespace %j is not', (ns) => {
    expect(problems((e) => (e.namespace = ns))).toEqual([
      'namespace: must be a Kubernetes namespace name: 1-63 lowercase letters, digits and "-", starting and ending with a letter or digit',
    ]);
    expect(problems((e) => (e.serviceAccounts = [{ name: ns, statements: [{ actions: ['a:b'], resources: ['*'] }] }]))).toEqual([
      'serviceAccounts.0.name: must be a Kubernetes service account name: 1-63 lowercase letters, digits and "-", starting and ending with a letter or digit',
    ]);
  });

  it('labels are 1-63 lowercase letters, digits and inner hyphens, as a property', () => {
    const ch = fc.constantFrom(...'abz09-');
    fc.assert(
      fc.property(
        fc.array(ch, { minLength: 0, maxLength: 70 }).map((a) => a.join('')),
        (label) => {
          const ok = label.length >= 1 && label.length <= 63 && !label.startsWith('-') && !label.endsWith('-');
          return (problems((e) => (e.namespace = label)).length === 0) === ok;
        },
      ),
    );
  });

  // The same security-group pattern as every other field (contracts/aws.ts: 8 to 17 hex digits).
  it.each(['sg-01234567', 'sg-0123456789abcdef0', 'sg-89abcdef', 'sg-012345678', 'sg-0123456789abcdef'])(
    'takes security group %j',
    (id) => {
      expect(problems((e) => (e.adminSecurityGroupIds = [id]))).toEqual([]);
    },
  );

  it.each(['sg-0123456', 'sg-0123456789abcdef01', 'sg-0123456A', 'xsg-01234567', 'sg-01234567 ', 'sg01234567'])(
    'refuses security group %j',
    (id) => {
      expect(problems((e) => (e.adminSecurityGroupIds = [id]))).toEqual([
        'adminSecurityGroupIds.0: must be a security group id such as sg-0123456789abcdef0',
      ]);
    },
  );

  it.each(['10.8.0.0/16', '10.8.4.10/32', '192.168.0.0/24'])('takes admin CIDR %j', (cidr) => {
    expect(problems((e) => (e.adminCidrs = [cidr]))).toEqual([]);
  });

  it.each([
    ['10.8.0.1/16', 'must be an IPv4 CIDR with its host bits zero, such as 10.8.0.0/16 or 10.8.4.10/32'],
    ['10.8.0.0', 'must be an IPv4 CIDR with its host bits zero, such as 10.8.0.0/16 or 10.8.4.10/32'],
    ['0.0.0.0/0', 'a /0 admits every address; list the VPN, office or bastion CIDRs'],
  ])('refuses admin CIDR %j', (cidr, message) => {
    expect(problems((e) => (e.adminCidrs = [cidr]))).toEqual([`adminCidrs.0: ${message}`]);
  });

  it.each(['203.0.113.0', '203.0.113.0/', 'x203.0.113.0/24', '203.0.113.0/24x', '203.0.113/24', '2030.0.113.0/24', '203.0.113.0/240'])(
    'refuses public access CIDR %j',
    (cidr) => {
      expect(problems((e) => ((e.endpointPublicAccess = true), (e.publicAccessCidrs = [cidr])))).toEqual([
        'publicAccessCidrs.0: must be an IPv4 CIDR such as 203.0.113.0/24',
      ]);
    },
  );

  it('refuses a public endpoint open to the internet', () => {
    expect(problems((e) => ((e.endpointPublicAccess = true), (e.publicAccessCidrs = ['203.0.113.0/24', '0.0.0.0/0'])))).toEqual([
      'publicAccessCidrs.1: 0.0.0.0/0 opens the API endpoint to the whole internet; list specific CIDRs',
    ]);
  });

  it.each([
    [
      'clusterAdmins',
      [ADMIN, 'arn:aws:iam::111111111111:user/ops', ADMIN],
      'clusterAdmins.2: arn:aws:iam::111111111111:role/admin is listed twice',
    ],
    ['adminCidrs', ['10.8.0.0/16', '10.8.0.0/16'], 'adminCidrs.1: 10.8.0.0/16 is listed twice'],
    ['adminSecurityGroupIds', ['sg-01234567', 'sg-89abcdef', 'sg-01234567'], 'adminSecurityGroupIds.2: sg-01234567 is listed twice'],
  ])('refuses duplicates in %s', (field, list, expected) => {
    expect(problems((e) => (e[field] = list))).toEqual([expected]);
  });
});

describe('cluster admins', () => {
  it.each([
    'arn:aws:iam::111111111111:role/admin',
    'arn:aws:iam::111111111111:role/path/to/admin',
    'arn:aws:iam::111111111111:user/ops',
    'arn:aws-us-gov:iam::111111111111:role/a+=,.@_-9',
    `arn:aws:iam::111111111111:role/${'r'.repeat(512)}`,
  ])('takes %j', (arn) => expect(problems((e) => (e.clusterAdmins = [arn]))).toEqual([]));

  const GENERIC = 'must be an IAM role or user ARN such as arn:aws:iam::111111111111:role/name';
  it.each([
    'arn:aws:iam::11111111111:role/admin',
    'arn:aws:iam::1111111111111:role/admin',
    'arn:aws:iam::111111111111:group/admins',
    'arn:aws:iam::111111111111:role/',
    `arn:aws:iam::111111111111:role/${'r'.repeat(513)}`,
    'arn:aws:iam::111111111111:role/a b',
    'xarn:aws:iam::111111111111:role/admin',
    'arn:aws:iam::111111111111:role/admin ',
    'arn:aws1:iam::111111111111:role/admin',
    'arn:aws:iam:eu-west-1:111111111111:role/admin',
    'arn:aws:iam::111111111111:rootx',
    'arn:aws:sts::111111111111:assumed-rolex/a/b',
    'xarn:aws:sts::111111111111:assumed-role/a/b',
    'arn:aws:sts::11111111111:assumed-role/a/b',
    'arn:aws1:sts::111111111111:assumed-role/a/b',
    'xarn:aws:iam::111111111111:root',
    'arn:aws:iam::11111111111:root',
    'arn:aws1:iam::111111111111:root',
  ])('refuses %j with the generic message', (arn) => {
    expect(problems((e) => (e.clusterAdmins = [arn]))).toEqual([`clusterAdmins.0: ${GENERIC}`]);
  });

  it.each(['arn:aws:iam::111111111111:root', 'arn:aws-cn:iam::111111111111:root'])(
    'refuses the account root %j and says to name a role',
    (arn) => {
      expect(problems((e) => (e.clusterAdmins = [arn]))).toEqual([
        'clusterAdmins.0: an account root cannot have an EKS access entry; name the IAM role or user, e.g. arn:aws:iam::111111111111:role/name',
      ]);
    },
  );

  it.each([
    ['arn:aws:sts::222222222222:assumed-role/Deployer/session-1', 'arn:aws:iam::222222222222:role/Deployer'],
    ['arn:aws-us-gov:sts::333333333333:assumed-role/ops/jane@example.com', 'arn:aws-us-gov:iam::333333333333:role/ops'],
  ])('refuses the session %j and names the role %j', (arn, role) => {
    expect(problems((e) => (e.clusterAdmins = [arn]))).toEqual([
      `clusterAdmins.0: an STS session ARN cannot have an EKS access entry; name the role itself: ${role} (with its path, if it has one)`,
    ]);
  });
});

describe('derived names', () => {
  it('cluster, namespace and IRSA role names', () => {
    expect(eksClusterName('acme-data', 'analytics')).toBe('acme-data-analytics');
    expect(eksNamespace({ team: 'analytics' })).toBe('analytics');
    expect(eksNamespace({ team: 'analytics', eks: {} })).toBe('analytics');
    expect(eksNamespace({ team: 'analytics', eks: { namespace: 'airflow' } })).toBe('airflow');
    expect(irsaRoleName('acme-data', 'analytics', 'airflow', 'reader')).toBe('acme-data-analytics-airflow-reader');
  });

  it('SSM parameter ARNs drop the leading slash once', () => {
    expect(ssmParameterArn('aws', 'eu-west-1', '222222222222', '/acme/x')).toBe('arn:aws:ssm:eu-west-1:222222222222:parameter/acme/x');
    expect(ssmParameterArn('aws-cn', 'cn-north-1', '222222222222', 'acme/x/')).toBe(
      'arn:aws-cn:ssm:cn-north-1:222222222222:parameter/acme/x/',
    );
  });

  it('sample pipeline names', () => {
    expect(samplePipelineNames('acme-data', 'analytics', '222222222222')).toEqual({
      sourceBucket: 'acme-data-analytics-222222222222-eks-source',
      destinationBucket: 'acme-data-analytics-222222222222-eks-destination',
      sourceParameter: '/acme-data/analytics/eks-sample/source-bucket',
      destinationParameter: '/acme-data/analytics/eks-sample/destination-bucket',
      readerServiceAccount: 'source-bucket-reader',
      writerServiceAccount: 'destination-bucket-writer',
    });
  });

  const team = (eks?: Yaml) => ({ team: 'analytics', accountId: '222222222222', eks: eks && parsed((e) => Object.assign(e, eks)) });
  const platform = { platform: 'acme-data', region: 'eu-west-1' };
  const declared = { name: 'etl', statements: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::data/*'] }] };

  it('a team without eks has no service accounts and owns no buckets', () => {
    expect(effectiveServiceAccounts(team(), platform, 'aws')).toEqual([]);
    expect(teamOwnedBuckets(team(), platform)).toEqual([]);
    expect(teamOwnedBuckets(team({ samplePipeline: false }), platform)).toEqual([]);
  });

  it('declared service accounts default to the cluster namespace; the sample adds reader and writer first', () => {
    expect(
      effectiveServiceAccounts(
        team({ namespace: 'airflow', serviceAccounts: [declared, { ...declared, name: 'other', namespace: 'jobs' }] }),
        platform,
        'aws',
      ),
    ).toEqual([
      {
        name: 'etl',
        namespace: 'airflow',
        generated: false,
        statements: [{ effect: 'Allow', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::data/*'] }],
      },
      {
        name: 'other',
        namespace: 'jobs',
        generated: false,
        statements: [{ effect: 'Allow', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::data/*'] }],
      },
    ]);
    expect(effectiveServiceAccounts(team({ samplePipeline: true, serviceAccounts: [declared] }), platform, 'aws-cn')).toEqual([
      {
        name: 'source-bucket-reader',
        namespace: 'analytics',
        generated: true,
        statements: [
          { effect: 'Allow', actions: ['s3:ListBucket'], resources: ['arn:aws-cn:s3:::acme-data-analytics-222222222222-eks-source'] },
          {
            effect: 'Allow',
            actions: ['ssm:GetParameter'],
            resources: ['arn:aws-cn:ssm:eu-west-1:222222222222:parameter/acme-data/analytics/eks-sample/source-bucket'],
          },
        ],
      },
      {
        name: 'destination-bucket-writer',
        namespace: 'analytics',
        generated: true,
        statements: [
          { effect: 'Allow', actions: ['s3:PutObject'], resources: ['arn:aws-cn:s3:::acme-data-analytics-222222222222-eks-destination/*'] },
          {
            effect: 'Allow',
            actions: ['ssm:GetParameter'],
            resources: ['arn:aws-cn:ssm:eu-west-1:222222222222:parameter/acme-data/analytics/eks-sample/destination-bucket'],
          },
        ],
      },
      {
        name: 'etl',
        namespace: 'analytics',
        generated: false,
        statements: [{ effect: 'Allow', actions: ['s3:GetObject'], resources: ['arn:aws:s3:::data/*'] }],
      },
    ]);
    expect(teamOwnedBuckets(team({ samplePipeline: true }), platform)).toEqual([
      'acme-data-analytics-222222222222-eks-source',
      'acme-data-analytics-222222222222-eks-destination',
    ]);
  });
});
