import { writeFileSync, unlinkSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlatformConfig } from '../../model/load';
import { ConfigError } from '../../model/errors';
import { deployRoleArn, mwaaSubnetIds } from '../../model/model';
import { adoptVpc, FIXTURE_CONFIG, fixtureConfigWith, loadFixture, problemsOf } from '../support/config-fixture';

describe('the fixture platform', () => {
  it('loads with two teams and the published contract', () => {
    const config = loadFixture();
    expect(config.platform.platform).toBe('acme-data');
    expect(config.teams.map((t) => t.team)).toEqual(['analytics', 'marketing']);
    expect(config.contract?.vpcId).toBe('vpc-00000000000000001');
  });

  it('derives each account deploy role from deployRoleName unless overridden', () => {
    const { platform } = loadFixture();
    expect(deployRoleArn(platform, '222222222222')).toBe('arn:aws:iam::222222222222:role/mwaa-platform-deploy');
    expect(deployRoleArn({ ...platform, deployRoles: { '222222222222': 'arn:aws:iam::222222222222:role/custom' } }, '222222222222')).toBe(
      'arn:aws:iam::222222222222:role/custom',
    );
  });
});

describe('platform.yaml validation', () => {
  it.each([
    [
      'a short account id',
      (p: any) => (p.owner.accountId = '12345'),
      'platform.yaml at owner.accountId: must be a 12-digit AWS account id',
    ],
    [
      'an unquoted account id',
      (p: any) => (p.owner.accountId = 111111111111),
      'platform.yaml at owner.accountId: must be a 12-digit AWS account id written as a quoted string',
    ],
    ['a bad region', (p: any) => (p.region = 'Europe'), 'platform.yaml at region: must be an AWS region name'],
    [
      'a platform name that is not DNS-safe',
      (p: any) => (p.platform = 'Acme_Data'),
      'platform.yaml at platform: platform must be 2-32 characters of lowercase letters',
    ],
    ['a typo in a key', (p: any) => (p.netwrk = {}), 'platform.yaml: unknown field "netwrk"; allowed fields: platform, region, owner'],
    [
      'a typo in a nested key',
      (p: any) => (p.network.create.cidrs = 'x'),
      'platform.yaml at network.create: unknown field "cidrs"; allowed fields: cidr, availabilityZones',
    ],
    [
      'both create and adopt',
      (p: any) => (p.network.adopt = { vpcId: 'vpc-0123456789abcdef0', cidr: '10.0.0.0/16', subnets: [] }),
      'platform.yaml at network: set exactly one of "create" (the owner creates the VPC) or "adopt"',
    ],
    ['neither create nor adopt', (p: any) => delete p.network.create, 'platform.yaml at network: set exactly one of "create"'],
    [
      'one availability zone',
      (p: any) => (p.network.create.availabilityZones = ['eu-west-1a']),
      'platform.yaml at network.create.availabilityZones: MWAA needs subnets in at least two availability zones',
    ],
    ['a malformed CIDR', (p: any) => (p.network.create.cidr = '10.40.0.0'), 'platform.yaml at network.create.cidr: must be an IPv4 CIDR'],
    [
      'an unknown backend type',
      (p: any) => (p.backend = { type: 'gcs' }),
      'platform.yaml at backend.type: backend.type must be "local" or "s3"',
    ],
    [
      'dynamodb locking without a table',
      (p: any) => (p.backend = { type: 's3', bucket: 'state-bucket', region: 'eu-west-1', lock: 'dynamodb' }),
      'platform.yaml at backend.dynamodbTable: lock: dynamodb needs dynamodbTable',
    ],
    [
      'a log retention CloudWatch does not offer',
      (p: any) => (p.endpointManager.logRetentionDays = 10),
      'platform.yaml at endpointManager.logRetentionDays: must be a CloudWatch Logs retention value',
    ],
    [
      'a suppression without a reason',
      (p: any) => (p.securitySuppressions = [{ rule: 'x', resource: 'y', reason: '' }]),
      'platform.yaml at securitySuppressions[0].reason: a suppression needs a reason',
    ],
    [
      'a bad schedule',
      (p: any) => (p.endpointManager.reconcileSchedule = 'every 15 minutes'),
      'platform.yaml at endpointManager.reconcileSchedule: must be an EventBridge schedule',
    ],
  ])('rejects %s', (_what, edit, expected) => {
    expect(problemsOf({ platform: edit }).join('\n')).toContain(expected);
  });

  it.each([
    [
      'a subnet outside the VPC',
      (p: any) => (p.network.create.privateSubnetCidrs = ['10.40.0.0/20', '10.50.0.0/20']),
      'platform.yaml at network.create.privateSubnetCidrs[1]: 10.50.0.0/20 is not inside the VPC CIDR 10.40.0.0/16',
    ],
    [
      'overlapping subnets',
      (p: any) => (p.network.create.privateSubnetCidrs = ['10.40.0.0/20', '10.40.8.0/21']),
      'platform.yaml at network.create.privateSubnetCidrs[1]: 10.40.8.0/21 overlaps 10.40.0.0/20',
    ],
    [
      'host bits set',
      (p: any) => (p.network.create.privateSubnetCidrs = ['10.40.0.1/20', '10.40.16.0/20']),
      'platform.yaml at network.create.privateSubnetCidrs[0]: "10.40.0.1/20" is not a valid IPv4 CIDR',
    ],
    [
      'a VPC larger than /16',
      (p: any) => (p.network.create.cidr = '10.0.0.0/8'),
      'platform.yaml at network.create.cidr: a VPC CIDR must be between /16 and /28',
    ],
    [
      'the same AZ twice',
      (p: any) => (p.network.create.availabilityZones = ['eu-west-1a', 'eu-west-1a']),
      'platform.yaml at network.create.availabilityZones: MWAA needs subnets in at least two distinct availability zones',
    ],
    [
      'an AZ of another region',
      (p: any) => (p.network.create.availabilityZones = ['eu-west-1a', 'us-east-1b']),
      'platform.yaml at network.create.availabilityZones: us-east-1b is not in region eu-west-1',
    ],
    [
      'fewer CIDRs than AZs',
      (p: any) => (p.network.create.availabilityZones = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']),
      'platform.yaml at network.create.privateSubnetCidrs: give one private subnet CIDR per availability zone (3 zones, 2 CIDRs)',
    ],
    [
      'a subnet smaller than /28',
      (p: any) => (p.network.create.privateSubnetCidrs = ['10.40.0.0/29', '10.40.16.0/20']),
      'platform.yaml at network.create.privateSubnetCidrs[0]: a subnet must be /28 or larger',
    ],
  ])('rejects %s', (_what, edit, expected) => {
    expect(problemsOf({ platform: edit }).join('\n')).toContain(expected);
  });

  it.each([
    ['a bad deploy role name', (p: any) => (p.deployRoleName = 'has spaces'), 'platform.yaml at deployRoleName: must be an IAM role name'],
    ['a bad plan role name', (p: any) => (p.planRoleName = 'role/with/path'), 'platform.yaml at planRoleName: must be an IAM role name'],
    [
      'a deploy role override for a bad account',
      (p: any) => (p.deployRoles = { '12': 'arn:aws:iam::222222222222:role/x' }),
      'platform.yaml at deployRoles.12: keys must be 12-digit AWS account ids written as quoted strings',
    ],
    [
      'a deploy role override that is not a role ARN',
      (p: any) => (p.deployRoles = { '222222222222': 'admin' }),
      'platform.yaml at deployRoles.222222222222: must be an IAM role ARN',
    ],
    [
      'an owner deploy role that is not a role ARN',
      (p: any) => (p.owner.deployRoleArn = 'arn:aws:iam::111111111111:user/bob'),
      'platform.yaml at owner.deployRoleArn: must be an IAM role ARN',
    ],
    [
      'a bad organization ARN',
      (p: any) => (p.sharing = { organizationArn: 'o-123' }),
      'platform.yaml at sharing.organizationArn: must be an organization ARN',
    ],
    [
      'a bad organization id',
      (p: any) => (p.sharing = { organizationId: 'org-1' }),
      'platform.yaml at sharing.organizationId: must be an organization id such as o-abcd123456',
    ],
    [
      'a bad OU ARN',
      (p: any) => (p.sharing = { organizationalUnitArns: ['ou-1'] }),
      'platform.yaml at sharing.organizationalUnitArns[0]: must be an OU ARN',
    ],
    [
      'a bad extra endpoint',
      (p: any) => (p.network.extraInterfaceEndpoints = ['Secrets Manager']),
      'platform.yaml at network.extraInterfaceEndpoints[0]: must be an endpoint service suffix',
    ],
    [
      'a zero endpoint quota',
      (p: any) => (p.network.interfaceEndpointQuota = 0),
      'platform.yaml at network.interfaceEndpointQuota: Too small',
    ],
    [
      'a zero environment quota',
      (p: any) => (p.mwaa.maxEnvironmentsPerTeam = 0),
      'platform.yaml at mwaa.maxEnvironmentsPerTeam: Too small',
    ],
    [
      'a bad alarm topic',
      (p: any) => (p.endpointManager.alarmTopicArn = 'arn:aws:sqs:eu-west-1:111111111111:q'),
      'platform.yaml at endpointManager.alarmTopicArn: must be an SNS topic ARN',
    ],
    [
      'a bad state bucket',
      (p: any) => (p.backend = { type: 's3', bucket: 'Bad_Bucket', region: 'eu-west-1' }),
      'platform.yaml at backend.bucket: must be an S3 bucket name',
    ],
    [
      'a bad state key ARN',
      (p: any) => (p.backend = { type: 's3', bucket: 'state', region: 'eu-west-1', kmsKeyArn: 'key' }),
      'platform.yaml at backend.kmsKeyArn: must be a KMS key ARN',
    ],
    [
      'a bad state role',
      (p: any) => (p.backend = { type: 's3', bucket: 'state', region: 'eu-west-1', roleArn: 'role' }),
      'platform.yaml at backend.roleArn: must be an IAM role ARN',
    ],
    [
      'a tag value over 256 characters',
      (p: any) => (p.tags = { Owner: 'x'.repeat(257) }),
      'platform.yaml at tags.Owner: tag values are at most 256 characters',
    ],
    [
      'a bad adopted VPC id',
      (p: any) => {
        delete p.network.create;
        p.network.adopt = { vpcId: 'vpc-1', cidr: '10.0.0.0/16', subnets: [] };
      },
      'platform.yaml at network.adopt.vpcId: must be a VPC id',
    ],
    [
      'a bad adopted subnet id',
      (p: any) => {
        delete p.network.create;
        p.network.adopt = {
          vpcId: 'vpc-0123456789abcdef0',
          cidr: '10.0.0.0/16',
          subnets: [
            { id: 's-1', cidr: '10.0.0.0/20', availabilityZone: 'eu-west-1a' },
            { id: 'subnet-0123456789abcdef1', cidr: '10.0.16.0/20', availabilityZone: 'eu-west-1b' },
          ],
        };
      },
      'platform.yaml at network.adopt.subnets[0].id: must be a subnet id',
    ],
    [
      'a bad adopted route table id',
      (p: any) => {
        delete p.network.create;
        p.network.adopt = { vpcId: 'vpc-0123456789abcdef0', cidr: '10.0.0.0/16', routeTableIds: ['rt-1'], subnets: [] };
      },
      'platform.yaml at network.adopt.routeTableIds[0]: must be a route table id',
    ],
    [
      'a bad AZ name',
      (p: any) => (p.network.create.availabilityZones = ['eu-west-1a', 'west']),
      'platform.yaml at network.create.availabilityZones[1]: must be an availability zone name',
    ],
  ])('rejects %s', (_what, edit, expected) => {
    expect(problemsOf({ platform: edit }).join('\n')).toContain(expected);
  });

  it('accepts an adopted VPC and checks its subnets too', () => {
    const adopt = (p: any) => adoptVpc(p, { secondSubnetCidr: '10.61.0.0/20' });
    expect(problemsOf({ platform: adopt })).toContain(
      'platform.yaml at network.adopt.subnets[1].cidr: 10.61.0.0/20 is not inside the VPC CIDR 10.60.0.0/16',
    );
  });
});

describe('team file validation', () => {
  it.each([
    [
      'a participant in the owner account',
      { analytics: (t: any) => (t.accountId = '111111111111') },
      'analytics.yaml at accountId: 111111111111 is the owner (network) account',
    ],
    [
      'a team name that does not match its file',
      { analytics: (t: any) => (t.team = 'analysis') },
      'analytics.yaml at team: team "analysis" must live in a file named analysis.yaml',
    ],
    [
      'a team name that is not DNS-safe',
      { analytics: (t: any) => (t.team = 'Analytics') },
      'analytics.yaml at team: team must be 2-32 characters of lowercase letters',
    ],
    [
      'an environment name starting with a digit',
      { analytics: (t: any) => (t.environments[0].name = '1prod') },
      'analytics.yaml at environments[0].name: must be 1-80 characters, start with a letter',
    ],
    [
      'an environment name longer than 80 characters',
      { analytics: (t: any) => (t.environments[0].name = 'a'.repeat(81)) },
      'analytics.yaml at environments[0].name: must be 1-80 characters',
    ],
    [
      'a typo in an environment field',
      { marketing: (t: any) => (t.environments[0].maxWorker = 3) },
      'marketing.yaml at environments[0]: unknown field "maxWorker"',
    ],
    [
      'an unquoted number as an Airflow option',
      { analytics: (t: any) => (t.environments[0].airflowConfigurationOptions['core.parallelism'] = 32) },
      'analytics.yaml at environments[0].airflowConfigurationOptions.core.parallelism: Airflow configuration values must be strings',
    ],
    [
      'an access principal that is not an ARN',
      { analytics: (t: any) => (t.access.principals = ['alice']) },
      'analytics.yaml at access.principals[0]: must be an IAM role, user or account-root ARN',
    ],
  ])('rejects %s', (_what, teams, expected) => {
    expect(problemsOf({ teams }).join('\n')).toContain(expected);
  });

  it.each([
    [
      'an unknown Airflow role',
      { analytics: (t: any) => (t.access.airflowRole = 'Superuser') },
      'analytics.yaml at access.airflowRole: must be one of Admin, Op, User, Viewer, Public',
    ],
    [
      'no access principal',
      { analytics: (t: any) => (t.access.principals = []) },
      'analytics.yaml at access.principals: list at least one IAM principal ARN',
    ],
    [
      'a log retention CloudWatch does not offer',
      { analytics: (t: any) => (t.logRetentionDays = 45) },
      'analytics.yaml at logRetentionDays: must be a CloudWatch Logs retention value',
    ],
    [
      'a non-boolean customerManagedKey',
      { analytics: (t: any) => (t.customerManagedKey = 'yes') },
      'analytics.yaml at customerManagedKey: must be true or false (without quotes), not a string',
    ],
    [
      'an unknown webserver mode',
      { marketing: (t: any) => (t.environments[0].webserverAccessMode = 'PUBLIC') },
      'marketing.yaml at environments[0].webserverAccessMode: must be one of PRIVATE_ONLY, PUBLIC_ONLY',
    ],
    [
      'a maintenance window off the half hour',
      { marketing: (t: any) => (t.environments[0].weeklyMaintenanceWindowStart = 'SUN:03:15') },
      'marketing.yaml at environments[0].weeklyMaintenanceWindowStart: must be DAY:HH:MM in UTC on the half hour',
    ],
    [
      'an unknown log level',
      { marketing: (t: any) => (t.environments[0].logging = { task: { level: 'TRACE' } }) },
      'marketing.yaml at environments[0].logging.task.level: must be one of CRITICAL, ERROR, WARNING, INFO, DEBUG',
    ],
    [
      'a bad secrets prefix',
      { analytics: (t: any) => (t.environments[0].secretsBackend.connectionsPrefix = 'air flow') },
      'analytics.yaml at environments[0].secretsBackend.connectionsPrefix: must be a Secrets Manager name prefix',
    ],
  ])('rejects %s', (_what, teams, expected) => {
    expect(problemsOf({ teams }).join('\n')).toContain(expected);
  });

  it('rejects two teams with one name, on each file, naming the other', () => {
    const problems = problemsOf({ teams: { marketing: (t) => (t.team = 'analytics') } });
    expect(problems).toContain(
      'marketing.yaml at team: team name "analytics" is also used by config/teams/analytics.yaml; each team has exactly one file',
    );
    expect(problems).toContain(
      'analytics.yaml at team: team name "analytics" is also used by config/teams/marketing.yaml; each team has exactly one file',
    );
  });

  it('rejects an environment name used twice in one account, across teams', () => {
    const problems = problemsOf({
      teams: {
        marketing: (t) => {
          t.accountId = '222222222222';
          t.environments[0].name = 'analytics-prod';
        },
      },
    });
    expect(problems.join('\n')).toMatch(
      /marketing\.yaml at environments\[0\]\.name: environment name "analytics-prod" is already used in account 222222222222 by .*analytics\.yaml environments\[0\]; names must be unique per account/,
    );
  });

  it('allows the same environment name in two different accounts', () => {
    expect(problemsOf({ teams: { marketing: (t) => (t.environments[0].name = 'analytics-prod') } })).toEqual([]);
  });

  it('rejects a public webserver when the platform forbids it', () => {
    const problems = problemsOf({ platform: (p) => (p.mwaa.allowPublicWebserver = false) });
    expect(problems).toContain(
      'marketing.yaml at environments[0].webserverAccessMode: PUBLIC_ONLY is not allowed on this platform (mwaa.allowPublicWebserver is false); use PRIVATE_ONLY',
    );
  });

  it('rejects more environments than the per-team quota', () => {
    const problems = problemsOf({
      platform: (p) => (p.mwaa.maxEnvironmentsPerTeam = 0 + 1),
      teams: { marketing: (t) => t.environments.push({ ...t.environments[0], name: 'second' }) },
    });
    expect(problems).toContain(
      'marketing.yaml at environments: 2 environments requested; the platform allows at most 1 per team (mwaa.maxEnvironmentsPerTeam in platform.yaml)',
    );
  });

  it('reports a YAML syntax error with the file', () => {
    expect(problemsOf({ files: { 'teams/broken.yaml': 'team: [unclosed' } }).join('\n')).toMatch(/broken\.yaml: not valid YAML/);
  });

  it('reports several problems in several files at once', () => {
    const problems = problemsOf({
      platform: (p) => (p.region = 'nowhere'),
      teams: { analytics: (t) => (t.accountId = '1'), marketing: (t) => (t.environments[0].name = '-') },
    });
    expect(problems.length).toBeGreaterThanOrEqual(3);
    expect(problems.map((p) => p.split(' ')[0])).toEqual(expect.arrayContaining(['platform.yaml', 'analytics.yaml', 'marketing.yaml']));
  });
});

describe('every problem of a team file in one run', () => {
  const CLASS_TYPO =
    'marketing.yaml at environments[0].environmentClass: "mw1.smal" is not an MWAA environment class; use one of mw1.micro, mw1.small, mw1.medium, mw1.large, mw1.xlarge, mw1.2xlarge';

  it('a bad account id hides neither the class nor the Airflow version of its environments', () => {
    const problems = problemsOf({
      teams: {
        marketing: (t) => {
          t.accountId = '33333333333';
          t.environments[0].environmentClass = 'mw1.smal';
          t.environments[0].airflowVersion = '2.9.0';
        },
      },
    });
    expect(problems).toEqual([
      'marketing.yaml at accountId: must be a 12-digit AWS account id written as a quoted string, e.g. "111111111111"',
      'marketing.yaml at environments[0].airflowVersion: "2.9.0" is not an Airflow version MWAA creates environments with; use one of 2.7.2, 2.8.1, 2.9.2, 2.10.1, 2.10.3, 2.11.0, 3.0.6',
      CLASS_TYPO,
    ]);
  });

  it("an unknown (typo'd) field of an environment does not hide its class", () => {
    const problems = problemsOf({
      teams: {
        marketing: (t) => {
          t.environments[0].environmentClass = 'mw1.smal';
          t.environments[0].maxWorkerz = t.environments[0].maxWorkers;
          delete t.environments[0].maxWorkers;
        },
      },
    });
    expect(problems).toEqual([
      'marketing.yaml at environments[0]: unknown field "maxWorkerz"; allowed fields: name, airflowVersion, environmentClass, webserverAccessMode, minWorkers, maxWorkers, schedulers, minWebservers, maxWebservers, weeklyMaintenanceWindowStart, logging, airflowConfigurationOptions, secretsBackend, requirementsFile, pluginsFile, startupScriptFile, recovery, recoveryBackupSchedule, tags',
      CLASS_TYPO,
    ]);
  });

  it('an unknown top-level field, a missing account id and a bad team name still let the environments be checked', () => {
    const problems = problemsOf({
      teams: {
        marketing: (t) => {
          t.team = 'Marketing';
          t.acountId = t.accountId;
          delete t.accountId;
          t.environments[0].environmentClass = 'mw1.smal';
        },
      },
    });
    expect(problems).toEqual([
      'marketing.yaml at team: team must be 2-32 characters of lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen',
      'marketing.yaml at accountId: is required: must be a 12-digit AWS account id written as a quoted string, e.g. "111111111111"',
      'marketing.yaml: unknown field "acountId"; allowed fields: team, accountId, access, dagsPath, customerManagedKey, logRetentionDays, environments, eks, tags',
      CLASS_TYPO,
    ]);
  });

  it('says nothing about the stand-ins that let the rest be checked (the IRSA and file checks that need the real account and name)', () => {
    // analytics has an EKS cluster, IRSA and files under teams/analytics/: all judged against its account and name.
    const problems = problemsOf({
      teams: {
        analytics: (t) => {
          t.accountId = '2222';
          t.team = 'Analytics';
          t.environments[0].environmentClass = 'mw1.medum';
        },
      },
    });
    expect(problems).toEqual([
      'analytics.yaml at team: team must be 2-32 characters of lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen',
      'analytics.yaml at accountId: must be a 12-digit AWS account id written as a quoted string, e.g. "111111111111"',
      'analytics.yaml at environments[0].environmentClass: "mw1.medum" is not an MWAA environment class; use one of mw1.micro, mw1.small, mw1.medium, mw1.large, mw1.xlarge, mw1.2xlarge',
    ]);
  });
});

describe('network contract', () => {
  it('is an error with instructions when missing', () => {
    const dir = fixtureConfigWith();
    unlinkSync(join(dir, 'network-contract.json'));
    expect(() => loadPlatformConfig(dir)).toThrow(
      'network-contract.json: the network contract is missing: before the owner stack exists (first deployment), write a placeholder contract for this platform with `npm run publish-network -- --example` and commit it; apply the owner stack, then run `npm run publish-network` and commit the file (for a first, owner-only synth set BOOTSTRAP=owner)',
    );
  });

  it('on a first deployment (the contract is still a placeholder), points to the placeholder for this platform, not to the owner', () => {
    // The fixture's contract, like the shipped example's, is a placeholder: a new platform name makes it stale before any owner exists.
    const problems = problemsOf({ platform: (p) => (p.platform = 'globex'), republishContract: false });
    expect(problems).toEqual([
      'network-contract.json: the network contract is stale: it is for platform "acme-data", not "globex"; before the owner stack exists (first deployment), write a placeholder contract for this platform with `npm run publish-network -- --example` and commit it',
    ]);
  });

  it('on a first deployment, a new owner account also points to the placeholder, not to the owner', () => {
    const problems = problemsOf({ platform: (p) => (p.owner.accountId = '999999999999'), republishContract: false });
    expect(problems.filter((p) => p.startsWith('network-contract.json'))).toEqual([
      'network-contract.json: the network contract is stale: it is for owner account 111111111111, not 999999999999; before the owner stack exists (first deployment), write a placeholder contract for this platform with `npm run publish-network -- --example` and commit it',
    ]);
  });

  it('with a published contract (owner outputs), points to the owner and publish-network', () => {
    const problems = problemsOf({
      platform: (p) => (p.owner.accountId = '999999999999'),
      files: {
        'network-contract.json': JSON.stringify({
          ...JSON.parse(readFileSync(join(FIXTURE_CONFIG, 'network-contract.json'), 'utf8')),
          source: 'terraform-output',
        }),
      },
    });
    expect(problems.filter((p) => p.startsWith('network-contract.json'))).toEqual([
      expect.stringMatching(
        /^network-contract\.json: the network contract is stale: .*; apply the owner stack, then run `npm run publish-network` and commit the file \(for a first, owner-only synth set BOOTSTRAP=owner\)$/,
      ),
    ]);
  });

  it('is not needed for the owner-only bootstrap', () => {
    const dir = fixtureConfigWith();
    unlinkSync(join(dir, 'network-contract.json'));
    expect(loadPlatformConfig(dir, { ownerOnly: true }).contract).toBeUndefined();
  });

  it('is stale when the network section changed after it was published', () => {
    const published = { ...JSON.parse(readFileSync(join(FIXTURE_CONFIG, 'network-contract.json'), 'utf8')), source: 'terraform-output' };
    const problems = problemsOf({
      platform: (p) => (p.network.create.privateSubnetCidrs = ['10.40.32.0/20', '10.40.48.0/20']),
      files: { 'network-contract.json': JSON.stringify(published) },
    });
    expect(problems.join('\n')).toContain(
      'network-contract.json: the network contract is stale: the network section of platform.yaml changed after it was published; apply the owner stack, then run `npm run publish-network`',
    );
  });

  it.each([
    [
      'a schema error',
      (p: any) => (p.network.create.cidr = '10.40.0.0/33'),
      'config/platform.yaml at network.create.cidr: "10.40.0.0/33" is not a valid IPv4 CIDR (host bits must be zero)',
    ],
    [
      'a cross-field error',
      (p: any) => (p.network.create.privateSubnetCidrs = ['10.40.0.0/20', '10.99.16.0/20']),
      'config/platform.yaml at network.create.privateSubnetCidrs[1]: 10.99.16.0/20 is not inside the VPC CIDR 10.40.0.0/16',
    ],
  ])('reports a mistake in the network section once, without the stale-contract advice (%s)', (_what, edit, expected) => {
    const problems = problemsOf({ platform: edit });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`${expected.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(/^config\\\//, '')}$`));
    expect(problems.join('\n')).not.toMatch(/stale|publish-network/);
  });

  it('is stale when it belongs to another owner account', () => {
    const dir = fixtureConfigWith();
    const path = join(dir, 'network-contract.json');
    const contract = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...contract, ownerAccountId: '999999999999' }));
    expect(() => loadPlatformConfig(dir)).toThrow(/it is for owner account 999999999999, not 111111111111/);
  });

  it('rejects malformed ids and invalid JSON', () => {
    const dir = fixtureConfigWith();
    const path = join(dir, 'network-contract.json');
    const contract = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify({ ...contract, vpcId: 'my-vpc' }));
    expect(() => loadPlatformConfig(dir)).toThrow(/network-contract\.json at vpcId: must be a VPC id/);
    writeFileSync(path, '{');
    expect(() => loadPlatformConfig(dir)).toThrow(ConfigError);
    expect(() => loadPlatformConfig(dir)).toThrow(/not valid JSON/);
  });
});

describe('subnets given to MWAA', () => {
  it('are the first two shared subnets in distinct availability zones', () => {
    const { platform, contract } = loadFixture();
    const adopted = {
      ...platform,
      network: {
        ...platform.network,
        create: undefined,
        adopt: {
          vpcId: 'vpc-0123456789abcdef0',
          cidr: '10.60.0.0/16',
          routeTableIds: [],
          internetAccess: false,
          subnets: [
            { id: 'subnet-000000000000000a1', cidr: '10.60.0.0/20', availabilityZone: 'eu-west-1a' },
            { id: 'subnet-000000000000000a2', cidr: '10.60.16.0/20', availabilityZone: 'eu-west-1a' },
            { id: 'subnet-000000000000000b1', cidr: '10.60.32.0/20', availabilityZone: 'eu-west-1b' },
          ],
        },
      },
    };
    const ids = ['subnet-000000000000000a1', 'subnet-000000000000000a2', 'subnet-000000000000000b1'];
    expect(mwaaSubnetIds(adopted, { ...contract!, subnetIds: ids })).toEqual(['subnet-000000000000000a1', 'subnet-000000000000000b1']);
    expect(mwaaSubnetIds(platform, contract!)).toEqual(['subnet-0000000000000000a', 'subnet-0000000000000000b']);
  });
});
