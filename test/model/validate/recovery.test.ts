import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlatformConfig } from '../../../model/load';
import { RECOVERY_CONTRACT_FILE, recoveryNetworkFingerprint } from '../../../model/contract';
import { deploymentGuards } from '../../../model/validate/deployment';
import { contractFromOutputs } from '../../../tools/publish-network';
import { fixtureConfigWith, problemsOf } from '../../support/config-fixture';
import { loadRecoveryExample, recoveryConfigWith, RECOVERY_SECTION } from '../../support/recovery-fixture';

/** Problems of a configuration directory as `file-basename at path: message` lines. */
function problemsIn(dir: string): string[] {
  try {
    loadPlatformConfig(dir);
  } catch (error) {
    const problems = (error as { problems?: Array<{ file: string; path: string; message: string }> }).problems;
    if (!problems) throw error;
    return problems.map((p) => `${p.file.split('/').pop()}${p.path ? ` at ${p.path}` : ''}: ${p.message}`);
  }
  return [];
}

describe('platform.yaml recovery', () => {
  it('loads with the recovery contract next to the primary one', () => {
    const config = loadRecoveryExample();
    expect(config.platform.recovery?.region).toBe('us-west-2');
    expect(config.recoveryContract).toMatchObject({ region: 'us-west-2', vpcId: 'vpc-00000000000000101', source: 'example' });
    expect(config.contract?.vpcId).toBe('vpc-00000000000000001');
    const envs = Object.fromEntries(config.teams.flatMap((t) => t.environments.map((e) => [e.name, e.recovery])));
    expect(envs).toEqual({ 'analytics-prod': 'warm-standby', 'marketing-campaigns': 'backup-restore' });
  });

  it.each([
    [
      'the primary region again',
      (p: any) => (p.recovery.region = p.region),
      'platform.yaml at recovery.region: the recovery region must differ from the primary region eu-west-1: a regional outage takes both down',
    ],
    [
      'a CIDR overlapping the primary VPC',
      (p: any) =>
        (p.recovery.network.create = {
          ...p.recovery.network.create,
          cidr: '10.40.0.0/16',
          privateSubnetCidrs: ['10.40.0.0/20', '10.40.16.0/20'],
        }),
      "platform.yaml at recovery.network.create.cidr: 10.40.0.0/16 overlaps the primary VPC's 10.40.0.0/16 (network.create.cidr); the recovery VPC needs a range of its own",
    ],
    [
      'availability zones of the primary region',
      (p: any) => (p.recovery.network.create.availabilityZones = ['eu-west-1a', 'us-west-2b']),
      'platform.yaml at recovery.network.create.availabilityZones: eu-west-1a is not in region us-west-2',
    ],
    [
      'a subnet outside the recovery VPC',
      (p: any) => (p.recovery.network.create.privateSubnetCidrs = ['10.50.0.0/20', '10.51.0.0/20']),
      'platform.yaml at recovery.network.create.privateSubnetCidrs[1]: 10.51.0.0/20 is not inside the VPC CIDR 10.50.0.0/16',
    ],
    [
      'both create and adopt',
      (p: any) =>
        (p.recovery.network.adopt = {
          vpcId: 'vpc-0123456789abcdef0',
          cidr: '10.70.0.0/16',
          subnets: [
            { id: 'subnet-0123456789abcdef0', cidr: '10.70.0.0/20', availabilityZone: 'us-west-2a' },
            { id: 'subnet-0123456789abcdef1', cidr: '10.70.16.0/20', availabilityZone: 'us-west-2b' },
          ],
        }),
      'platform.yaml at recovery.network: set exactly one of "create" (the owner creates the VPC) or "adopt" (an existing VPC)',
    ],
    [
      'no region',
      (p: any) => delete p.recovery.region,
      'platform.yaml at recovery.region: is required: must be an AWS region name such as eu-west-1',
    ],
    [
      'a typo in a field',
      (p: any) => (p.recovery.regoin = 'us-west-2'),
      'platform.yaml at recovery: unknown field "regoin"; allowed fields: region, network',
    ],
  ])('refuses %s', (_what, edit, message) => {
    expect(problemsOf({ platform: (p) => ((p.recovery = structuredClone(RECOVERY_SECTION)), edit(p)) })).toContain(message);
  });

  it('adopts an existing recovery VPC in the recovery region', () => {
    const config = loadRecoveryExample({
      platform: (p) => {
        p.recovery.network = {
          adopt: {
            vpcId: 'vpc-0123456789abcdef0',
            cidr: '10.70.0.0/16',
            subnets: [
              { id: 'subnet-0123456789abcdef0', cidr: '10.70.0.0/20', availabilityZone: 'us-west-2a' },
              { id: 'subnet-0123456789abcdef1', cidr: '10.70.16.0/20', availabilityZone: 'us-west-2b' },
            ],
          },
        };
      },
    });
    expect(config.platform.recovery?.network.adopt?.vpcId).toBe('vpc-0123456789abcdef0');
  });
});

describe('the recovery contract', () => {
  it('is required once platform.yaml has recovery', () => {
    const dir = fixtureConfigWith({ platform: (p) => (p.recovery = structuredClone(RECOVERY_SECTION)) });
    expect(problemsIn(dir)).toEqual([
      'recovery-network-contract.json: the recovery network contract is missing: before the recovery owner stack exists (first deployment), write a placeholder contract with `npm run publish-network -- --recovery --example` and commit it; apply the recovery owner stack, then run `npm run publish-network -- --recovery` and commit the file (for a first, owner-only synth set BOOTSTRAP=owner)',
    ]);
  });

  it('is stale when the recovery section changed after publishing', () => {
    const dir = recoveryConfigWith();
    const config = loadPlatformConfig(dir);
    const moved = { ...config.recoveryContract!, region: 'us-east-2' };
    writeFileSync(join(dir, RECOVERY_CONTRACT_FILE), JSON.stringify(moved));
    expect(problemsIn(dir)).toEqual([
      'recovery-network-contract.json: the recovery network contract is stale: it is for region us-east-2, not us-west-2; before the recovery owner stack exists (first deployment), write a placeholder contract with `npm run publish-network -- --recovery --example` and commit it',
    ]);
    writeFileSync(join(dir, RECOVERY_CONTRACT_FILE), JSON.stringify({ ...config.recoveryContract, networkFingerprint: '0'.repeat(64) }));
    expect(problemsIn(dir)).toEqual([
      'recovery-network-contract.json: the recovery network contract is stale: the recovery section of platform.yaml changed after it was published; before the recovery owner stack exists (first deployment), write a placeholder contract with `npm run publish-network -- --recovery --example` and commit it',
    ]);
  });

  it('is published from the recovery owner stack outputs, in the recovery region', () => {
    const { platform } = loadRecoveryExample();
    const value = (v: unknown) => ({ value: v });
    const contract = contractFromOutputs(
      {
        vpc_id: value('vpc-0aaaaaaaaaaaaaaa1'),
        subnet_ids: value(['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2']),
        endpoint_security_group_id: value('sg-0aaaaaaaaaaaaaaa1'),
        s3_prefix_list_id: value('pl-0aaaaaaa1'),
        event_bus_arn: value('arn:aws:events:us-west-2:111111111111:event-bus/acme-data-us-west-2-mwaa-status'),
        network_fingerprint: value(recoveryNetworkFingerprint(platform)),
        codeartifact_domain: value('acme-data'),
        codeartifact_domain_owner: value('111111111111'),
        codeartifact_repository: value('pypi'),
      },
      platform,
      'recovery',
    );
    expect(contract.region).toBe('us-west-2');
    // Without the output, the role is named as the recovery owner stack names it: the region in the name.
    expect(contract.endpointManagerRoleArn).toBe('arn:aws:iam::111111111111:role/acme-data-us-west-2-endpoint-manager');
    // The recovery region's own PyPI mirror, published like the primary's.
    expect(contract.codeArtifact).toEqual({ domain: 'acme-data', domainOwner: '111111111111', repository: 'pypi' });
  });

  it('names the recovery mirror when platform.yaml sets one, and refuses outputs or a contract without it', () => {
    const { platform } = loadRecoveryExample();
    const value = (v: unknown) => ({ value: v });
    expect(() =>
      contractFromOutputs(
        {
          vpc_id: value('vpc-0aaaaaaaaaaaaaaa1'),
          subnet_ids: value(['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0aaaaaaaaaaaaaaa2']),
          endpoint_security_group_id: value('sg-0aaaaaaaaaaaaaaa1'),
          s3_prefix_list_id: value('pl-0aaaaaaa1'),
          event_bus_arn: value('arn:aws:events:us-west-2:111111111111:event-bus/acme-data-us-west-2-mwaa-status'),
          network_fingerprint: value(recoveryNetworkFingerprint(platform)),
        },
        platform,
        'recovery',
      ),
    ).toThrow(
      "The recovery owner stack's outputs do not make a valid network contract (was the recovery owner stack applied?):\n" +
        '  output for codeArtifact.domain: Invalid input: expected string, received undefined\n' +
        '  output for codeArtifact.domainOwner: Invalid input: expected string, received undefined\n' +
        '  output for codeArtifact.repository: Invalid input: expected string, received undefined',
    );

    const dir = recoveryConfigWith();
    const { codeArtifact, ...withoutMirror } = loadPlatformConfig(dir).recoveryContract!;
    expect(codeArtifact).toEqual({ domain: 'acme-data', domainOwner: '111111111111', repository: 'pypi' });
    writeFileSync(join(dir, RECOVERY_CONTRACT_FILE), JSON.stringify(withoutMirror));
    expect(problemsIn(dir)).toEqual([
      'recovery-network-contract.json: the recovery network contract is stale: platform.yaml sets network.pythonPackages.codeArtifact, but the contract has no CodeArtifact mirror of the recovery region; before the recovery owner stack exists (first deployment), write a placeholder contract with `npm run publish-network -- --recovery --example` and commit it',
    ]);
  });

  it('has no mirror when platform.yaml sets none, and the mirror is part of the fingerprint', () => {
    const config = loadRecoveryExample({ platform: (p) => delete p.network.pythonPackages.codeArtifact });
    expect(config.recoveryContract!.codeArtifact).toBeUndefined();
    const withMirror = loadRecoveryExample();
    expect(recoveryNetworkFingerprint(config.platform)).not.toBe(recoveryNetworkFingerprint(withMirror.platform));
  });

  it('refuses the example recovery contract in CI with real credentials', () => {
    const config = loadRecoveryExample();
    expect(
      deploymentGuards({ ...config, platform: { ...config.platform, backend: { type: 's3' } as never } }, { real: true, ci: true }),
    ).toEqual([
      {
        file: 'config/network-contract.json',
        path: 'source',
        message: expect.stringContaining('the shipped example contract (fake ids)'),
      },
      {
        file: 'config/recovery-network-contract.json',
        path: 'source',
        message:
          'the shipped example recovery contract (fake ids) is refused in CI with real credentials: apply the recovery owner stack, run `npm run publish-network -- --recovery` and merge the contract (or set PREVIEW=offline for a preview)',
      },
    ]);
  });
});

describe('team recovery', () => {
  it('refuses recovery without a recovery region, and a backup schedule without recovery', () => {
    expect(
      problemsOf({
        teams: {
          analytics: (t) => (t.environments[0].recovery = 'warm-standby'),
          marketing: (t) => (t.environments[0].recoveryBackupSchedule = '@daily'),
        },
      }),
    ).toEqual([
      'analytics.yaml at environments[0].recovery: warm-standby needs a recovery region, and platform.yaml has no recovery section; ask the platform team for one or leave recovery out',
      'marketing.yaml at environments[0].recoveryBackupSchedule: applies only to an environment with recovery: warm-standby or backup-restore',
    ]);
  });

  it.each([
    [
      'an unknown mode',
      (t: any) => (t.environments[0].recovery = 'pilot-light'),
      'marketing.yaml at environments[0].recovery: must be one of warm-standby, backup-restore (or leave it out: no recovery)',
    ],
    [
      'a schedule that is not one',
      (t: any) => (t.environments[0].recoveryBackupSchedule = 'every hour'),
      'marketing.yaml at environments[0].recoveryBackupSchedule: must be an Airflow schedule: @hourly, @daily, @weekly or a five-field cron expression such as "*/30 * * * *"',
    ],
  ])('refuses %s', (_what, edit, message) => {
    expect(problemsIn(recoveryConfigWith({ teams: { marketing: edit } }))).toEqual([message]);
  });

  it('accepts a cron backup schedule and warns that Airflow 3 carries less', () => {
    const config = loadRecoveryExample({
      teams: {
        marketing: (t) => {
          t.environments[0].recoveryBackupSchedule = '*/30 * * * *';
          t.environments[0].airflowVersion = '3.0.6';
        },
      },
    });
    expect(config.teams.find((t) => t.team === 'marketing')!.environments[0].recoveryBackupSchedule).toBe('*/30 * * * *');
    expect(config.warnings).toContainEqual({
      file: expect.stringMatching(/marketing\.yaml$/),
      path: 'environments[0].recovery',
      message:
        'Airflow 3.0.6 gives tasks no metadata-database access: failover carries the DAGs, requirements, plugins and the platform’s replicated secrets; not the run history, task state, XComs, logs or which DAGs were paused (every DAG arrives paused); variables, pools and connections only by hand, as far as the REST API shows them (python -m platform_recovery.rest_api backup/restore: the platform schedules no backup for it), and npm run failover/failback cannot restore it (docs/disaster-recovery.md, "Airflow 3.x")',
    });
  });
});

describe('the reserved platform DAG folder', () => {
  it('refuses team DAG files in it, naming the file', () => {
    expect(problemsOf({ repoFiles: { 'teams/marketing/dags/_platform/recovery/restore.py': 'print(1)\n' } })).toEqual([
      "marketing.yaml at dagsPath: teams/marketing/dags/_platform/recovery/restore.py is in _platform/recovery/, the folder reserved for the platform's recovery DAGs; move it to another folder",
    ]);
  });
});

describe('the reserved platform_recovery options', () => {
  it('refuses a team option of the section, with or without recovery, naming the file, the option and what is allowed', () => {
    expect(
      problemsOf({
        teams: { marketing: (t) => (t.environments[0].airflowConfigurationOptions = { 'platform_recovery.restore_bucket': 'elsewhere' }) },
      }),
    ).toEqual([
      'marketing.yaml at environments[0].airflowConfigurationOptions["platform_recovery.restore_bucket"]: options of the platform_recovery section are reserved for the platform\'s backup and restore DAGs (it sets platform_recovery.backup_bucket, platform_recovery.restore_bucket, platform_recovery.backup_schedule from recovery and recoveryBackupSchedule); remove it, and use another section for the team\'s own options',
    ]);
  });

  it('still accepts a section whose name only starts alike', () => {
    expect(
      problemsOf({ teams: { marketing: (t) => (t.environments[0].airflowConfigurationOptions = { 'platform_recovery_x.key': 'v' }) } }),
    ).toEqual([]);
  });
});
