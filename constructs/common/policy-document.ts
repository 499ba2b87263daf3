/**
 * The one way constructs build IAM policy documents (identity, trust and resource policies alike), like aws-cdk's
 * `PolicyDocument`: statements in, `{ Version, Statement }` out, with statements that do not apply left out.
 */
import { IAM_POLICY_VERSION, type PolicyDocument, type PolicyStatement } from '../../contracts/iam-policy';

export type { PolicyDocument, PolicyStatement } from '../../contracts/iam-policy';

/** A statement, or `false`/`undefined` for one that does not apply (`cond && {...}`), which is left out. */
export type OptionalStatement = PolicyStatement | false | undefined;

/** A policy document of the statements that apply, in order. */
export function policyDocument(statements: readonly OptionalStatement[]): PolicyDocument {
  return { Version: IAM_POLICY_VERSION, Statement: statements.filter((s): s is PolicyStatement => s !== false && s !== undefined) };
}

/** The document as the compact JSON string Terraform's `policy` attributes take. */
export const policyJson = (statements: readonly OptionalStatement[]): string => JSON.stringify(policyDocument(statements));
