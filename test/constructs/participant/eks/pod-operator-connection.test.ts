/**
 * The platform's own secret (the `eks_pod_operator` connection) of an environment with recovery is replicated to
 * the recovery region with the recovery key; nothing changes for a secret no recovered environment reads.
 */
import { Testing } from 'cdktf';
import { ParticipantStack } from '../../../../stacks/participant-stack';
import { platformSecretNames, replicatedSecretNames } from '../../../../model/recovery';
import { loadFixture } from '../../../support/config-fixture';
import { loadRecoveryExample } from '../../../support/recovery-fixture';
import { resourcesOf } from '../../../support/synth';
import type { PlatformConfig } from '../../../../model/model';

const secretsOf = (config: PlatformConfig, teamName: string): any[] => {
  const team = config.teams.find((t) => t.team === teamName)!;
  const tf = JSON.parse(Testing.synth(new ParticipantStack(Testing.app(), { config, team, contract: config.contract! })));
  return Object.values(resourcesOf(tf, 'aws_secretsmanager_secret'));
};

describe('the platform’s secrets of a recovered environment', () => {
  it('are the eks_pod_operator connection of a team with EKS and an environment with a secrets backend', () => {
    const backend = { secretsBackend: { connectionsPrefix: 'airflow/connections', variablesPrefix: 'airflow/variables' } };
    expect(platformSecretNames({ eks: {} as any }, backend)).toEqual(['airflow/connections/eks_pod_operator']);
    expect(platformSecretNames({ eks: undefined }, backend)).toEqual([]);
    expect(platformSecretNames({ eks: {} as any }, { secretsBackend: undefined })).toEqual([]);
  });

  it('are listed once for a team, for its recovered environments only', () => {
    const config = loadRecoveryExample();
    const analytics = config.teams.find((t) => t.team === 'analytics')!;
    expect(replicatedSecretNames(analytics)).toEqual(['airflow/connections/eks_pod_operator']);
    expect(
      replicatedSecretNames({ ...analytics, environments: analytics.environments.map((e) => ({ ...e, recovery: undefined })) }),
    ).toEqual([]);
  });

  it('are replicated to the recovery region with the recovery key (its alias ARN: this stack reads nothing of the recovery stack)', () => {
    const [secret] = secretsOf(loadRecoveryExample(), 'analytics');
    expect(secret.name).toBe('airflow/connections/eks_pod_operator');
    expect(secret.replica).toEqual([
      { region: 'us-west-2', kms_key_id: 'arn:aws:kms:us-west-2:222222222222:alias/acme-data-analytics-us-west-2-mwaa' },
    ]);
  });

  it('are not replicated when the environment reading them has no recovery', () => {
    const config = loadRecoveryExample({ modes: { marketing: { 'marketing-campaigns': 'backup-restore' } } });
    const [secret] = secretsOf(config, 'analytics');
    expect(secret.name).toBe('airflow/connections/eks_pod_operator');
    expect(secret.replica).toBeUndefined();
  });

  it('leave the secret as it was without a recovery region', () => {
    const [withRecoveryOff] = secretsOf(loadRecoveryExample({ modes: {} }), 'analytics');
    const [plain] = secretsOf(loadFixture(), 'analytics');
    expect(plain).toEqual(withRecoveryOff);
    expect(plain.replica).toBeUndefined();
  });
});

describe('a team without a recovered environment', () => {
  it('synthesizes exactly as without a recovery region: no topic, replica, grant or alarm of recovery', () => {
    const synth = (config: PlatformConfig) => {
      const team = config.teams.find((t) => t.team === 'analytics')!;
      return Testing.synth(new ParticipantStack(Testing.app(), { config, team, contract: config.contract! }));
    };
    expect(synth(loadRecoveryExample({ modes: {} }))).toEqual(synth(loadFixture()));
  });
});
