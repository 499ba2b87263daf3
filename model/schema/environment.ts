import { z } from 'zod';
import { AIRFLOW_VERSIONS } from '../airflow-versions';
import { integer, strictObject, tags } from './common';

/** Disaster recovery per environment (docs/disaster-recovery.md). */
export const RECOVERY_MODES = ['warm-standby', 'backup-restore'] as const;
export type RecoveryMode = (typeof RECOVERY_MODES)[number];
/** The backup DAG's schedule when an environment with `recovery` sets none. */
const logLevel = z.enum(['CRITICAL', 'ERROR', 'WARNING', 'INFO', 'DEBUG']);
const logType = strictObject({ enabled: z.boolean().default(true), level: logLevel.default('INFO') });
const defaultLog = { enabled: true, level: 'INFO' as const };

/** One MWAA environment requested by a team. Ranges that depend on the class are checked in `validate/environment.ts`. */
export const environmentSchema = strictObject({
  name: z
    .string({ error: 'must be the MWAA environment name: 1-80 characters, a letter first, then letters, digits, "-" and "_"' })
    .regex(
      /^[a-zA-Z][0-9a-zA-Z_-]{0,79}$/,
      'must be 1-80 characters, start with a letter and contain only letters, digits, "-" and "_" (MWAA environment name)',
    )
    .meta({ typeLabel: '`^[a-zA-Z][0-9a-zA-Z-_]*$`, 1-80', description: 'MWAA environment name, unique per account' }),
  // Versions and classes are checked in validate/environment.ts against model/airflow-versions.ts and model/environment.ts.
  airflowVersion: z
    .string({ error: 'must be an Airflow version written as a quoted string, e.g. "2.10.3"' })
    .default('2.10.3')
    .meta({ description: `One of ${AIRFLOW_VERSIONS.join(', ')}; a version whose MWAA support ended is refused with the date` }),
  environmentClass: z.string().default('mw1.small').meta({
    typeLabel: '`mw1.micro` … `mw1.2xlarge`',
    description: 'micro: exactly 1 scheduler, worker and webserver; others: schedulers 2–5, workers 1–25, webservers 2–5',
  }),
  webserverAccessMode: z
    .enum(['PRIVATE_ONLY', 'PUBLIC_ONLY'])
    .default('PRIVATE_ONLY')
    .meta({ description: '`PUBLIC_ONLY` only when `mwaa.allowPublicWebserver`' }),
  // Bounds over every class (the widest MWAA allows); validate/environment.ts checks the class's own range.
  minWorkers: integer(1, 25).optional().meta({ defaultLabel: '1', description: 'Within the class range; min ≤ max' }),
  maxWorkers: integer(1, 25).optional().meta({ defaultLabel: '10 (micro 1)', description: 'Within the class range; min ≤ max' }),
  schedulers: integer(1, 5).optional().meta({ defaultLabel: '2 (micro 1)', description: 'Within the class range' }),
  minWebservers: integer(1, 5).optional().meta({ defaultLabel: '2 (micro 1)', description: 'Within the class range; min ≤ max' }),
  maxWebservers: integer(1, 5).optional().meta({ defaultLabel: '2 (micro 1)', description: 'Within the class range; min ≤ max' }),
  weeklyMaintenanceWindowStart: z
    .string()
    .regex(/^(MON|TUE|WED|THU|FRI|SAT|SUN):([01]\d|2[0-3]):(00|30)$/, 'must be DAY:HH:MM in UTC on the half hour, e.g. SUN:03:00')
    .default('SUN:03:00')
    .meta({ typeLabel: '`DAY:HH:MM` (UTC, half hour)', description: 'Weekly maintenance window' }),
  logging: strictObject({
    dagProcessing: logType.default(defaultLog),
    scheduler: logType.default(defaultLog),
    task: logType.default(defaultLog),
    webserver: logType.default(defaultLog),
    worker: logType.default(defaultLog),
  })
    .default({ dagProcessing: defaultLog, scheduler: defaultLog, task: defaultLog, webserver: defaultLog, worker: defaultLog })
    .meta({
      collapse: true,
      typeLabel: '`dagProcessing`, `scheduler`, `task`, `webserver`, `worker`: each `{enabled, level}`',
      defaultLabel: 'all five enabled, `INFO`',
      description: 'Log types; `level` is one of `CRITICAL`, `ERROR`, `WARNING`, `INFO`, `DEBUG`',
    }),
  airflowConfigurationOptions: z
    .record(z.string(), z.string({ error: 'Airflow configuration values must be strings; quote numbers and booleans' }))
    .default({})
    .meta({
      typeLabel: 'map string→string',
      description:
        '`section.key` in quoted ASCII; options MWAA reserves and the sections the platform sets (`codeartifact`, `platform_recovery`) are refused; class-path options (`core.xcom_backend`, `secrets.backend`, …) must resolve to a module in `dags/`, `plugins.zip` or a class shipped with Airflow/MWAA',
    }),
  secretsBackend: strictObject({
    connectionsPrefix: z
      .string()
      .regex(/^[\w/-]+$/, 'must be a Secrets Manager name prefix such as airflow/connections')
      .default('airflow/connections')
      .meta({ description: 'Secrets Manager name prefix of Airflow connections; the execution role may read exactly `<prefix>/*`' }),
    variablesPrefix: z
      .string()
      .regex(/^[\w/-]+$/, 'must be a Secrets Manager name prefix such as airflow/variables')
      .default('airflow/variables')
      .meta({ description: 'Secrets Manager name prefix of Airflow variables; the execution role may read exactly `<prefix>/*`' }),
  })
    .optional()
    .meta({
      defaultLabel: 'unset (no secrets backend)',
      description: 'Writes `secrets.backend`/`backend_kwargs` for the Secrets Manager backend',
    }),
  requirementsFile: z.string().optional().meta({
    typeLabel: 'path',
    description:
      '`.txt` inside `teams/<team>/` (after symlinks), relative to the repository root; uploaded byte for byte as `environments/<name>/…` and pinned by S3 object version',
  }),
  pluginsFile: z.string().optional().meta({
    typeLabel: 'path',
    description: '`.zip` inside `teams/<team>/`; pinned by version; its modules can back class-path options such as `core.xcom_backend`',
  }),
  startupScriptFile: z.string().optional().meta({
    typeLabel: 'path',
    description: '`.sh` script inside `teams/<team>/` that MWAA runs before Airflow starts; pinned by version',
  }),
  recovery: z
    .enum(RECOVERY_MODES, { error: `must be one of ${RECOVERY_MODES.join(', ')} (or leave it out: no recovery)` })
    .optional()
    .meta({
      defaultLabel: 'none',
      description:
        '`warm-standby`: a paused copy runs in the recovery region (smallest size of the class); `backup-restore`: everything but the environment, which failover creates. Needs `recovery` in platform.yaml',
    }),
  recoveryBackupSchedule: z
    .string()
    .regex(
      /^(@(hourly|daily|weekly)|(\S+\s+){4}\S+)$/,
      'must be an Airflow schedule: @hourly, @daily, @weekly or a five-field cron expression such as "*/30 * * * *"',
    )
    .optional()
    .meta({
      typeLabel: '`@hourly`/`@daily`/`@weekly`/cron',
      defaultLabel: '`@hourly` with `recovery`',
      description: 'How often the platform’s backup DAG exports the metadata; the recovery point objective of `backup-restore`',
    }),
  tags: tags.meta({ description: 'Tags on the environment (AWS tag rules; no `aws:` prefix; no platform key)' }),
});

export type EnvironmentFile = z.infer<typeof environmentSchema>;
