import { onlineRequirements } from '../../../model/validate/requirements';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { adoptVpc, problemsOf } from '../../support/config-fixture';

// Team paths must stay inside teams/<team>/, so each fixture is copied into the team's folder of the temporary repository.
const fixture = (name: string) => readFileSync(join(__dirname, '..', '..', 'fixtures', name), 'utf8');
const ONLINE = 'teams/analytics/requirements-online.txt';
const CODEARTIFACT = 'teams/analytics/requirements-codeartifact.txt';
const repoFiles = { [ONLINE]: fixture('requirements-online.txt'), [CODEARTIFACT]: fixture('requirements-codeartifact.txt') };

// test/fixtures/requirements-online.txt is what the example requirements said before the fix.
describe('requirements lines that need the internet', () => {
  it.each([
    ['-i https://pypi.org/simple', '-i names the package index https://pypi.org/simple'],
    ['--index-url=https://pypi.example.com/simple', '--index-url names the package index https://pypi.example.com/simple'],
    ['--extra-index-url https://pypi.example.com/simple', '--extra-index-url names the package index'],
    ['-f https://download.example.com/wheels/', '-f fetches https://download.example.com/wheels/'],
    ['--find-links=https://download.example.com/wheels/', '--find-links fetches'],
    [
      '-c https://raw.githubusercontent.com/apache/airflow/constraints-2.10.3/constraints-3.11.txt',
      '-c fetches https://raw.githubusercontent.com',
    ],
    [
      '--constraint "https://raw.githubusercontent.com/x/constraints.txt"',
      '--constraint fetches https://raw.githubusercontent.com/x/constraints.txt',
    ],
    ['-r https://example.com/more-requirements.txt', '-r fetches'],
    ['git+https://github.com/acme/airflow-utils.git@v1', 'git+https://github.com/acme/airflow-utils.git@v1 is a VCS requirement'],
    ['-e git+https://github.com/acme/airflow-utils.git#egg=utils', '-e names the VCS repository'],
    [
      'utils @ https://files.example.com/utils-1.0-py3-none-any.whl',
      'https://files.example.com/utils-1.0-py3-none-any.whl is a direct URL',
    ],
    ['https://files.example.com/utils-1.0.tar.gz', 'is a direct URL'],
  ])('flags %s', (line, reason) => {
    const found = onlineRequirements(`# header\n${line}\n`);
    expect(found).toHaveLength(1);
    expect(found[0].line).toBe(2);
    expect(found[0].reason).toContain(reason);
  });

  it.each([
    ['--no-index'],
    ['--find-links /usr/local/airflow/plugins'],
    ['--constraint /usr/local/airflow/plugins/constraints-2.10.3-3.11.txt'],
    ['-c "/usr/local/airflow/plugins/constraints.txt"'],
    ['file:///usr/local/airflow/plugins/utils-1.0-py3-none-any.whl'],
    ['apache-airflow-providers-cncf-kubernetes==8.4.2'],
    ['# upstream constraints: https://raw.githubusercontent.com/apache/airflow/constraints-2.10.3/constraints-3.11.txt'],
    ['pandas>=2.0  # https://pandas.pydata.org'],
  ])('accepts %s', (line) => {
    expect(onlineRequirements(`${line}\n`)).toEqual([]);
  });

  it('reports a continued line at the line it starts on', () => {
    expect(onlineRequirements('pandas\n--index-url \\\n  https://pypi.example.com/simple\n')).toEqual([
      {
        line: 2,
        text: '--index-url   https://pypi.example.com/simple',
        reason: '--index-url names the package index https://pypi.example.com/simple',
      },
    ]);
  });

  it('lets a private index through when the caller says it is reachable', () => {
    const codeArtifact =
      'https://aws:${CODEARTIFACT_AUTH_TOKEN}@acme-222222222222.d.codeartifact.eu-west-1.amazonaws.com/pypi/airflow/simple/';
    expect(onlineRequirements(`--index-url ${codeArtifact}\n`, (url) => url === codeArtifact)).toEqual([]);
    expect(onlineRequirements(`--index-url ${codeArtifact}\n`)).toHaveLength(1);
  });
});

describe('the loader refuses requirements that need the internet in a VPC without it', () => {
  it("accepts the example requirements, which install from the platform's CodeArtifact mirror", () => {
    expect(problemsOf({})).toEqual([]);
  });

  it('refuses the pre-fix example (constraints from GitHub, packages from PyPI), naming file, field and line', () => {
    const problems = problemsOf({
      repoFiles,
      teams: { analytics: (t) => (t.environments[0].requirementsFile = ONLINE) },
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^analytics\.yaml at environments\[0\]\.requirementsFile: teams\/analytics\/requirements-online\.txt line 1 needs the internet \(--constraint fetches https:\/\/raw\.githubusercontent\.com\/.+\), and the shared VPC has no route to it; ship the wheels in plugins\.zip and install them with --no-index --find-links \/usr\/local\/airflow\/plugins/,
      ),
    ]);
  });

  it('accepts them when an adopted VPC has internet access', () => {
    const problems = problemsOf({
      platform: (p) => {
        adoptVpc(p);
        p.network.adopt.internetAccess = true;
      },
      repoFiles,
      teams: { analytics: (t) => (t.environments[0].requirementsFile = ONLINE) },
    });
    expect(problems.filter((p) => p.includes('requirementsFile'))).toEqual([]);
  });

  it('accepts a CodeArtifact index only when the platform creates the CodeArtifact endpoints', () => {
    const onAnalytics = { analytics: (t: any) => (t.environments[0].requirementsFile = CODEARTIFACT) };
    const noMirror = (p: any) => delete p.network.pythonPackages;
    expect(problemsOf({ platform: noMirror, repoFiles, teams: onAnalytics }).join('\n')).toContain(
      'line 2 needs the internet (--index-url names the package index https://aws:',
    );
    const withEndpoints = problemsOf({
      platform: (p) => {
        noMirror(p);
        p.network.extraInterfaceEndpoints.push('codeartifact.api', 'codeartifact.repositories');
      },
      repoFiles,
      teams: onAnalytics,
    });
    expect(withEndpoints.filter((p) => p.includes('requirementsFile'))).toEqual([]);
  });
});
