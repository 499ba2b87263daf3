import { IDENTITY_POLICY_TYPES, identityPolicies, stmtLabel } from '../../helpers';
import type { Rule } from '../../types';

/** Identity policies only: a KMS key policy's `kms:*` for the account root is the documented default. */
export const rule: Rule = {
  id: 'CKV_AWS_63',
  service: 'iam',
  checkovId: 'CKV_AWS_63',
  title: 'IAM policy does not allow "*" actions',
  details: 'identity policies: no `Action: "*"`, no Allow with `NotAction`',
  severity: 'HIGH',
  appliesTo: IDENTITY_POLICY_TYPES,
  check(r, ctx) {
    return identityPolicies(r, ctx).flatMap(({ label, doc }) =>
      doc.statements.flatMap((s, i) => {
        if (s.effect !== 'Allow') return [];
        if (s.actions?.some((a) => a === '*' || a === '*:*')) return [`${label} ${stmtLabel(s, i)} allows Action "*"`];
        if (s.notActions) return [`${label} ${stmtLabel(s, i)} uses Allow with NotAction (allows everything else)`];
        return [];
      }),
    );
  },
};
