import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { networkFingerprint } from '../../model/contract';
import { loadPlatformConfig } from '../../model/load';
import { configuredPythonPackageMirror, type PlatformConfig } from '../../model/model';
import { FIXTURE_CONFIG, FIXTURE_ROOT, REPO_ROOT } from './fixture-paths';

export { FIXTURE_CONFIG, FIXTURE_ROOT, REPO_ROOT };

type Yaml = Record<string, any>;

export interface ConfigEdits {
  /** Mutates the parsed platform.yaml. */
  readonly platform?: (platform: Yaml) => void;
  /** Mutates parsed team files by team file name (without extension). */
  readonly teams?: Readonly<Record<string, (team: Yaml) => void>>;
  /** Extra raw files to write, path relative to the config dir → content. */
  readonly files?: Readonly<Record<string, string>>;
  /** Files to write into the temporary repository, path relative to its root (e.g. `teams/marketing/extra/etl.py`). */
  readonly repoFiles?: Readonly<Record<string, string | Buffer>>;
  /** Recompute the contract's fingerprint after editing platform.yaml, as `publish-network` would. @default true */
  readonly republishContract?: boolean;
}

const created: string[] = [];
afterAll(() => created.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/**
 * Copies the fixture platform (config/ and teams/) to a temp directory, applies edits and returns the
 * configuration directory; its parent is the repository root the loader confines team paths to.
 */
export function fixtureConfigWith(edits: ConfigEdits = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'mwaa-repo-'));
  created.push(root);
  const dir = join(root, 'config');
  cpSync(FIXTURE_CONFIG, dir, { recursive: true });
  cpSync(join(FIXTURE_ROOT, 'teams'), join(root, 'teams'), { recursive: true });
  for (const [relative, content] of Object.entries(edits.repoFiles ?? {})) {
    mkdirSync(dirname(join(root, relative)), { recursive: true });
    writeFileSync(join(root, relative), content);
  }

  const platformPath = join(dir, 'platform.yaml');
  const platform = parse(readFileSync(platformPath, 'utf8'));
  edits.platform?.(platform);
  writeFileSync(platformPath, stringify(platform));

  for (const file of readdirSync(join(dir, 'teams'))) {
    const edit = edits.teams?.[file.replace(/\.ya?ml$/, '')];
    if (!edit) continue;
    const path = join(dir, 'teams', file);
    const team = parse(readFileSync(path, 'utf8'));
    edit(team);
    writeFileSync(path, stringify(team));
  }
  for (const [relative, content] of Object.entries(edits.files ?? {})) writeFileSync(join(dir, relative), content);

  if (edits.republishContract !== false && edits.platform) {
    const contractPath = join(dir, 'network-contract.json');
    const contract = JSON.parse(readFileSync(contractPath, 'utf8'));
    const reloaded = loadPlatformConfig(dir, { ownerOnly: true });
    contract.networkFingerprint = networkFingerprint(reloaded.platform);
    // publish-network writes the mirror's outputs only when the owner stack has the mirror.
    const mirror = configuredPythonPackageMirror(reloaded.platform);
    if (mirror) contract.codeArtifact = { domain: mirror.domain, domainOwner: mirror.domainOwner, repository: mirror.repository };
    else delete contract.codeArtifact;
    writeFileSync(contractPath, JSON.stringify(contract, null, 2));
  }
  return dir;
}

/** Turns an edited platform.yaml into one that adopts an existing two-subnet VPC (10.60.0.0/16). */
export function adoptVpc(platform: Yaml, overrides: { secondSubnetCidr?: string; routeTableIds?: string[] } = {}): void {
  delete platform.network.create;
  platform.network.adopt = {
    vpcId: 'vpc-0123456789abcdef0',
    cidr: '10.60.0.0/16',
    subnets: [
      { id: 'subnet-0123456789abcdef0', cidr: '10.60.0.0/20', availabilityZone: 'eu-west-1a' },
      { id: 'subnet-0123456789abcdef1', cidr: overrides.secondSubnetCidr ?? '10.60.16.0/20', availabilityZone: 'eu-west-1b' },
    ],
    ...(overrides.routeTableIds ? { routeTableIds: overrides.routeTableIds } : {}),
  };
}

/** Loads an edited copy of the fixture platform, returning the problems as `file-basename at path: message` lines. */
export function problemsOf(edits: ConfigEdits): string[] {
  try {
    loadPlatformConfig(fixtureConfigWith({ ...edits, republishContract: false }));
  } catch (error) {
    const problems = (error as { problems?: Array<{ file: string; path: string; message: string }> }).problems;
    if (!problems) throw error;
    return problems.map((p) => `${p.file.split('/').pop()}${p.path ? ` at ${p.path}` : ''}: ${p.message}`);
  }
  return [];
}

/** The fixture platform, loaded as main.ts loads a configuration. */
export function loadFixture(): PlatformConfig {
  return loadPlatformConfig(FIXTURE_CONFIG);
}
