import { isReadOnlyAction } from '../../../../model/iam-actions';
import { IDENTITY_POLICY_TYPES, identityPolicies, stmtLabel } from '../../helpers';
import type { Rule } from '../../types';

/** Write actions that AWS only authorizes on Resource "*" (no resource-level permissions exist). */
export const STAR_ONLY_ACTIONS: ReadonlySet<string> = new Set([
  'cloudwatch:PutMetricData',
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'ec2:CreateNetworkInterface',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
]);

export const rule: Rule = {
  id: 'CKV_AWS_355',
  service: 'iam',
  checkovId: 'CKV_AWS_355',
  title: 'IAM policy does not allow write actions on Resource "*"',
  details: `identity policies: no write action on \`Resource: "*"\` (Describe, List, Get, BatchGet, Head and View are reads), but for the actions that exist only on \`*\`: ${[...STAR_ONLY_ACTIONS].map((a) => `\`${a}\``).join(', ')}`,
  severity: 'HIGH',
  appliesTo: IDENTITY_POLICY_TYPES,
  check(r, ctx) {
    return identityPolicies(r, ctx).flatMap(({ label, doc }) =>
      doc.statements.flatMap((s, i) => {
        if (s.effect !== 'Allow' || !s.resources?.includes('*')) return [];
        // Read verbs are fine on "*" (ec2:Describe* has no resource-level permissions at all).
        const writes = (s.actions ?? []).filter((a) => a !== '*' && !isReadOnlyAction(a) && !STAR_ONLY_ACTIONS.has(a));
        return writes.length ? [`${label} ${stmtLabel(s, i)} allows ${writes.join(', ')} on Resource "*"`] : [];
      }),
    );
  },
};
