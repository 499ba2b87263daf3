import { z } from 'zod';
import { strictObject, tags } from './common';

const logLevel = z.enum(['CRITICAL', 'ERROR', 'WARNING', 'INFO', 'DEBUG']);
const logType = strictObject({ enabled: z.boolean().default(true), level: logLevel.default('INFO') });
const defaultLog = { enabled: true, level: 'INFO' as const };

/** One MWAA environment requested by a team. Ranges that depend on the class are checked in `validate/environment.ts`. */
export const environmentSchema = strictObject({
  name: z
    .string()
    .regex(
      /^[a-zA-Z][0-9a-zA-Z_-]{0,79}$/,
      'must be 1-80 characters, start with a letter and contain only letters, digits, "-" and "_" (MWAA environment name)',
    ),
  airflowVersion: z.string().default('2.10.3'),
  environmentClass: z.string().default('mw1.small'),
  webserverAccessMode: z.enum(['PRIVATE_ONLY', 'PUBLIC_ONLY']).default('PRIVATE_ONLY'),
  minWorkers: z.number().int().optional(),
  maxWorkers: z.number().int().optional(),
  schedulers: z.number().int().optional(),
  minWebservers: z.number().int().optional(),
  maxWebservers: z.number().int().optional(),
  weeklyMaintenanceWindowStart: z
    .string()
    .regex(/^(MON|TUE|WED|THU|FRI|SAT|SUN):([01]\d|2[0-3]):(00|30)$/, 'must be DAY:HH:MM in UTC on the half hour, e.g. SUN:03:00')
    .default('SUN:03:00'),
  logging: strictObject({
    dagProcessing: logType.default(defaultLog),
    scheduler: logType.default(defaultLog),
    task: logType.default(defaultLog),
    webserver: logType.default(defaultLog),
    worker: logType.default(defaultLog),
  }).default({ dagProcessing: defaultLog, scheduler: defaultLog, task: defaultLog, webserver: defaultLog, worker: defaultLog }),
  airflowConfigurationOptions: z.record(z.string(), z.string({ error: 'Airflow configuration values must be strings; quote numbers and booleans' })).default({}),
  secretsBackend: strictObject({
    connectionsPrefix: z.string().regex(/^[\w/-]+$/, 'must be a Secrets Manager name prefix such as airflow/connections').default('airflow/connections'),
    variablesPrefix: z.string().regex(/^[\w/-]+$/, 'must be a Secrets Manager name prefix such as airflow/variables').default('airflow/variables'),
  }).optional(),
  /** Files relative to the repository root, uploaded as `environments/<name>/...` and pinned by S3 object version. */
  requirementsFile: z.string().optional(),
  /** A `.zip` archive; its modules may back class-path options such as `core.xcom_backend`. */
  pluginsFile: z.string().optional(),
  /** A `.sh` script MWAA runs before Airflow starts. */
  startupScriptFile: z.string().optional(),
  tags,
});

export type EnvironmentFile = z.infer<typeof environmentSchema>;
