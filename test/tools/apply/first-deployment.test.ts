/**
 * A first deployment of a platform of one's own: the shipped example contract names the example's accounts, so the
 * full configuration is refused as stale until the owner is applied and the contract published. `npm run apply` with
 * BOOTSTRAP=owner (the apply job's first step) must not read it.
 */
import { join } from 'node:path';
import { ConfigError } from '../../../model/errors';
import { applyConfig } from '../../../tools/apply/run';
import { fixtureConfigWith } from '../../support/config-fixture';

const ROOT = join(__dirname, '..', '..', '..');

describe('npm run apply on a new platform (example contract of other accounts)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fixtureConfigWith({ platform: (p) => (p.owner.accountId = '444455556666') });
  });

  it('the full configuration is refused: the contract is for another owner account', () => {
    expect(() => applyConfig(ROOT, { PLATFORM_CONFIG: dir })).toThrow(ConfigError);
    expect(() => applyConfig(ROOT, { PLATFORM_CONFIG: dir })).toThrow(
      /network-contract\.json: the network contract is stale: it is for owner account 111111111111, not 444455556666/,
    );
  });

  it('BOOTSTRAP=owner reads the owner and the teams but not the contract', () => {
    const config = applyConfig(ROOT, { PLATFORM_CONFIG: dir, BOOTSTRAP: 'owner' });
    expect(config.platform.owner.accountId).toBe('444455556666');
    expect(config.contract).toBeUndefined();
    expect(config.teams.map((t) => t.team).sort()).toEqual(['analytics', 'marketing']);
  });
});
