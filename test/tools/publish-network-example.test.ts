/**
 * `npm run publish-network -- --example`: a placeholder contract for a platform of one's own, so a first deployment
 * can preview every stack offline before the owner exists (the shipped example names the example's accounts).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlatformConfig } from '../../model/load';
import { deploymentGuards } from '../../model/validate/deployment';
import { exampleContract } from '../../tools/publish-network';
import { FIXTURE_CONFIG, fixtureConfigWith, loadFixture } from '../support/config-fixture';

const ROOT = join(__dirname, '..', '..');
const tool = (args: string[], env: Record<string, string>) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'tools/publish-network.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });

describe('publish-network --example', () => {
  it('is, for the fixture platform (a copy of the shipped example), the contract it carries', () => {
    expect(exampleContract(loadFixture().platform)).toEqual(
      JSON.parse(readFileSync(join(FIXTURE_CONFIG, 'network-contract.json'), 'utf8')),
    );
  });

  it('makes a platform of its own loadable (offline previews of every stack) and is still refused in CI with real credentials', () => {
    const dir = fixtureConfigWith({
      platform: (p) => {
        p.platform = 'globex';
        p.owner.accountId = '444455556666';
        p.network.create.privateSubnetCidrs = ['10.40.0.0/20', '10.40.16.0/20', '10.40.32.0/20'];
        p.network.create.availabilityZones = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];
        delete p.network.pythonPackages;
      },
    });
    expect(() => loadPlatformConfig(dir)).toThrow(/the network contract is stale: it is for platform "acme-data", not "globex"/);
    const r = tool(['--example'], { PLATFORM_CONFIG: dir });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Wrote ${dir}/network-contract.json with placeholder ids for globex (source "example")`);
    const written = JSON.parse(readFileSync(join(dir, 'network-contract.json'), 'utf8'));
    expect(written).toMatchObject({
      platform: 'globex',
      ownerAccountId: '444455556666',
      subnetIds: ['subnet-0000000000000000a', 'subnet-0000000000000000b', 'subnet-0000000000000000c'],
      eventBusArn: 'arn:aws:events:eu-west-1:444455556666:event-bus/globex-mwaa-status',
      endpointManagerRoleArn: 'arn:aws:iam::444455556666:role/globex-endpoint-manager',
      source: 'example',
    });
    expect(written.codeArtifact).toBeUndefined();
    const config = loadPlatformConfig(dir);
    expect(config.contract?.source).toBe('example');
    expect(deploymentGuards(config, { real: true, ci: true }).map((p) => p.path)).toEqual(['backend.type', 'source']);
  });

  it('reads no outputs file', () => {
    const r = tool(['--example', 'outputs.json'], { PLATFORM_CONFIG: fixtureConfigWith({}) });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--example writes placeholder ids; it reads no outputs file');
  });
});
