/**
 * The JSON shape of an IAM policy document, for every layer that writes one: the constructs (through the builder
 * in constructs/common/policy-document.ts), the endpoint manager's SQS endpoint policy and the bootstrap documents.
 * Keys are AWS's; the key order of a statement is the caller's (synthesized JSON keeps it). Dependency-free.
 */

/** The current policy language version, the only one any document here is written in. */
export const IAM_POLICY_VERSION = '2012-10-17';

type OneOrMany = string | readonly string[];

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | Readonly<Record<string, OneOrMany>>;
  readonly NotPrincipal?: Readonly<Record<string, OneOrMany>>;
  readonly Action?: OneOrMany;
  readonly NotAction?: OneOrMany;
  readonly Resource?: OneOrMany;
  readonly NotResource?: OneOrMany;
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface PolicyDocument {
  readonly Version: typeof IAM_POLICY_VERSION;
  readonly Statement: readonly PolicyStatement[];
}
