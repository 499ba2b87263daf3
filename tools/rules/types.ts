/** Types shared by the security rules, `npm run check` and the plan review. */

export type Severity = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

/** The folders of checks/, one per AWS service. */
export type RuleService = 'ec2' | 'eks' | 'eventbridge' | 'iam' | 'kms' | 'lambda' | 'logs' | 'mwaa' | 's3' | 'sqs';

/** `cdk.tf.json` as synthesized by cdktf (only the parts rules read). */
export interface StackJson {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
  readonly provider?: unknown;
  readonly terraform?: unknown;
  readonly output?: unknown;
}

/** One resource or data block of a stack. */
export interface TfBlock {
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  /** Terraform address: `aws_s3_bucket.dags` or `data.aws_iam_policy_document.trust`. */
  readonly address: string;
  /** cdktf construct path from the `//` metadata, e.g. `participant-marketing/dags/bucket` (when present). */
  readonly path?: string;
  readonly props: Readonly<Record<string, unknown>>;
}

/** Platform policy the rules honour, taken from the validated platform config (platform.yaml). */
export interface RuleSettings {
  /** `mwaa.allowPublicWebserver`: the platform permits PUBLIC_ONLY webservers. Default false. */
  readonly allowPublicWebserver: boolean;
}

/** Lookups a rule may do across the same stack (see context.ts). */
export interface RuleContext {
  readonly stack: string;
  readonly settings: RuleSettings;
  /** All managed resources of a type. */
  resources(type: string): readonly TfBlock[];
  /** The block a `${type.name.attr}` / `${data.type.name.attr}` reference points at, if it is in this stack. */
  resolve(value: unknown): TfBlock | undefined;
  /** Managed resources of `type` whose attribute `attr` references `target` (e.g. the SSE config of a bucket). */
  referencing(type: string, attr: string, target: TfBlock): readonly TfBlock[];
  /** A policy from a JSON string or a `${data.aws_iam_policy_document.x.json}` reference; 'unresolved' when not knowable. */
  policy(value: unknown): NormalizedPolicy | 'unresolved' | undefined;
}

/** A security rule over synthesized Terraform JSON. `check` returns messages; empty means compliant. */
export interface Rule {
  readonly id: string;
  /** The AWS service it guards: its file's folder under checks/, and the service column of the rules table in the docs. */
  readonly service: RuleService;
  readonly checkovId?: string;
  readonly title: string;
  /** What exactly it checks beyond the title (Markdown), for the generated rules table in docs/plan-review.md. */
  readonly details?: string;
  readonly severity: Severity;
  readonly appliesTo: readonly string[];
  check(resource: TfBlock, ctx: RuleContext): readonly string[];
}

export interface Finding {
  readonly rule: string;
  readonly checkovId?: string;
  readonly severity: Severity;
  readonly stack: string;
  /** Terraform address of the offending resource. */
  readonly resource: string;
  readonly path?: string;
  readonly message: string;
}

/** From platform.yaml `securitySuppressions`; `reason` is mandatory, `stack` omitted = every stack. */
export interface Suppression {
  readonly rule: string;
  readonly stack?: string;
  /** Terraform address, construct path, or a glob (`*`) over either. */
  readonly resource: string;
  readonly reason: string;
}

export interface SuppressedFinding extends Finding {
  readonly reason: string;
}

/** Normalized IAM statement (from JSON policy text or an aws_iam_policy_document data source). */
export interface NormalizedStatement {
  readonly sid?: string;
  readonly effect: 'Allow' | 'Deny';
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  /** Undefined for identity policies; `[{type:'*', identifiers:['*']}]` for `"Principal": "*"`. */
  readonly principals?: ReadonlyArray<{ readonly type: string; readonly identifiers: readonly string[] }>;
  readonly notPrincipals?: ReadonlyArray<{ readonly type: string; readonly identifiers: readonly string[] }>;
  readonly conditions: ReadonlyArray<{ readonly test: string; readonly variable: string; readonly values: readonly string[] }>;
}

/**
 * A policy as the rules read it (lower-case, arrays, conditions flattened), parsed from the JSON document
 * (contracts/iam-policy.ts has the document's own type) or from an aws_iam_policy_document data source.
 */
export interface NormalizedPolicy {
  readonly statements: readonly NormalizedStatement[];
}
