import { IDENTITY_POLICY_TYPES, identityPolicies, stmtLabel } from '../helpers';
import type { Rule } from '../types';

/** Read verbs are fine on "*" (ec2:Describe* has no resource-level permissions at all). */
const READ_ONLY = /^[a-z0-9-]+:(Describe|List|Get|BatchGet|Head|View)[A-Za-z0-9*]*$/;

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
  checkovId: 'CKV_AWS_355',
  title: 'IAM policy does not allow write actions on Resource "*"',
  severity: 'HIGH',
  appliesTo: IDENTITY_POLICY_TYPES,
  check(r, ctx) {
    return identityPolicies(r, ctx).flatMap(({ label, doc }) =>
      doc.statements.flatMap((s, i) => {
        if (s.effect !== 'Allow' || !s.resources?.includes('*')) return [];
        const writes = (s.actions ?? []).filter((a) => a !== '*' && !READ_ONLY.test(a) && !STAR_ONLY_ACTIONS.has(a));
        return writes.length ? [`${label} ${stmtLabel(s, i)} allows ${writes.join(', ')} on Resource "*"`] : [];
      }),
    );
  },
};
