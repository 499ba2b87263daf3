import { z } from 'zod';
import { eksSchema } from './eks';
import { environmentSchema } from './environment';
import { accountId, dnsLabel, iamPrincipalArn, logRetentionDays, strictObject, tags } from './common';

export const AIRFLOW_RBAC_ROLES = ['Admin', 'Op', 'User', 'Viewer', 'Public'] as const;

/** One participant team: `config/teams/<team>.yaml`. */
export const teamSchema = strictObject({
  team: dnsLabel('team').meta({ description: 'Team name; stack `participant-<team>`; the file name must equal it' }),
  accountId: accountId.meta({ description: 'The team’s account; never the owner account' }),
  access: strictObject({
    principals: z
      .array(iamPrincipalArn, {
        error: 'must be a list of IAM role, user or account-root ARNs allowed to open the Airflow UI, CLI and REST API',
      })
      .min(1, 'list at least one IAM principal ARN allowed to use the environments')
      .meta({
        typeLabel: 'IAM principal ARNs',
        description: 'Who may assume `<platform>-<team>-airflow-access` to open the Airflow UI, CLI and REST API',
      }),
    airflowRole: z
      .enum(AIRFLOW_RBAC_ROLES)
      .default('User')
      .meta({ description: 'Airflow role in the web-login and REST-API permissions (`role/<env>/<role>`)' }),
  })
    .optional()
    .meta({
      defaultLabel: 'unset (no access role)',
      description: 'Who may open the Airflow UI/CLI of the team’s environments, and as which Airflow role',
    }),
  dagsPath: z.string().optional().meta({
    typeLabel: 'path',
    defaultLabel: '`teams/<team>/dags`',
    description:
      'Folder inside `teams/<team>/` (relative to the repository root) uploaded byte for byte to the DAG bucket’s `dags/`; must exist when set explicitly; symlinks may not lead out of `teams/<team>/`',
  }),
  customerManagedKey: z.boolean().default(false).meta({
    description:
      'Team KMS key (rotated) for the DAG bucket, environments and their log groups; otherwise SSE-KMS with `aws/s3` and an AWS-owned key for MWAA',
  }),
  logRetentionDays: logRetentionDays
    .default(30)
    .meta({ description: 'Retention of each environment’s five `airflow-<env>-*` log groups and the EKS control-plane logs' }),
  environments: z
    .array(environmentSchema)
    .default([])
    .meta({ description: 'MWAA environments; names unique per account (across teams sharing one)' }),
  eks: eksSchema.optional().meta({
    defaultLabel: 'unset (no cluster)',
    description: 'EKS cluster in the shared subnets for EksPodOperator tasks with IRSA (see [eks.md](eks.md))',
  }),
  tags: tags.meta({
    description:
      'Tags on the team’s resources: keys 1–128 and values 0–256 of letters, digits, spaces and `_.:/=+-@`, no `aws:` prefix; a key of the platform (`Platform`, `Team`, `ManagedBy`, platform.yaml `tags`, any case) is an error',
  }),
});

export type TeamFile = z.infer<typeof teamSchema>;
