import { z } from 'zod';
import { ACCOUNT_ID, REGION } from '../../contracts/aws';
import './meta';

/**
 * A strict object: unknown keys are errors that list the allowed fields, so a typo
 * (`enviroments:`) fails loudly instead of being dropped silently.
 */
export function strictObject<T extends z.ZodRawShape>(shape: T) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') {
        const keys = (issue as { keys: string[] }).keys.map((k) => `"${k}"`).join(', ');
        return `unknown field ${keys}; allowed fields: ${allowed}`;
      }
      if (issue.code === 'invalid_type') return `expected a mapping with fields: ${allowed}`;
      return undefined;
    },
  });
}

export const accountId = z
  .string({ error: 'must be a 12-digit AWS account id written as a quoted string, e.g. "111111111111"' })
  .regex(ACCOUNT_ID, 'must be a 12-digit AWS account id written as a quoted string, e.g. "111111111111"')
  .meta({ typeLabel: '12-digit string' });

export const region = z
  .string({ error: 'must be an AWS region name such as eu-west-1' })
  .regex(REGION, 'must be an AWS region name such as eu-west-1 or us-gov-west-1')
  .meta({ typeLabel: 'AWS region' });

/** DNS-safe label: used in resource names, stack names and Kubernetes namespaces. */
export const dnsLabel = (what: string) =>
  z
    .string({ error: `${what} must be a string` })
    .regex(
      /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/,
      `${what} must be 2-32 characters of lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen`,
    )
    .meta({ typeLabel: 'DNS label (2-32)' });

export const iamRoleArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
    'must be an IAM role ARN such as arn:aws:iam::111111111111:role/name',
  )
  .meta({ typeLabel: 'IAM role ARN' });

/** IAM principals allowed to assume a team's access role: roles, users or the account root. */
export const iamPrincipalArn = z
  .string()
  .regex(
    /^arn:aws[a-z-]*:(iam::\d{12}:(role|user)\/[\w+=,.@/-]{1,512}|iam::\d{12}:root|sts::\d{12}:assumed-role\/[\w+=,.@-]+\/[\w+=,.@-]+)$/,
    'must be an IAM role, user or account-root ARN',
  )
  .meta({ typeLabel: 'IAM principal ARN' });

export const tags = z
  .record(
    z.string().regex(/^[\w .:/=+@-]{1,128}$/, 'tag keys are 1-128 characters of letters, digits, spaces and _.:/=+-@'),
    z.string().max(256, 'tag values are at most 256 characters'),
  )
  .default({})
  .meta({ typeLabel: 'map' });

export const logRetentionDays = z
  .number()
  .refine(
    (d) => [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653].includes(d),
    'must be a CloudWatch Logs retention value: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653',
  )
  .meta({ typeLabel: 'CloudWatch retention (days)' });
