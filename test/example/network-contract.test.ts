import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlatformConfig } from '../../model/load';
import { exampleContract, formatJson } from '../../tools/publish-network';

const CONFIG = join(__dirname, '..', '..', 'config');

describe('the shipped network contract', () => {
  it('is byte for byte what `npm run publish-network -- --example` writes for the shipped platform (no formatting-only diff)', () => {
    const { platform } = loadPlatformConfig(CONFIG, { ownerOnly: true });
    expect(`${formatJson(exampleContract(platform))}\n`).toBe(readFileSync(join(CONFIG, 'network-contract.json'), 'utf8'));
  });
});
