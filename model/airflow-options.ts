/**
 * Airflow configuration options of an MWAA environment: which keys MWAA accepts, which it manages
 * itself, and which name a Python class that must be importable on the environment. A class path that
 * does not import is not rejected by the MWAA API: the environment sits in UPDATING for hours and then
 * fails (field report on `core.xcom_backend`), so it is caught here, before any apply.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { MIRROR_OPTION_SECTION, mirrorAirflowOptions, type PythonPackageMirror } from '../contracts/python-packages';
import { RECOVERY_OPTION_SECTION, RECOVERY_OPTIONS } from '../contracts/recovery';

/** MWAA API: keys `[a-z]+([a-z0-9._]*[a-z0-9_]+)?`, 1-64 characters; we also require `section.key`. */
const OPTION_KEY = /^[a-z][a-z0-9_]*\.[a-z0-9_]+$/;
/** MWAA API: values are 1-65536 printable ASCII characters. */
const OPTION_VALUE = /^[ -~]{1,65536}$/;

/**
 * Options MWAA sets itself on every container (metadata database, Celery broker, executor, secrets
 * used for sessions, DAG/plugin folders, CloudWatch logging, metrics, the IAM login). Overriding them
 * breaks the environment, so the platform refuses them. Curated from the MWAA user guide's reserved
 * configuration and environment variables.
 */
export const RESERVED_OPTIONS: ReadonlySet<string> = new Set([
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
]);

/** The options `secretsBackend:` writes; a team sets one or the other, not both. */
export const SECRETS_BACKEND_OPTIONS = ['secrets.backend', 'secrets.backend_kwargs'] as const;

export const SECRETS_MANAGER_BACKEND = 'airflow.providers.amazon.aws.secrets.secrets_manager.SecretsManagerBackend';

/** Options whose value is a dotted path Airflow imports at start-up. */
export const CLASS_PATH_OPTIONS: ReadonlySet<string> = new Set([
  'core.xcom_backend',
  'secrets.backend',
  'lineage.backend',
  'core.hostname_callable',
  'metrics.stat_name_handler',
]);

/**
 * Class and function paths shipped with Airflow or installed by MWAA on every image (the Amazon
 * provider). Anything else must come from the team's `dags/` folder or plugins archive. Add a path
 * here only after checking it imports on every version in AIRFLOW_VERSIONS.
 */
export const SHIPPED_CLASS_PATHS: ReadonlySet<string> = new Set([
  'airflow.models.xcom.BaseXCom',
  'airflow.secrets.local_filesystem.LocalFilesystemBackend',
  'airflow.secrets.environment_variables.EnvironmentVariablesBackend',
  SECRETS_MANAGER_BACKEND,
  'airflow.providers.amazon.aws.secrets.systems_manager.SystemsManagerParameterStoreBackend',
  'airflow.utils.net.getfqdn',
  'airflow.utils.net.get_host_ip_address',
  'socket.getfqdn',
]);

/** The options the platform writes for the Secrets Manager backend. */
export function secretsBackendOptions(prefixes: {
  readonly connectionsPrefix: string;
  readonly variablesPrefix: string;
}): Record<string, string> {
  return {
    'secrets.backend': SECRETS_MANAGER_BACKEND,
    'secrets.backend_kwargs': JSON.stringify({
      connections_prefix: prefixes.connectionsPrefix,
      variables_prefix: prefixes.variablesPrefix,
    }),
  };
}

/** Where an option of the environment comes from: the team's file, its `secretsBackend:`, or the platform. */
export type AirflowOptionSource = 'option' | 'secretsBackend' | 'platform';

export interface EffectiveAirflowOption {
  readonly key: string;
  readonly value: string;
  readonly from: AirflowOptionSource;
}

/**
 * Every `airflow_configuration_options` entry an environment gets, by key, each with its source: the team's
 * options, then what `secretsBackend:` writes, then the platform's (the CodeArtifact mirror's coordinates for an
 * environment that reads it); a later source wins a key. The environment construct and `mwaa config-check` both
 * read this one merge.
 */
export function effectiveAirflowOptions(
  env: {
    readonly airflowConfigurationOptions: Readonly<Record<string, string>>;
    readonly secretsBackend?: { readonly connectionsPrefix: string; readonly variablesPrefix: string };
  },
  pythonPackageMirror: PythonPackageMirror | undefined,
): EffectiveAirflowOption[] {
  const merged = new Map<string, { value: string; from: AirflowOptionSource }>();
  const add = (options: Readonly<Record<string, string>>, from: AirflowOptionSource) => {
    for (const [key, value] of Object.entries(options)) merged.set(key, { value, from });
  };
  add(env.airflowConfigurationOptions, 'option');
  if (env.secretsBackend) add(secretsBackendOptions(env.secretsBackend), 'secretsBackend');
  if (pythonPackageMirror) add(mirrorAirflowOptions(pythonPackageMirror), 'platform');
  return [...merged].map(([key, v]) => ({ key, ...v })).sort((a, b) => a.key.localeCompare(b.key));
}

/** The options as the map MWAA receives. */
export const airflowOptionsRecord = (options: readonly EffectiveAirflowOption[]): Record<string, string> =>
  Object.fromEntries(options.map((o) => [o.key, o.value]));

export interface OptionsContext {
  /** Absolute path of the team's DAG folder; undefined when it does not exist. */
  readonly dagsDir?: string;
  /** The DAG folder as written in the configuration, for messages. */
  readonly dagsPath: string;
  /** Absolute path of the environment's plugins archive, when it has one that exists. */
  readonly pluginsZip?: string;
  /** The plugins archive as written in the configuration, for messages. */
  readonly pluginsPath?: string;
  /** The environment has `secretsBackend:` set. */
  readonly secretsBackend: boolean;
}

export interface OptionProblem {
  /** The option key; undefined for a problem of the whole map. */
  readonly key?: string;
  readonly message: string;
}

export function validateAirflowOptions(options: Readonly<Record<string, string>>, context: OptionsContext): OptionProblem[] {
  const problems: OptionProblem[] = [];
  for (const [key, value] of Object.entries(options)) {
    if (key.length > 64 || !OPTION_KEY.test(key)) {
      problems.push({
        key,
        message: 'keys are "section.key" in lowercase letters, digits and "_", at most 64 characters (e.g. core.default_task_retries)',
      });
      continue;
    }
    if (typeof value !== 'string' || !OPTION_VALUE.test(value)) {
      problems.push({ key, message: 'values are 1-65536 printable ASCII characters' });
      continue;
    }
    if (RESERVED_OPTIONS.has(key)) {
      problems.push({ key, message: `${key} is managed by MWAA and cannot be set; remove it` });
      continue;
    }
    if (key.startsWith(`${MIRROR_OPTION_SECTION}.`)) {
      problems.push({
        key,
        message: `options of the ${MIRROR_OPTION_SECTION} section are set by the platform (network.pythonPackages.codeArtifact in platform.yaml); remove it`,
      });
      continue;
    }
    if (key.startsWith(`${RECOVERY_OPTION_SECTION}.`)) {
      // The backup and restore DAGs read these: a team value would redirect backups or restores to another bucket.
      problems.push({
        key,
        message: `options of the ${RECOVERY_OPTION_SECTION} section are reserved for the platform's backup and restore DAGs (it sets ${Object.values(RECOVERY_OPTIONS).join(', ')} from recovery and recoveryBackupSchedule); remove it, and use another section for the team's own options`,
      });
      continue;
    }
    if (context.secretsBackend && (SECRETS_BACKEND_OPTIONS as readonly string[]).includes(key)) {
      problems.push({ key, message: `${key} is written by secretsBackend; set the prefixes there instead` });
      continue;
    }
    if (key === 'secrets.backend_kwargs' && !isJsonObject(value)) {
      problems.push({ key, message: 'must be a JSON object, e.g. {"connections_prefix": "airflow/connections"}' });
    }
    if (CLASS_PATH_OPTIONS.has(key)) {
      const problem = classPathProblem(key, value, context);
      if (problem) problems.push({ key, message: problem });
    }
  }
  return problems;
}

function isJsonObject(text: string): boolean {
  try {
    const parsed = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

const PYTHON_PATH = /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*[.:][A-Za-z_]\w*$/;

/** Why `value` would not import on the environment, or undefined when it resolves. */
export function classPathProblem(key: string, value: string, context: OptionsContext): string | undefined {
  if (!PYTHON_PATH.test(value)) return `"${value}" is not a Python path such as my_module.MyClass`;
  const normalized = value.replace(':', '.');
  if (SHIPPED_CLASS_PATHS.has(normalized)) return undefined;
  const cut = normalized.lastIndexOf('.');
  const module = normalized.slice(0, cut);
  const name = normalized.slice(cut + 1);
  const candidates = [`${module.replace(/\./g, '/')}.py`, `${module.replace(/\./g, '/')}/__init__.py`];

  // MWAA puts the DAG folder and the unpacked plugins archive on sys.path, so `a.b.C` is a/b.py in either.
  const sources: Array<{ where: string; read: (file: string) => string | undefined }> = [];
  if (context.dagsDir) sources.push({ where: context.dagsPath, read: (file) => readIfFile(join(context.dagsDir!, file)) });
  if (context.pluginsZip) {
    const entries = zipEntries(context.pluginsZip);
    sources.push({ where: context.pluginsPath ?? 'the plugins archive', read: (file) => entries.get(file)?.() });
  }
  for (const source of sources) {
    for (const file of candidates) {
      const text = source.read(file);
      if (text === undefined) continue;
      // Defined, assigned or re-exported at module level.
      if (new RegExp(`^(class|def)\\s+${name}\\b|^${name}\\s*=|^from\\s+\\S+\\s+import\\s.*\\b${name}\\b`, 'm').test(text))
        return undefined;
      return `${key} names ${value}, but ${source.where}/${file} defines no ${name}; MWAA would fail to import it and stay UPDATING for hours`;
    }
  }
  const where = [context.dagsPath + (context.dagsDir ? '' : ' (missing)'), context.pluginsPath].filter(Boolean).join(' or ');
  return (
    `${key} names ${value}, but module ${module} is neither in ${where} (looked for ${candidates.join(', ')}) ` +
    'nor a class shipped with Airflow/MWAA (SHIPPED_CLASS_PATHS in model/airflow-options.ts); ' +
    'MWAA would fail to import it and stay UPDATING for hours'
  );
}

function readIfFile(path: string): string | undefined {
  return existsSync(path) && statSync(path).isFile() ? readFileSync(path, 'utf8') : undefined;
}

/** Lists a zip archive's files (central directory), each with a lazy reader of its text. */
export function zipEntries(path: string): Map<string, () => string | undefined> {
  const zip = readFileSync(path);
  const entries = new Map<string, () => string | undefined>();
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return entries;
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < count && offset + 46 <= zip.length && zip.readUInt32LE(offset) === 0x02014b50; n++) {
    const method = zip.readUInt16LE(offset + 10);
    const compressedSize = zip.readUInt32LE(offset + 20);
    const nameLength = zip.readUInt16LE(offset + 28);
    const extraLength = zip.readUInt16LE(offset + 30);
    const commentLength = zip.readUInt16LE(offset + 32);
    const local = zip.readUInt32LE(offset + 42);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    entries.set(name, () => {
      if (zip.readUInt32LE(local) !== 0x04034b50) return undefined;
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      const data = zip.subarray(start, start + compressedSize);
      if (method === 0) return data.toString('utf8');
      if (method === 8) return inflateRawSync(data).toString('utf8');
      return undefined;
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
