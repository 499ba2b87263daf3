import { capacityUsage, validateCapacity } from '../../../model/validate/capacity';
import type { TeamConfig } from '../../../model/model';
import { loadPlatformConfig } from '../../../model/load';
import { loadFixture, problemsOf } from '../../support/config-fixture';
import { loadRecoveryExample, recoveryConfigWith } from '../../support/recovery-fixture';

const example = loadFixture();

describe('capacity of the shared VPC', () => {
  it('counts 16 platform endpoints, two for a private webserver environment and one for a public one', () => {
    // 9 MWAA needs + 5 extras + the PyPI mirror's codeartifact.api and codeartifact.repositories.
    expect(capacityUsage(example.platform, example.teams).interfaceEndpoints).toEqual({
      used: 19,
      limit: 50,
      platform: 16,
      environments: 2,
    });
  });

  it('fails synthesis with the arithmetic when the environments would exceed the interface endpoint quota', () => {
    expect(problemsOf({ platform: (p) => (p.network.interfaceEndpointQuota = 18) })).toContain(
      'platform.yaml at network.interfaceEndpointQuota: the registered environments need 19 interface endpoints (16 for the platform + 3 for 2 environments: one database endpoint each, plus one webserver endpoint per PRIVATE_ONLY webserver), above the quota of 18; request an AWS quota increase and raise interfaceEndpointQuota, or remove environments',
    );
    expect(problemsOf({ platform: (p) => (p.network.interfaceEndpointQuota = 19) })).toEqual([]);
  });

  it('fails when the worst-case SQS endpoint policy would exceed 20,480 characters', () => {
    const environment = example.teams[0].environments[0];
    const manyTeams: TeamConfig[] = Array.from({ length: 200 }, (_, i) => ({
      ...example.teams[0],
      team: `team-${i}`,
      accountId: String(100000000000 + i),
      environments: [environment],
    }));
    const platform = { ...example.platform, network: { ...example.platform.network, interfaceEndpointQuota: 1000 } };
    const usage = capacityUsage(platform, manyTeams).sqsEndpointPolicy;
    expect(usage.used).toBeGreaterThan(20_480);
    expect(validateCapacity(platform, manyTeams)).toEqual([
      {
        path: 'teams',
        message: `200 environments could make the SQS endpoint policy ${usage.used} characters in the worst case, above the 20480-character limit of a VPC endpoint policy; split the platform into another shared VPC`,
      },
    ]);
    expect(validateCapacity(platform, manyTeams.slice(0, 100))).toEqual([]);
  });
});

describe('capacity of the recovery region’s shared VPC', () => {
  /** Problems of the recovery fixture (analytics-prod warm standby, PRIVATE_ONLY; marketing-campaigns backup-restore, PUBLIC_ONLY) with this quota. */
  function recoveryProblems(quota: number): string[] {
    try {
      loadPlatformConfig(recoveryConfigWith({ platform: (p) => (p.recovery.network.interfaceEndpointQuota = quota) }));
    } catch (error) {
      const problems = (error as { problems?: Array<{ file: string; path: string; message: string }> }).problems;
      if (!problems) throw error;
      return problems.map((p) => `${p.file.split('/').pop()} at ${p.path}: ${p.message}`);
    }
    return [];
  }

  it('counts the 9 endpoints MWAA needs there, the recovery mirror’s 2, and every recovered environment’s as after a failover', () => {
    const config = loadRecoveryExample();
    expect(capacityUsage(config.platform, config.teams).recoveryInterfaceEndpoints).toEqual({
      used: 14,
      limit: 50,
      platform: 11,
      environments: 2,
    });
    // Without a PyPI mirror in platform.yaml, the recovery VPC has none either.
    const noMirror = loadRecoveryExample({ platform: (p) => delete p.network.pythonPackages.codeArtifact });
    expect(capacityUsage(noMirror.platform, noMirror.teams).recoveryInterfaceEndpoints).toMatchObject({ used: 12, platform: 9 });
    // The primary VPC's count is what it was: the recovery environments' endpoints are in the other region.
    expect(capacityUsage(config.platform, config.teams).interfaceEndpoints.used).toBe(19);
    expect(capacityUsage(example.platform, example.teams).recoveryInterfaceEndpoints).toBeUndefined();
  });

  it('fails with the arithmetic when the recovered environments would exceed the recovery region’s quota', () => {
    expect(recoveryProblems(13)).toEqual([
      "platform.yaml at recovery.network.interfaceEndpointQuota: the recovery region's VPC needs 14 interface endpoints (11 for the platform + 3 for 2 recovered environments, counted as after a failover: one database endpoint each, plus one webserver endpoint per PRIVATE_ONLY webserver), above the quota of 13; request an AWS quota increase in us-west-2 and raise recovery.network.interfaceEndpointQuota, or recover fewer environments",
    ]);
    expect(recoveryProblems(14)).toEqual([]);
  });
});
