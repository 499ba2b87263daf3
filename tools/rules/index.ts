/**
 * Security rules over synthesized cdk.tf.json. `rules` is the full list; `runRules` evaluates one stack and
 * splits findings into unsuppressed and suppressed (the latter are shown in the plan review).
 */
import { buildContext, DEFAULT_SETTINGS } from './context';
import type { Finding, Rule, RuleSettings, StackJson, SuppressedFinding, Suppression } from './types';

import { rule as s3PublicAccessBlock } from './checks/s3/CKV2_AWS_6-s3-public-access-block';
import { rule as s3BlockPublicAcls } from './checks/s3/CKV_AWS_53-s3-block-public-acls';
import { rule as s3BlockPublicPolicy } from './checks/s3/CKV_AWS_54-s3-block-public-policy';
import { rule as s3IgnorePublicAcls } from './checks/s3/CKV_AWS_55-s3-ignore-public-acls';
import { rule as s3RestrictPublicBuckets } from './checks/s3/CKV_AWS_56-s3-restrict-public-buckets';
import { rule as s3Kms } from './checks/s3/CKV_AWS_145-s3-kms-encryption';
import { rule as s3Versioning } from './checks/s3/CKV_AWS_21-s3-versioning';
import { rule as s3TlsOnly } from './checks/s3/S3_TLS_ONLY-s3-deny-insecure-transport';
import { rule as lambdaDlq } from './checks/lambda/CKV_AWS_116-lambda-dlq';
import { rule as lambdaConcurrency } from './checks/lambda/CKV_AWS_115-lambda-concurrency';
import { rule as lambdaXray } from './checks/lambda/CKV_AWS_50-lambda-xray';
import { rule as eksSecrets } from './checks/eks/CKV_AWS_58-eks-secrets-encryption';
import { rule as eksPrivate } from './checks/eks/CKV_AWS_39-eks-private-endpoint';
import { rule as eksLogs } from './checks/eks/CKV_AWS_37-eks-control-plane-logs';
import { rule as mwaaScheduler } from './checks/mwaa/CKV_AWS_242-mwaa-scheduler-logs';
import { rule as mwaaWorker } from './checks/mwaa/CKV_AWS_243-mwaa-worker-logs';
import { rule as mwaaWebserverLogs } from './checks/mwaa/CKV_AWS_244-mwaa-webserver-logs';
import { rule as mwaaPrivate } from './checks/mwaa/MWAA_PRIVATE_WEBSERVER-mwaa-private-webserver';
import { rule as logRetention } from './checks/logs/CKV_AWS_66-log-group-retention';
import { rule as kmsRotation } from './checks/kms/CKV_AWS_7-kms-rotation';
import { rule as iamWildcardAction } from './checks/iam/CKV_AWS_63-iam-no-wildcard-action';
import { rule as iamWildcardResource } from './checks/iam/CKV_AWS_355-iam-no-wildcard-resource-write';
import { rule as iamTrustOpen } from './checks/iam/CKV_AWS_60-iam-trust-not-open';
import { rule as iamConfusedDeputy } from './checks/iam/IAM_TRUST_CONFUSED_DEPUTY-iam-service-trust-conditions';
import { rule as iamIrsaSub } from './checks/iam/IAM_IRSA_TRUST_SUB-iam-web-identity-trust-sub';
import { rule as sqsEndpointPolicy } from './checks/sqs/SQS_ENDPOINT_POLICY-sqs-endpoint-policy-scoped';
import { rule as sgWorldIngress } from './checks/ec2/SG_NO_WORLD_INGRESS-sg-no-world-ingress';
import { rule as imdsv2 } from './checks/ec2/CKV_AWS_79-imdsv2-required';
import { rule as sqsEncryption } from './checks/sqs/CKV_AWS_27-sqs-encryption';
import { rule as eventBusPolicy } from './checks/eventbridge/EVENTBRIDGE_BUS_POLICY-eventbridge-bus-policy-not-open';

export type {
  Finding,
  NormalizedPolicy,
  NormalizedStatement,
  Rule,
  RuleSettings,
  Severity,
  StackJson,
  SuppressedFinding,
  Suppression,
  TfBlock,
} from './types';
// The rules' public API for the plan review and the other tools; nothing outside tools/rules imports its files.
export { blocksOf } from './context';
export { canonicalStatement, diffStatements, isWildcardPrincipal, parsePolicyJson, policyFromDocumentData } from './policy';
export { IDENTITY_POLICY_TYPES } from './helpers';
export { STAR_ONLY_ACTIONS } from './checks/iam/CKV_AWS_355-iam-no-wildcard-resource-write';

export const rules: readonly Rule[] = [
  s3PublicAccessBlock,
  s3BlockPublicAcls,
  s3BlockPublicPolicy,
  s3IgnorePublicAcls,
  s3RestrictPublicBuckets,
  s3Kms,
  s3Versioning,
  s3TlsOnly,
  lambdaDlq,
  lambdaConcurrency,
  lambdaXray,
  eksSecrets,
  eksPrivate,
  eksLogs,
  mwaaScheduler,
  mwaaWorker,
  mwaaWebserverLogs,
  mwaaPrivate,
  logRetention,
  kmsRotation,
  iamWildcardAction,
  iamWildcardResource,
  iamTrustOpen,
  iamConfusedDeputy,
  iamIrsaSub,
  sqsEndpointPolicy,
  sgWorldIngress,
  imdsv2,
  sqsEncryption,
  eventBusPolicy,
];

export interface RunRulesOptions {
  readonly stack: string;
  readonly suppressions?: readonly Suppression[];
  /** Platform policy from platform.yaml (e.g. `mwaa.allowPublicWebserver`); strict defaults. */
  readonly settings?: Partial<RuleSettings>;
  /** Defaults to `rules`; tests pass a single rule. */
  readonly rules?: readonly Rule[];
}

export interface RulesResult {
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
}

const glob = (pattern: string, value: string | undefined): boolean => {
  if (value === undefined) return false;
  if (!pattern.includes('*')) return pattern === value;
  const re = new RegExp(
    '^' +
      pattern
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*') +
      '$',
  );
  return re.test(value);
};

/** Whether a suppression covers a finding: same rule (id or Checkov id), stack (if given), resource address/path/glob. */
export function suppressionMatches(s: Suppression, f: Finding): boolean {
  return (
    (s.rule === f.rule || s.rule === f.checkovId) &&
    (s.stack === undefined || glob(s.stack, f.stack)) &&
    (glob(s.resource, f.resource) || glob(s.resource, f.path))
  );
}

/** Throws on suppressions without a reason: every exception must say why, for the plan-review reader. */
export function validateSuppressions(suppressions: readonly Suppression[]): void {
  const bad = suppressions.filter((s) => !s.rule || !s.resource || !s.reason || !s.reason.trim());
  if (bad.length) {
    throw new Error(`securitySuppressions need rule, resource and a non-empty reason: ${JSON.stringify(bad)}`);
  }
}

export function runRules(stackJson: StackJson, options: RunRulesOptions): RulesResult {
  const suppressions = options.suppressions ?? [];
  validateSuppressions(suppressions);
  const { ctx, blocks } = buildContext(stackJson, options.stack, { ...DEFAULT_SETTINGS, ...options.settings });
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const rule of options.rules ?? rules) {
    for (const block of blocks) {
      if (block.mode !== 'managed' || !rule.appliesTo.includes(block.type)) continue;
      for (const message of rule.check(block, ctx)) {
        const f: Finding = {
          rule: rule.id,
          ...(rule.checkovId ? { checkovId: rule.checkovId } : {}),
          severity: rule.severity,
          stack: options.stack,
          resource: block.address,
          ...(block.path ? { path: block.path } : {}),
          message,
        };
        const s = suppressions.find((x) => suppressionMatches(x, f));
        if (s) suppressed.push({ ...f, reason: s.reason });
        else findings.push(f);
      }
    }
  }
  return { findings, suppressed };
}

export interface RulesRun {
  readonly findings: readonly Finding[];
  readonly suppressed: readonly SuppressedFinding[];
  /** Suppressions that matched nothing in any stack: stale exceptions to delete. */
  readonly unused: readonly Suppression[];
}

/** Runs every rule over every given stack. Pure given the stack JSON. */
export function runRulesOverStacks(
  stacks: ReadonlyArray<{ stack: string; json: StackJson }>,
  inputs: { readonly suppressions: readonly Suppression[]; readonly settings: RuleSettings },
): RulesRun {
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const s of stacks) {
    const r = runRules(s.json, { stack: s.stack, suppressions: inputs.suppressions, settings: inputs.settings });
    findings.push(...r.findings);
    suppressed.push(...r.suppressed);
  }
  const unused = inputs.suppressions.filter((x) => !suppressed.some((f) => suppressionMatches(x, f)));
  return { findings, suppressed, unused };
}
