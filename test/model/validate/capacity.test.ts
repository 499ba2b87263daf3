import { capacityUsage, validateCapacity } from '../../../model/validate/capacity';
import type { TeamConfig } from '../../../model/model';
import { loadFixture, problemsOf } from '../../support/config-fixture';

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
