/**
 * airflowConfigurationOptions checks on their own: which keys and values MWAA takes, which options MWAA
 * manages, and whether a class path imports from the team's DAG folder or plugins archive (zip read here).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { classPathProblem, validateAirflowOptions, zipEntries, type OptionsContext } from '../../model/airflow-options';
import { zipArchive, type ZipOptions } from '../support/zip';

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'mwaa-options-test-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let folders = 0;
/** A folder of files under the scratch directory; returns its absolute path. */
function folder(files: Record<string, string>): string {
  const dir = join(scratch, `dags-${folders++}`);
  mkdirSync(dir, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

function archive(files: Record<string, string>, options?: ZipOptions): string {
  const path = join(scratch, `plugins-${folders++}.zip`);
  writeFileSync(path, zipArchive(files, options));
  return path;
}

const noFiles: OptionsContext = { dagsPath: 'teams/x/dags', secretsBackend: false };
const problemsOf = (options: Record<string, unknown>, context: OptionsContext = noFiles) =>
  validateAirflowOptions(options as Record<string, string>, context).map((p) => `${p.key}: ${p.message}`);

const KEY_MESSAGE = 'keys are "section.key" in lowercase letters, digits and "_", at most 64 characters (e.g. core.default_task_retries)';
const VALUE_MESSAGE = 'values are 1-65536 printable ASCII characters';

describe('option keys', () => {
  it.each(['core.default_task_retries', 'a.b', 'a1_b.c_2', 'z9.0', `core.${'k'.repeat(59)}`])('takes %j', (key) => {
    expect(problemsOf({ [key]: '1' })).toEqual([]);
  });

  it.each([
    'core',
    'core.',
    '.retries',
    '1core.x',
    '_core.x',
    'Core.x',
    'core.X',
    'core.a-b',
    ' core.x',
    'core.x ',
    'core.x.y',
    'core..x',
    `core.${'k'.repeat(60)}`,
  ])('refuses %j', (key) => expect(problemsOf({ [key]: '1' })).toEqual([`${key}: ${KEY_MESSAGE}`]));

  it('a bad key is reported once, before its value is looked at', () => {
    expect(problemsOf({ Bad: '' })).toEqual([`Bad: ${KEY_MESSAGE}`]);
  });
});

describe('option values', () => {
  it.each(['x', ' ', '~', 'a b ~!{}', 'v'.repeat(65536)])('takes a value of %#', (value) => {
    expect(problemsOf({ 'core.default_timezone': value })).toEqual([]);
  });

  it.each(['', 'v'.repeat(65537), 'tab\there', 'Zürich', 'line\nbreak', '\u007f'])('refuses a value of %#', (value) => {
    expect(problemsOf({ 'core.default_timezone': value })).toEqual([`core.default_timezone: ${VALUE_MESSAGE}`]);
  });

  it('refuses a value that is not a string', () => {
    expect(problemsOf({ 'core.parallelism': 32 })).toEqual([`core.parallelism: ${VALUE_MESSAGE}`]);
  });

  it('printable ASCII is exactly what values may hold', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }), (value) => {
        const printable = [...value].every((c) => c >= ' ' && c <= '~');
        return (problemsOf({ 'core.default_timezone': value }).length === 0) === printable;
      }),
    );
  });
});

describe('options MWAA manages', () => {
  // From the MWAA user guide's reserved configuration options and environment variables.
  it.each([
    'core.executor',
    'core.sql_alchemy_conn',
    'database.sql_alchemy_conn',
    'core.fernet_key',
    'core.dags_folder',
    'core.plugins_folder',
    'celery.broker_url',
    'celery.result_backend',
    'celery.celery_config_options',
    'webserver.secret_key',
    'webserver.base_url',
    'webserver.web_server_port',
    'webserver.auth_backend',
    'api.auth_backends',
    'logging.base_log_folder',
    'logging.remote_logging',
    'logging.remote_base_log_folder',
    'logging.remote_log_conn_id',
    'logging.logging_config_class',
    'logging.task_log_reader',
    'metrics.statsd_host',
    'metrics.statsd_port',
  ])('refuses %s', (key) => {
    expect(problemsOf({ [key]: 'x' })).toEqual([`${key}: ${key} is managed by MWAA and cannot be set; remove it`]);
  });

  it('takes options next to a managed one', () => {
    expect(problemsOf({ 'core.parallelism': '8', 'core.executor': 'x', 'core.default_timezone': 'utc' })).toEqual([
      'core.executor: core.executor is managed by MWAA and cannot be set; remove it',
    ]);
  });
});

describe('secrets options', () => {
  it('are the team’s to set while secretsBackend is not', () => {
    expect(
      problemsOf({
        'secrets.backend': 'airflow.secrets.local_filesystem.LocalFilesystemBackend',
        'secrets.backend_kwargs': '{"variables_file_path": "/x"}',
      }),
    ).toEqual([]);
  });

  it.each(['secrets.backend', 'secrets.backend_kwargs'])('%s is refused next to secretsBackend, once', (key) => {
    expect(problemsOf({ [key]: 'not json and not a path' }, { ...noFiles, secretsBackend: true })).toEqual([
      `${key}: ${key} is written by secretsBackend; set the prefixes there instead`,
    ]);
  });

  it('secretsBackend leaves other options alone', () => {
    expect(problemsOf({ 'core.parallelism': '8' }, { ...noFiles, secretsBackend: true })).toEqual([]);
  });

  it.each(['[]', 'null', '"x"', '1', 'true', '{', 'prefix=x'])('secrets.backend_kwargs %j is not a JSON object', (value) => {
    expect(problemsOf({ 'secrets.backend_kwargs': value })).toEqual([
      'secrets.backend_kwargs: must be a JSON object, e.g. {"connections_prefix": "airflow/connections"}',
    ]);
  });

  it.each(['{}', '{"connections_prefix": "airflow/connections"}'])('secrets.backend_kwargs %j is a JSON object', (value) => {
    expect(problemsOf({ 'secrets.backend_kwargs': value })).toEqual([]);
  });
});

describe('class path options', () => {
  it.each(['core.xcom_backend', 'secrets.backend', 'lineage.backend', 'core.hostname_callable', 'metrics.stat_name_handler'])(
    '%s must import',
    (key) => {
      expect(problemsOf({ [key]: 'nowhere.Thing' })).toEqual([
        `${key}: ${key} names nowhere.Thing, but module nowhere is neither in teams/x/dags (missing) (looked for nowhere.py, nowhere/__init__.py) ` +
          'nor a class shipped with Airflow/MWAA (SHIPPED_CLASS_PATHS in model/airflow-options.ts); MWAA would fail to import it and stay UPDATING for hours',
      ]);
    },
  );

  it('other options are not class paths, whatever they look like', () => {
    expect(problemsOf({ 'core.default_timezone': 'nowhere.Thing', 'webserver.navbar_color': 'x' })).toEqual([]);
  });

  it.each([
    'airflow.models.xcom.BaseXCom',
    'airflow.secrets.local_filesystem.LocalFilesystemBackend',
    'airflow.secrets.environment_variables.EnvironmentVariablesBackend',
    'airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend',
    'airflow.providers.amazon.aws.secrets.systems_manager.SystemsManagerParameterStoreBackend',
    'airflow.utils.net.getfqdn',
    'airflow.utils.net.get_host_ip_address',
    'socket.getfqdn',
    'socket:getfqdn',
    'airflow.utils.net:get_host_ip_address',
  ])('%s ships with Airflow/MWAA: no files needed', (value) => {
    expect(classPathProblem('core.hostname_callable', value, noFiles)).toBeUndefined();
  });

  it.each(['Backend', 'a.', '.a', '1a.B', 'a..B', 'a.B ', ' a.B', 'a b.C', 'a-b.C', 'a:b:C', 'a.1B', 'a.B-C', 'a.B()', 'a/b.C'])(
    '%j is not a Python path',
    (value) => {
      expect(classPathProblem('core.xcom_backend', value, noFiles)).toBe(`"${value}" is not a Python path such as my_module.MyClass`);
    },
  );

  it.each(['a.B', '_m.sub_1.Cls9', 'mod:func', 'A.b', 'pkg.mod:Cls'])(
    '%j is a Python path (looked up, not refused as a shape)',
    (value) => {
      expect(classPathProblem('core.xcom_backend', value, noFiles)).toContain('is neither in teams/x/dags (missing)');
    },
  );
});

describe('class paths resolved in the DAG folder', () => {
  const inDags = (files: Record<string, string>): OptionsContext => ({
    dagsDir: folder(files),
    dagsPath: 'teams/x/dags',
    secretsBackend: false,
  });

  it.each([
    ['a class', 'class Backend(BaseXCom):\n    pass\n'],
    ['a function', 'import os\n\ndef Backend():\n    return 1\n'],
    ['an assignment', 'Backend = make()\n'],
    ['an assignment without spaces', 'Backend=make()\n'],
    ['a re-export', 'from other.place import Thing, Backend\n'],
    ['a class after other lines', '"""doc"""\nx = 1\nclass  Backend:\n    pass\n'],
  ])('finds %s at module level', (_what, text) => {
    expect(classPathProblem('core.xcom_backend', 'pkg.mod.Backend', inDags({ 'pkg/mod.py': text }))).toBeUndefined();
  });

  it('finds a module that is a package', () => {
    expect(
      classPathProblem('core.xcom_backend', 'pkg.mod:Backend', inDags({ 'pkg/mod/__init__.py': 'class Backend:\n    pass\n' })),
    ).toBeUndefined();
  });

  it.each([
    ['a longer name', 'class BackendV2:\n    pass\n'],
    ['a nested definition', 'class Outer:\n    class Backend:\n        pass\n'],
    ['a use, not a definition', 'x = Backend\n'],
    ['a plain import', 'import Backend\n'],
    ['a mention in a comment', '# Backend lives elsewhere\n'],
  ])('does not take %s for a definition', (_what, text) => {
    expect(classPathProblem('core.xcom_backend', 'pkg.mod.Backend', inDags({ 'pkg/mod.py': text }))).toBe(
      'core.xcom_backend names pkg.mod.Backend, but teams/x/dags/pkg/mod.py defines no Backend; MWAA would fail to import it and stay UPDATING for hours',
    );
  });

  it('a folder named like the module is no module file', () => {
    const context = inDags({ 'pkg/mod.py/keep': '' });
    expect(classPathProblem('core.xcom_backend', 'pkg.mod.Backend', context)).toContain(
      'module pkg.mod is neither in teams/x/dags (looked for',
    );
  });

  it('names the DAG folder as present when it exists, and the plugins archive as "the plugins archive" without a path', () => {
    const dagsDir = folder({});
    const pluginsZip = archive({ 'other.py': '' });
    expect(
      classPathProblem('core.xcom_backend', 'pkg.Backend', { dagsDir, dagsPath: 'teams/x/dags', pluginsZip, secretsBackend: false }),
    ).toBe(
      'core.xcom_backend names pkg.Backend, but module pkg is neither in teams/x/dags (looked for pkg.py, pkg/__init__.py) ' +
        'nor a class shipped with Airflow/MWAA (SHIPPED_CLASS_PATHS in model/airflow-options.ts); MWAA would fail to import it and stay UPDATING for hours',
    );
    expect(classPathProblem('core.xcom_backend', 'other.Backend', { dagsPath: 'teams/x/dags', pluginsZip, secretsBackend: false })).toBe(
      'core.xcom_backend names other.Backend, but the plugins archive/other.py defines no Backend; MWAA would fail to import it and stay UPDATING for hours',
    );
  });

  it('the DAG folder is looked at before the plugins archive', () => {
    const context: OptionsContext = {
      dagsDir: folder({ 'pkg.py': 'x = 1\n' }),
      dagsPath: 'teams/x/dags',
      pluginsZip: archive({ 'pkg.py': 'class Backend:\n    pass\n' }),
      pluginsPath: 'teams/x/plugins.zip',
      secretsBackend: false,
    };
    expect(classPathProblem('core.xcom_backend', 'pkg.Backend', context)).toBe(
      'core.xcom_backend names pkg.Backend, but teams/x/dags/pkg.py defines no Backend; MWAA would fail to import it and stay UPDATING for hours',
    );
  });
});

describe('class paths resolved in the plugins archive', () => {
  const inZip = (files: Record<string, string>, options?: ZipOptions): OptionsContext => ({
    dagsPath: 'teams/x/dags',
    pluginsZip: archive(files, options),
    pluginsPath: 'teams/x/plugins.zip',
    secretsBackend: false,
  });

  it.each([
    ['deflated', undefined],
    ['stored', { method: () => 0 }],
    ['behind an archive comment', { comment: 'made by zip 3.0' }],
    ['with extra fields and file comments', { extra: 9, fileComment: 5 }],
    ['behind the longest archive comment zip allows', { comment: 'c'.repeat(0xffff) }],
  ] as const)('reads %s entries', (_what, options) => {
    const context = inZip(
      { 'README.txt': 'hello', 'backends/__init__.py': '', 'backends/xcom.py': 'class ZipBackend:\n    pass\n' },
      options,
    );
    expect(classPathProblem('core.xcom_backend', 'backends.xcom.ZipBackend', context)).toBeUndefined();
    expect(classPathProblem('core.xcom_backend', 'backends.xcom.Other', context)).toBe(
      'core.xcom_backend names backends.xcom.Other, but teams/x/plugins.zip/backends/xcom.py defines no Other; MWAA would fail to import it and stay UPDATING for hours',
    );
  });

  it('lists every entry of the central directory, in order', () => {
    const path = archive({ 'a.py': 'A = 1', 'b/c.py': 'stored text', 'd.txt': '' }, { method: (n) => (n === 'b/c.py' ? 0 : 8) });
    const entries = zipEntries(path);
    expect([...entries.keys()]).toEqual(['a.py', 'b/c.py', 'd.txt']);
    expect([entries.get('a.py')!(), entries.get('b/c.py')!(), entries.get('d.txt')!()]).toEqual(['A = 1', 'stored text', '']);
  });

  it('an entry it cannot read (unknown compression, bad local header) counts as absent, and the next candidate is tried', () => {
    const context = inZip(
      { 'pkg.py': 'class Backend: pass', 'pkg/__init__.py': 'class Backend: pass' },
      { method: (n) => (n === 'pkg.py' ? 12 : 8) },
    );
    expect(classPathProblem('core.xcom_backend', 'pkg.Backend', context)).toBeUndefined();
    const broken = inZip({ 'pkg.py': 'class Backend: pass' }, { badLocalHeader: () => true });
    expect(zipEntries(broken.pluginsZip!).get('pkg.py')!()).toBeUndefined();
    expect(classPathProblem('core.xcom_backend', 'pkg.Backend', broken)).toContain(
      'module pkg is neither in teams/x/dags (missing) or teams/x/plugins.zip',
    );
  });

  it('a file that is not a zip archive has no entries', () => {
    const path = join(scratch, 'not-a.zip');
    writeFileSync(path, 'PK but not really a zip archive, just text that is long enough to search');
    expect(zipEntries(path).size).toBe(0);
    const tiny = join(scratch, 'tiny.zip');
    writeFileSync(tiny, 'PK');
    expect(zipEntries(tiny).size).toBe(0);
  });

  it('an empty archive (only the end record) has no entries', () => {
    const path = archive({});
    expect(zipEntries(path).size).toBe(0);
  });

  it('an end record at the very start of the file is found', () => {
    const path = archive({});
    expect(zipEntries(path)).toEqual(new Map());
    // The central directory of a one-entry archive starts right after its local entry.
    const one = archive({ 'm.py': 'X = 1' });
    expect([...zipEntries(one).keys()]).toEqual(['m.py']);
  });
});

describe('the platform_recovery section', () => {
  const message =
    "options of the platform_recovery section are reserved for the platform's backup and restore DAGs (it sets platform_recovery.backup_bucket, platform_recovery.restore_bucket, platform_recovery.backup_schedule from recovery and recoveryBackupSchedule); remove it, and use another section for the team's own options";

  it.each(['platform_recovery.backup_bucket', 'platform_recovery.backup_schedule', 'platform_recovery.anything_else'])(
    'refuses %s, set by the platform or not',
    (key) => {
      expect(problemsOf({ [key]: 'x' })).toEqual([`${key}: ${message}`]);
    },
  );

  it('takes sections that only share the prefix', () => {
    expect(problemsOf({ 'platform_recoveryx.key': 'x', 'platform.recovery': 'x' })).toEqual([]);
  });
});
