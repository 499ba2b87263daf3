import { z } from 'zod';
import { eksSchema } from './eks';
import { environmentSchema } from './environment';
import { accountId, dnsLabel, iamPrincipalArn, logRetentionDays, strictObject, tags } from './common';

export const AIRFLOW_RBAC_ROLES = ['Admin', 'Op', 'User', 'Viewer', 'Public'] as const;

/** One participant team: `config/teams/<team>.yaml`. */
export const teamSchema = strictObject({
  team: dnsLabel('team'),
  accountId,
  /** Who may open the Airflow UI/CLI of the team's environments, and as which Airflow role. */
  access: strictObject({
    principals: z.array(iamPrincipalArn).min(1, 'list at least one IAM principal ARN allowed to use the environments'),
    airflowRole: z.enum(AIRFLOW_RBAC_ROLES).default('User'),
  }).optional(),
  /** Folder (relative to the repository root) whose contents are uploaded to the DAG bucket's `dags/`. */
  dagsPath: z.string().optional(),
  customerManagedKey: z.boolean().default(false),
  logRetentionDays: logRetentionDays.default(30),
  environments: z.array(environmentSchema).default([]),
  /** An EKS cluster in the shared subnets for EksPodOperator tasks with IRSA; see docs/eks.md. @default none */
  eks: eksSchema.optional(),
  tags,
});

export type TeamFile = z.infer<typeof teamSchema>;
