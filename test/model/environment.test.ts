import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classPathProblem, RESERVED_OPTIONS, secretsBackendOptions, validateAirflowOptions, zipEntries } from '../../model/airflow-options';
import { AIRFLOW_VERSIONS, ENVIRONMENT_CLASSES, environmentCapacity } from '../../model/environment';
import { validateCapacity, validateTeamEnvironments } from '../../model/validate/environment';
import { environmentSchema } from '../../model/schema/environment';
import { loadFixture, problemsOf, FIXTURE_ROOT } from '../support/config-fixture';
import { zipArchive } from '../support/zip';

const scratch = mkdtempSync(join(tmpdir(), 'mwaa-env-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A folder of files under the scratch directory; returns its absolute path. */
function folder(name: string, files: Record<string, string>): string {
  const dir = join(scratch, name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A deflate-compressed zip archive in the scratch folder, as `zip` writes plugins.zip. */
function zip(name: string, files: Record<string, string>): string {
  const path = join(scratch, name);
  writeFileSync(path, zipArchive(files));
  return path;
}

// Fields over the schema defaults without the schema's own bounds: these tests are of the class ranges.
const env = (fields: Record<string, unknown> = {}) =>
  ({ ...environmentSchema.parse({ name: 'env-a' }), ...fields }) as ReturnType<typeof environmentSchema.parse>;
const envProblems = (fields: Record<string, unknown>) => validateCapacity(env(fields)).map((p) => `${p.path}: ${p.message}`);

/** Problems of the example config after editing analytics' first environment. */
const analyticsEnv = (edit: (e: any) => void) => problemsOf({ teams: { analytics: (t) => edit(t.environments[0]) } });

describe('the example environments', () => {
  it('load without problems and resolve core.xcom_backend from teams/analytics/dags', () => {
    const config = loadFixture();
    const analytics = config.teams.find((t) => t.team === 'analytics')!;
    expect(analytics.environments[0].airflowConfigurationOptions['core.xcom_backend']).toBe('include.s3_xcom_backend.S3XComBackend');
  });
});

describe('environment class and capacity', () => {
  it('knows the six MWAA classes and a maintained version list', () => {
    expect(Object.keys(ENVIRONMENT_CLASSES)).toEqual(['mw1.micro', 'mw1.small', 'mw1.medium', 'mw1.large', 'mw1.xlarge', 'mw1.2xlarge']);
    expect(AIRFLOW_VERSIONS).toContain('2.10.3');
  });

  it('fills class defaults so the plan never depends on service defaults', () => {
    expect(environmentCapacity(env({ environmentClass: 'mw1.micro' }))).toEqual({
      schedulers: 1,
      minWorkers: 1,
      maxWorkers: 1,
      minWebservers: 1,
      maxWebservers: 1,
    });
    expect(environmentCapacity(env({ environmentClass: 'mw1.small' }))).toEqual({
      schedulers: 2,
      minWorkers: 1,
      maxWorkers: 10,
      minWebservers: 2,
      maxWebservers: 2,
    });
    expect(environmentCapacity(env({ minWorkers: 12 }))).toMatchObject({ minWorkers: 12, maxWorkers: 12 });
  });

  it.each([
    [
      'an unknown class',
      { environmentClass: 'mw1.huge' },
      'environmentClass: "mw1.huge" is not an MWAA environment class; use one of mw1.micro, mw1.small, mw1.medium, mw1.large, mw1.xlarge, mw1.2xlarge',
    ],
    [
      'an Airflow version whose MWAA support ended',
      { airflowVersion: '2.6.3' },
      'airflowVersion: MWAA ended support for Airflow 2.6.3 on 2025-12-30 (no new environments; existing ones run unsupported); use one of 2.7.2, 2.8.1, 2.9.2, 2.10.1, 2.10.3, 2.11.0, 3.0.6',
    ],
    [
      'an Airflow version MWAA never offered',
      { airflowVersion: '2.10.4' },
      'airflowVersion: "2.10.4" is not an Airflow version MWAA creates environments with; use one of 2.7.2, 2.8.1, 2.9.2, 2.10.1, 2.10.3, 2.11.0, 3.0.6',
    ],
    [
      'two schedulers on micro',
      { environmentClass: 'mw1.micro', schedulers: 2 },
      'schedulers: 2 schedulers is outside what mw1.micro allows: exactly 1',
    ],
    [
      'worker scaling on micro',
      { environmentClass: 'mw1.micro', maxWorkers: 3 },
      'maxWorkers: 3 maximum workers is outside what mw1.micro allows: exactly 1',
    ],
    [
      'two webservers on micro',
      { environmentClass: 'mw1.micro', maxWebservers: 2 },
      'maxWebservers: 2 maximum webservers is outside what mw1.micro allows: exactly 1',
    ],
    [
      'six schedulers',
      { environmentClass: 'mw1.small', schedulers: 6 },
      'schedulers: 6 schedulers is outside what mw1.small allows: 2 to 5',
    ],
    [
      'one scheduler on small',
      { environmentClass: 'mw1.small', schedulers: 1 },
      'schedulers: 1 schedulers is outside what mw1.small allows: 2 to 5',
    ],
    ['zero minimum workers', { minWorkers: 0 }, 'minWorkers: 0 minimum workers is outside what mw1.small allows: 1 to 25'],
    [
      '26 maximum workers',
      { environmentClass: 'mw1.large', maxWorkers: 26 },
      'maxWorkers: 26 maximum workers is outside what mw1.large allows: 1 to 25',
    ],
    [
      'one minimum webserver on medium',
      { environmentClass: 'mw1.medium', minWebservers: 1 },
      'minWebservers: 1 minimum webservers is outside what mw1.medium allows: 2 to 5',
    ],
    ['six maximum webservers', { maxWebservers: 6 }, 'maxWebservers: 6 maximum webservers is outside what mw1.small allows: 2 to 5'],
    ['minWorkers above maxWorkers', { minWorkers: 5, maxWorkers: 3 }, 'minWorkers: minWorkers (5) must not exceed maxWorkers (3)'],
    [
      'minWebservers above maxWebservers',
      { minWebservers: 4, maxWebservers: 3 },
      'minWebservers: minWebservers (4) must not exceed maxWebservers (3)',
    ],
  ])('rejects %s', (_what, fields, expected) => {
    expect(envProblems(fields)).toContain(expected);
  });

  it('accepts the boundaries of each range', () => {
    expect(
      envProblems({ environmentClass: 'mw1.micro', schedulers: 1, minWorkers: 1, maxWorkers: 1, minWebservers: 1, maxWebservers: 1 }),
    ).toEqual([]);
    expect(
      envProblems({ environmentClass: 'mw1.2xlarge', schedulers: 5, minWorkers: 25, maxWorkers: 25, minWebservers: 5, maxWebservers: 5 }),
    ).toEqual([]);
  });

  it('reports through the loader with the team file and field path, collecting every problem', () => {
    const problems = analyticsEnv((e) => {
      e.environmentClass = 'mw1.micro';
      e.airflowVersion = '1.10.12';
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'analytics.yaml at environments[0].airflowVersion: MWAA ended support for Airflow 1.10.12 on 2024-02-21 (no new environments; existing ones run unsupported); use one of 2.7.2, 2.8.1, 2.9.2, 2.10.1, 2.10.3, 2.11.0, 3.0.6',
        'analytics.yaml at environments[0].schedulers: 2 schedulers is outside what mw1.micro allows: exactly 1',
        'analytics.yaml at environments[0].minWorkers: 2 minimum workers is outside what mw1.micro allows: exactly 1',
        'analytics.yaml at environments[0].maxWorkers: 10 maximum workers is outside what mw1.micro allows: exactly 1',
        'analytics.yaml at environments[0].minWebservers: 2 minimum webservers is outside what mw1.micro allows: exactly 1',
        'analytics.yaml at environments[0].maxWebservers: 3 maximum webservers is outside what mw1.micro allows: exactly 1',
      ]),
    );
  });
});

describe('airflowConfigurationOptions', () => {
  const noFiles = { dagsPath: 'teams/x/dags', secretsBackend: false };
  const optionProblems = (options: Record<string, string>, context = noFiles) =>
    validateAirflowOptions(options, context).map((p) => `${p.key}: ${p.message}`);

  it.each([
    [
      'a key without a section',
      { retries: '2' },
      'retries: keys are "section.key" in lowercase letters, digits and "_", at most 64 characters (e.g. core.default_task_retries)',
    ],
    ['an uppercase key', { 'Core.parallelism': '2' }, 'Core.parallelism: keys are "section.key"'],
    ['a key longer than 64 characters', { [`core.${'x'.repeat(60)}`]: '1' }, 'keys are "section.key"'],
    ['a non-ASCII value', { 'core.default_timezone': 'Zürich' }, 'core.default_timezone: values are 1-65536 printable ASCII characters'],
    ['an empty value', { 'core.default_timezone': '' }, 'core.default_timezone: values are 1-65536 printable ASCII characters'],
    [
      'a reserved option',
      { 'core.executor': 'LocalExecutor' },
      'core.executor: core.executor is managed by MWAA and cannot be set; remove it',
    ],
    [
      'the metadata database',
      { 'database.sql_alchemy_conn': 'postgresql://x' },
      'database.sql_alchemy_conn: database.sql_alchemy_conn is managed by MWAA and cannot be set; remove it',
    ],
    [
      'backend kwargs that are not JSON',
      { 'secrets.backend_kwargs': 'prefix=x' },
      'secrets.backend_kwargs: must be a JSON object, e.g. {"connections_prefix": "airflow/connections"}',
    ],
    [
      'a class path that is not a Python path',
      { 'core.xcom_backend': 'my backend' },
      'core.xcom_backend: "my backend" is not a Python path such as my_module.MyClass',
    ],
  ])('rejects %s', (_what, options, expected) => {
    expect(optionProblems(options).join('\n')).toContain(expected);
  });

  it('refuses the secrets options when secretsBackend writes them', () => {
    expect(
      optionProblems(
        { 'secrets.backend': 'airflow.secrets.local_filesystem.LocalFilesystemBackend' },
        { ...noFiles, secretsBackend: true },
      ),
    ).toEqual(['secrets.backend: secrets.backend is written by secretsBackend; set the prefixes there instead']);
    expect(optionProblems({ 'secrets.backend_kwargs': '{}' }, { ...noFiles, secretsBackend: true })).toEqual([
      'secrets.backend_kwargs: secrets.backend_kwargs is written by secretsBackend; set the prefixes there instead',
    ]);
  });

  it('lists reserved options MWAA manages', () => {
    for (const key of ['core.executor', 'core.fernet_key', 'celery.broker_url', 'webserver.secret_key', 'logging.remote_logging'])
      expect(RESERVED_OPTIONS.has(key)).toBe(true);
  });

  it('writes the Secrets Manager backend with the configured prefixes', () => {
    expect(secretsBackendOptions({ connectionsPrefix: 'team/conn', variablesPrefix: 'team/vars' })).toEqual({
      'secrets.backend': 'airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend',
      'secrets.backend_kwargs': '{"connections_prefix":"team/conn","variables_prefix":"team/vars"}',
    });
  });

  describe('class paths (core.xcom_backend, secrets.backend)', () => {
    const dags = folder('dags', {
      'flat_backend.py': 'from airflow.models.xcom import BaseXCom\n\nclass FlatBackend(BaseXCom):\n    pass\n',
      'include/__init__.py': '',
      'include/s3_xcom_backend.py': 'class S3XComBackend:\n    pass\n',
      'pkg/__init__.py': 'from .impl import PkgBackend\n',
      'other.py': 'class Unrelated:\n    pass\n',
    });
    const inDags = { dagsDir: dags, dagsPath: 'teams/x/dags', secretsBackend: false };

    it.each([
      ['a module at the top of dags/', 'flat_backend.FlatBackend'],
      ['a module in a package folder', 'include.s3_xcom_backend.S3XComBackend'],
      ["a class re-exported by a package's __init__", 'pkg.PkgBackend'],
      ['the class shipped with Airflow', 'airflow.models.xcom.BaseXCom'],
    ])('accepts %s', (_what, value) => {
      expect(classPathProblem('core.xcom_backend', value, inDags)).toBeUndefined();
    });

    it('accepts the Amazon provider secrets backends MWAA installs', () => {
      expect(
        classPathProblem(
          'secrets.backend',
          'airflow.providers.amazon.aws.secrets.systems_manager.SystemsManagerParameterStoreBackend',
          inDags,
        ),
      ).toBeUndefined();
    });

    it('rejects a module that is nowhere (the field report: MWAA stuck UPDATING for hours)', () => {
      expect(classPathProblem('core.xcom_backend', 'include.missing_backend.S3XComBackend', inDags)).toBe(
        'core.xcom_backend names include.missing_backend.S3XComBackend, but module include.missing_backend is neither in teams/x/dags ' +
          '(looked for include/missing_backend.py, include/missing_backend/__init__.py) nor a class shipped with Airflow/MWAA ' +
          '(SHIPPED_CLASS_PATHS in model/airflow-options.ts); MWAA would fail to import it and stay UPDATING for hours',
      );
    });

    it('rejects a module that exists without the class', () => {
      expect(classPathProblem('core.xcom_backend', 'other.S3XComBackend', inDags)).toBe(
        'core.xcom_backend names other.S3XComBackend, but teams/x/dags/other.py defines no S3XComBackend; MWAA would fail to import it and stay UPDATING for hours',
      );
    });

    it('rejects an Airflow class the platform does not know to ship', () => {
      expect(classPathProblem('secrets.backend', 'airflow.providers.hashicorp.secrets.vault.VaultBackend', inDags)).toContain(
        'module airflow.providers.hashicorp.secrets.vault is neither in teams/x/dags',
      );
    });

    it('says the DAG folder is missing when it is', () => {
      expect(classPathProblem('core.xcom_backend', 'x.Y', { dagsPath: 'teams/x/dags', secretsBackend: false })).toContain(
        'is neither in teams/x/dags (missing)',
      );
    });

    it('resolves modules inside the plugins archive', () => {
      const archive = zip('plugins.zip', { 'backends/__init__.py': '', 'backends/xcom.py': 'class ZipBackend:\n    pass\n' });
      expect([...zipEntries(archive).keys()]).toEqual(['backends/__init__.py', 'backends/xcom.py']);
      const context = { ...inDags, pluginsZip: archive, pluginsPath: 'teams/x/plugins.zip' };
      expect(classPathProblem('core.xcom_backend', 'backends.xcom.ZipBackend', context)).toBeUndefined();
      expect(classPathProblem('core.xcom_backend', 'backends.xcom.Other', context)).toBe(
        'core.xcom_backend names backends.xcom.Other, but teams/x/plugins.zip/backends/xcom.py defines no Other; MWAA would fail to import it and stay UPDATING for hours',
      );
      expect(classPathProblem('core.xcom_backend', 'nowhere.Backend', context)).toContain(
        'is neither in teams/x/dags or teams/x/plugins.zip',
      );
    });
  });

  it.each([
    [
      'a value that is not a string',
      (e: any) => (e.airflowConfigurationOptions['core.default_task_retries'] = 2),
      'analytics.yaml at environments[0].airflowConfigurationOptions.core.default_task_retries: Airflow configuration values must be strings; quote numbers and booleans',
    ],
    [
      'a reserved option',
      (e: any) => (e.airflowConfigurationOptions['core.executor'] = 'LocalExecutor'),
      'analytics.yaml at environments[0].airflowConfigurationOptions["core.executor"]: core.executor is managed by MWAA and cannot be set; remove it',
    ],
    [
      'secrets.backend next to secretsBackend',
      (e: any) => (e.airflowConfigurationOptions['secrets.backend'] = 'airflow.secrets.local_filesystem.LocalFilesystemBackend'),
      'analytics.yaml at environments[0].airflowConfigurationOptions["secrets.backend"]: secrets.backend is written by secretsBackend',
    ],
    [
      'an unresolvable core.xcom_backend',
      (e: any) => (e.airflowConfigurationOptions['core.xcom_backend'] = 's3_xcom_backend.S3XComBackend'),
      'analytics.yaml at environments[0].airflowConfigurationOptions["core.xcom_backend"]: core.xcom_backend names s3_xcom_backend.S3XComBackend, but module s3_xcom_backend is neither in teams/analytics/dags',
    ],
  ])('reports %s through the loader', (_what, edit, expected) => {
    expect(analyticsEnv(edit).join('\n')).toContain(expected);
  });
});

describe('files the team uploads', () => {
  it('requires a configured DAG folder to exist', () => {
    expect(problemsOf({ teams: { analytics: (t) => (t.dagsPath = 'teams/analytics/no-such-dags') } })).toContain(
      'analytics.yaml at dagsPath: folder teams/analytics/no-such-dags does not exist (paths are relative to the repository root and must stay inside teams/analytics/)',
    );
  });

  it('accepts a missing default DAG folder (nothing to upload yet)', () => {
    const marketing = loadFixture().teams.find((t) => t.team === 'marketing')!;
    const { requirementsFile: _unused, ...env } = marketing.environments[0];
    expect(validateTeamEnvironments({ ...marketing, team: 'no-dags-yet', environments: [env] }, { repoRoot: FIXTURE_ROOT })).toEqual([]);
  });

  it.each([
    [
      'a missing requirements file',
      (e: any) => (e.requirementsFile = 'teams/analytics/missing.txt'),
      'analytics.yaml at environments[0].requirementsFile: file teams/analytics/missing.txt does not exist (paths are relative to the repository root and must stay inside teams/analytics/)',
    ],
    [
      'requirements that are not .txt',
      (e: any) => (e.requirementsFile = 'teams/analytics/requirements.in'),
      'analytics.yaml at environments[0].requirementsFile: teams/analytics/requirements.in must be a requirements .txt file',
    ],
    [
      'plugins that are not a .zip',
      (e: any) => (e.pluginsFile = 'teams/analytics/plugins.tar'),
      'analytics.yaml at environments[0].pluginsFile: teams/analytics/plugins.tar must be a .zip archive',
    ],
    [
      'a missing plugins archive',
      (e: any) => (e.pluginsFile = 'teams/analytics/plugins.zip'),
      'analytics.yaml at environments[0].pluginsFile: file teams/analytics/plugins.zip does not exist',
    ],
    [
      'a startup script that is not .sh',
      (e: any) => (e.startupScriptFile = 'teams/analytics/startup.py'),
      'analytics.yaml at environments[0].startupScriptFile: teams/analytics/startup.py must be a .sh shell script',
    ],
    [
      'a missing startup script',
      (e: any) => (e.startupScriptFile = 'teams/analytics/missing.sh'),
      'analytics.yaml at environments[0].startupScriptFile: file teams/analytics/missing.sh does not exist',
    ],
  ])('rejects %s', (_what, edit, expected) => {
    expect(analyticsEnv(edit).join('\n')).toContain(expected);
  });
});

describe('cross-environment rules of the platform (validate/teams.ts)', () => {
  it('rejects two environments of a team with one name', () => {
    expect(problemsOf({ teams: { analytics: (t) => t.environments.push({ ...t.environments[0] }) } })).toContain(
      'analytics.yaml at environments[1].name: environment name "analytics-prod" is already used in account 222222222222 by environments[0]; names must be unique per account',
    );
  });

  it('rejects a public webserver when the owner forbids it', () => {
    expect(problemsOf({ platform: (p) => (p.mwaa.allowPublicWebserver = false) })).toContain(
      'marketing.yaml at environments[0].webserverAccessMode: PUBLIC_ONLY is not allowed on this platform (mwaa.allowPublicWebserver is false); use PRIVATE_ONLY',
    );
  });

  it("rejects more environments than the owner's quota", () => {
    const problems = problemsOf({
      platform: (p) => (p.mwaa.maxEnvironmentsPerTeam = 1),
      teams: { marketing: (t) => t.environments.push({ ...t.environments[0], name: 'marketing-second' }) },
    });
    expect(problems).toContain(
      'marketing.yaml at environments: 2 environments requested; the platform allows at most 1 per team (mwaa.maxEnvironmentsPerTeam in platform.yaml)',
    );
  });
});
