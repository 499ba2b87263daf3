import { z } from 'zod';
import { ACCOUNT_ID, IAM_PRINCIPAL_ARN, IAM_ROLE_ARN, REGION } from '../../contracts/aws';
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
    .string({
      error: `${what} must be a string of 2-32 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen`,
    })
    .regex(
      /^[a-z][a-z0-9-]{0,30}[a-z0-9]$/,
      `${what} must be 2-32 characters of lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen`,
    )
    .meta({ typeLabel: 'DNS label (2-32)' });

export const iamRoleArn = z
  .string()
  .regex(IAM_ROLE_ARN, 'must be an IAM role ARN such as arn:aws:iam::111111111111:role/name')
  .meta({ typeLabel: 'IAM role ARN' });

/** IAM principals allowed to assume a team's access role: roles, users or the account root. */
export const iamPrincipalArn = z
  .string()
  .regex(IAM_PRINCIPAL_ARN, 'must be an IAM role, user or account-root ARN')
  .meta({ typeLabel: 'IAM principal ARN' });

// AWS tag rules (Tag API reference, "Tagging best practices"): key 1-128 and value 0-256 Unicode characters of
// letters, digits, white space and _ . : / = + - @; keys and values may not start with the reserved `aws:`
// (any case). Lengths count code points, as AWS does, not UTF-16 units.
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const RESERVED_TAG_PREFIX = /^aws:/i;
const codePoints = (s: string) => [...s].length;
const TAG_CHARS_TEXT = 'letters, digits, spaces and _ . : / = + - @';

export const tagKey = z.string().superRefine((key, ctx) => {
  if (codePoints(key) < 1 || codePoints(key) > 128)
    ctx.addIssue({ code: 'custom', message: `tag key "${key}" must be 1-128 characters (it has ${codePoints(key)})` });
  if (!TAG_CHARACTERS.test(key))
    ctx.addIssue({ code: 'custom', message: `tag key ${JSON.stringify(key)} may contain only ${TAG_CHARS_TEXT}` });
  if (RESERVED_TAG_PREFIX.test(key))
    ctx.addIssue({ code: 'custom', message: `tag key "${key}" starts with "aws:", which AWS reserves for its own tags` });
});

export const tagValue = z.string({ error: 'tag values must be strings; quote numbers and booleans' }).superRefine((value, ctx) => {
  if (codePoints(value) > 256)
    ctx.addIssue({ code: 'custom', message: `tag values are at most 256 characters (this one has ${codePoints(value)})` });
  if (!TAG_CHARACTERS.test(value))
    ctx.addIssue({ code: 'custom', message: `tag value ${JSON.stringify(value)} may contain only ${TAG_CHARS_TEXT}` });
  if (RESERVED_TAG_PREFIX.test(value))
    ctx.addIssue({ code: 'custom', message: `tag value "${value}" starts with "aws:", which AWS reserves for its own tags` });
});

/** Resource tags AWS accepts; keys the platform owns are refused in validate/tags.ts. */
export const tags = z.record(tagKey, tagValue).default({}).meta({ typeLabel: 'map' });

/** A whole number in a range, with one message for every way to miss it (quoted, 1e400, 2.5, too big). */
export const integer = (lo: number, hi: number) => {
  const message = `must be an integer from ${lo} to ${hi}`;
  // One check, not int()+min()+max(): 99999999999999999999 would fail three ways and print three messages.
  return z
    .number({ error: message })
    .refine((v) => Number.isInteger(v) && v >= lo && v <= hi, { error: message })
    .meta({ typeLabel: `integer ${lo}–${hi}` });
};

const RETENTION_TEXT =
  'must be a CloudWatch Logs retention value: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653';

export const logRetentionDays = z
  .number({ error: RETENTION_TEXT })
  .refine(
    (d) => [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653].includes(d),
    RETENTION_TEXT,
  )
  .meta({ typeLabel: 'CloudWatch retention (days)' });
