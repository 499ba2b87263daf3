/**
 * The CodeArtifact PyPI mirror as configuration: the schema of network.pythonPackages.codeArtifact, the Airflow
 * options the platform reserves for it, the contract that must carry it, the endpoints it brings, and the
 * requirements checks that accept the mirror route only when the mirror exists.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { networkFingerprint } from '../../model/contract';
import { loadPlatformConfig } from '../../model/load';
import { configuredPythonPackageMirror, platformInterfaceServices } from '../../model/model';
import { fixtureConfigWith, loadFixture, problemsOf, FIXTURE_CONFIG, FIXTURE_ROOT } from '../support/config-fixture';

const example = loadFixture();
const noMirror = (p: any) => delete p.network.pythonPackages;
const warningsOf = (edits: Parameters<typeof fixtureConfigWith>[0]) =>
  (loadPlatformConfig(fixtureConfigWith(edits)).warnings ?? []).map((w) => `${w.file.split('/').pop()} at ${w.path}: ${w.message}`);

describe('network.pythonPackages.codeArtifact', () => {
  it('names the domain after the platform unless told otherwise; the owner account owns it', () => {
    const config = loadPlatformConfig(fixtureConfigWith({ platform: (p) => delete p.network.pythonPackages.codeArtifact.domain }), {
      ownerOnly: true,
    });
    expect(configuredPythonPackageMirror(config.platform)).toEqual({
      domain: 'acme-data',
      domainOwner: '111111111111',
      repository: 'pypi',
      upstreamRepository: 'pypi-store',
    });
  });

  it.each([
    [
      'a domain name with capitals',
      (m: any) => (m.domain = 'Acme'),
      'platform.yaml at network.pythonPackages.codeArtifact.domain: must be a CodeArtifact domain name: 2-50 lowercase letters, digits and hyphens, a letter first, no hyphen last',
    ],
    [
      'a repository name with a slash',
      (m: any) => (m.repository = 'py/pi'),
      'platform.yaml at network.pythonPackages.codeArtifact.repository: must be a CodeArtifact repository name',
    ],
    [
      'the same repository as its upstream',
      (m: any) => (m.upstreamRepository = 'pypi'),
      'platform.yaml at network.pythonPackages.codeArtifact.upstreamRepository: repository and upstreamRepository must differ',
    ],
    [
      'an unknown field',
      (m: any) => (m.externalConnection = 'public:npmjs'),
      'platform.yaml at network.pythonPackages.codeArtifact: unknown field "externalConnection"; allowed fields: domain, repository, upstreamRepository',
    ],
  ])('refuses %s, naming the field', (_what, edit, expected) => {
    expect(problemsOf({ platform: (p) => edit(p.network.pythonPackages.codeArtifact) }).join('\n')).toContain(expected);
  });

  it('brings the codeartifact.api and codeartifact.repositories endpoints, once even when also listed as extras', () => {
    const services = platformInterfaceServices(example.platform);
    expect(services.filter((s) => s.startsWith('codeartifact.'))).toEqual(['codeartifact.api', 'codeartifact.repositories']);
    const listedTwice = loadPlatformConfig(
      fixtureConfigWith({ platform: (p) => p.network.extraInterfaceEndpoints.push('codeartifact.api') }),
      { ownerOnly: true },
    );
    expect(platformInterfaceServices(listedTwice.platform)).toEqual(services);
    const without = loadPlatformConfig(fixtureConfigWith({ platform: noMirror }), { ownerOnly: true });
    expect(platformInterfaceServices(without.platform).filter((s) => s.startsWith('codeartifact.'))).toEqual([]);
  });
});

describe('the network contract and the mirror', () => {
  it('calls a contract without the mirror stale once platform.yaml asks for it, and the other way round', () => {
    const contractWithout = (c: string) => JSON.stringify({ ...JSON.parse(c), codeArtifact: undefined });
    const withoutInContract = problemsOf({
      files: { 'network-contract.json': contractWithout(readFileSync(join(FIXTURE_CONFIG, 'network-contract.json'), 'utf8')) },
    });
    expect(withoutInContract.join('\n')).toContain(
      'network-contract.json: the network contract is stale: platform.yaml sets network.pythonPackages.codeArtifact, but the contract has no CodeArtifact mirror',
    );
    expect(problemsOf({ platform: noMirror, republishContract: false }).join('\n')).toContain(
      'the contract names a CodeArtifact mirror that platform.yaml no longer sets (network.pythonPackages.codeArtifact)',
    );
  });

  it('keeps the fingerprint of a platform without a mirror as it was before mirrors existed', () => {
    // The pre-mirror example's published fingerprint (git show b085046:config/network-contract.json).
    const config = loadPlatformConfig(fixtureConfigWith({ platform: noMirror }), { ownerOnly: true });
    expect(networkFingerprint(config.platform)).toBe('ea759dbca976c7267e089a965497db23f9d2eaeb204070a544f6b0f67b6f17a4');
  });
});

describe('Airflow options of the mirror', () => {
  it('refuses a team option in the codeartifact section: the platform sets those', () => {
    const problems = problemsOf({
      teams: { analytics: (t) => (t.environments[0].airflowConfigurationOptions['codeartifact.domain_owner'] = '999999999999') },
    });
    expect(problems.join('\n')).toContain('codeartifact.domain_owner');
    expect(problems.join('\n')).toContain(
      'options of the codeartifact section are set by the platform (network.pythonPackages.codeArtifact in platform.yaml); remove it',
    );
  });
});

describe('requirements and the mirror route', () => {
  const requirements = readFileSync(join(FIXTURE_ROOT, 'teams', 'analytics', 'requirements.txt'), 'utf8');

  it('the example installs from an index (the mirror), with no index URL in the file', () => {
    expect(requirements).not.toMatch(/--no-index|--index-url|-i\s|https?:\/\//);
    expect(problemsOf({})).toEqual([]);
    expect(warningsOf({})).toEqual([]);
  });

  it('the example has no constraints line, not even in a comment, so MWAA applies the constraints file of its image', () => {
    // MWAA's requirements install looks for "-c " or "--constraint " anywhere in a line, comments included
    // (amazon-mwaa-docker-images, images/airflow/2.10.3/python/mwaa/utils/user_requirements.py).
    expect(requirements.split('\n').filter((l) => /-c |--constraint /.test(l))).toEqual([]);
  });

  it('warns when requirements need an index but no startup script points pip at the mirror', () => {
    expect(warningsOf({ teams: { analytics: (t) => delete t.environments[0].startupScriptFile } })).toEqual([
      expect.stringMatching(
        /^analytics\.yaml at environments\[0\]\.startupScriptFile: teams\/analytics\/requirements\.txt installs from a package index, but nothing points pip at the platform's CodeArtifact mirror/,
      ),
    ]);
  });

  it('does not warn for wheels in plugins.zip (--no-index), nor without a mirror (nothing to point at)', () => {
    const offline = '--no-index\n--find-links /usr/local/airflow/plugins\napache-airflow-providers-cncf-kubernetes\n';
    expect(
      warningsOf({
        repoFiles: { 'teams/analytics/requirements.txt': offline },
        teams: { analytics: (t) => delete t.environments[0].startupScriptFile },
      }),
    ).toEqual([]);
    expect(warningsOf({ platform: noMirror, teams: { analytics: (t) => delete t.environments[0].startupScriptFile } })).toEqual([]);
  });

  it('still refuses a public index with the mirror configured, and names the mirror as the way out', () => {
    const problems = problemsOf({
      repoFiles: {
        'teams/analytics/requirements.txt': '--extra-index-url https://pypi.org/simple\napache-airflow-providers-cncf-kubernetes\n',
      },
    });
    expect(problems).toEqual([
      expect.stringContaining(
        'analytics.yaml at environments[0].requirementsFile: teams/analytics/requirements.txt line 1 needs the internet (--extra-index-url names the package index https://pypi.org/simple), and the shared VPC has no route to it;',
      ),
    ]);
    expect(problems[0]).toContain(
      "read them from the platform's CodeArtifact mirror (network.pythonPackages.codeArtifact in platform.yaml) through a startup script that sets PIP_INDEX_URL",
    );
  });

  it('accepts a URL of a CodeArtifact repository with the mirror (its endpoints are there), refuses it without', () => {
    const url =
      '--index-url https://aws:${TOKEN}@acme-data-111111111111.d.codeartifact.eu-west-1.amazonaws.com/pypi/pypi/simple/\napache-airflow-providers-cncf-kubernetes\n';
    expect(problemsOf({ repoFiles: { 'teams/analytics/requirements.txt': url } })).toEqual([]);
    expect(problemsOf({ platform: noMirror, repoFiles: { 'teams/analytics/requirements.txt': url } }).join('\n')).toContain(
      'line 1 needs the internet (--index-url names the package index',
    );
  });
});
