/**
 * The recovery DAGs are Python and cannot import contracts/recovery.ts: recovery/dags/platform_recovery/names.py
 * repeats its values. This test fails when the two drift apart, and when the DAG files the stacks upload are missing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_RECOVERY_BACKUP_SCHEDULE,
  DEFAULT_RESTORE_KEEP_MODE,
  RECOVERY_BACKUP_PREFIX,
  RECOVERY_DAG_FOLDER,
  RECOVERY_DAG_IDS,
  RECOVERY_DAG_SOURCE,
  RECOVERY_ENV,
  RECOVERY_RUN_CONF,
  RESTORE_CONFIRMATION,
  RESTORE_KEEP_MODES,
} from '../../contracts/recovery';
import { REPO_ROOT } from '../support/config-fixture';

const DAGS = join(REPO_ROOT, RECOVERY_DAG_SOURCE);

/** `NAME = "value"` and `NAME = ("a", "b")` assignments of names.py. */
function pythonNames(): Record<string, string | string[]> {
  const source = readFileSync(join(DAGS, 'platform_recovery', 'names.py'), 'utf8');
  const values: Record<string, string | string[]> = {};
  for (const match of source.matchAll(/^([A-Z_]+) = (.+)$/gm)) {
    const [, name, value] = match;
    const strings = [...value.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
    if (value.startsWith('"')) values[name] = strings[0];
    else if (value.startsWith('(') && strings.length > 0) values[name] = strings;
  }
  return values;
}

describe('recovery contract: names.py agrees with contracts/recovery.ts', () => {
  const python = pythonNames();

  it.each([
    ['DAG_FOLDER', RECOVERY_DAG_FOLDER],
    ['BACKUP_DAG_ID', RECOVERY_DAG_IDS.backup],
    ['RESTORE_DAG_ID', RECOVERY_DAG_IDS.restore],
    ['BACKUP_PREFIX', RECOVERY_BACKUP_PREFIX],
    ['DEFAULT_BACKUP_SCHEDULE', DEFAULT_RECOVERY_BACKUP_SCHEDULE],
    ['BACKUP_BUCKET_ENV', RECOVERY_ENV.backupBucket],
    ['RESTORE_BUCKET_ENV', RECOVERY_ENV.restoreBucket],
    ['BACKUP_SCHEDULE_ENV', RECOVERY_ENV.backupSchedule],
    ['KEEP_EXISTING', RESTORE_KEEP_MODES[0]],
    ['REPLACE', RESTORE_KEEP_MODES[1]],
    ['CONF_BACKUP_ID', RECOVERY_RUN_CONF.backupId],
    ['CONF_BUCKET', RECOVERY_RUN_CONF.bucket],
    ['CONF_CONNECTIONS', RECOVERY_RUN_CONF.connections],
    ['CONF_VARIABLES', RECOVERY_RUN_CONF.variables],
    ['CONF_CONFIRM', RECOVERY_RUN_CONF.confirm],
    ['CONFIRM_VALUE', RESTORE_CONFIRMATION],
  ])('%s', (name, expected) => {
    expect(python[name]).toBe(expected);
  });

  it('has the same keep modes, default first', () => {
    expect(RESTORE_KEEP_MODES).toEqual(['keep-existing', 'replace']);
    expect(DEFAULT_RESTORE_KEEP_MODE).toBe('keep-existing');
    expect(source('platform_recovery/names.py')).toMatch(/^DEFAULT_KEEP_MODE = KEEP_EXISTING$/m);
  });

  it('names the environment variables MWAA derives from the platform_recovery options', () => {
    expect(RECOVERY_ENV).toEqual({
      backupBucket: 'AIRFLOW__PLATFORM_RECOVERY__BACKUP_BUCKET',
      restoreBucket: 'AIRFLOW__PLATFORM_RECOVERY__RESTORE_BUCKET',
      backupSchedule: 'AIRFLOW__PLATFORM_RECOVERY__BACKUP_SCHEDULE',
    });
  });

  it('ships both DAG files, each declaring its DAG id from names.py', () => {
    expect(source('platform_recovery_backup.py')).toContain('dag_id=names.BACKUP_DAG_ID');
    expect(source('platform_recovery_restore.py')).toContain('dag_id=names.RESTORE_DAG_ID');
    for (const module of ['__init__.py', 'names.py', 'metadata.py', 'airflow2.py', 'rest_api.py']) {
      expect(existsSync(join(DAGS, 'platform_recovery', module))).toBe(true);
    }
  });

  it('keeps the DAG processor out of the helper package (.airflowignore, uploaded with the DAG files)', () => {
    const patterns = source('.airflowignore')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'));
    expect(patterns).toEqual(['platform_recovery/']);
  });
});

function source(file: string): string {
  return readFileSync(join(DAGS, file), 'utf8');
}
