import { stmtLabel } from '../../helpers';
import { isWildcardPrincipal } from '../../policy';
import type { Rule } from '../../types';

/** A trust policy with Principal "*" and no condition lets any AWS account assume the role. */
export const rule: Rule = {
  id: 'CKV_AWS_60',
  service: 'iam',
  checkovId: 'CKV_AWS_60',
  title: 'IAM role trust policy does not allow any principal',
  details: 'never `Principal: "*"` without a condition',
  severity: 'CRITICAL',
  appliesTo: ['aws_iam_role'],
  check(r, ctx) {
    const doc = ctx.policy(r.props.assume_role_policy);
    if (!doc || doc === 'unresolved') return [];
    return doc.statements.flatMap((s, i) =>
      s.effect === 'Allow' && isWildcardPrincipal(s) && s.conditions.length === 0
        ? [`trust ${stmtLabel(s, i)} allows Principal "*" without a condition`]
        : [],
    );
  },
};
