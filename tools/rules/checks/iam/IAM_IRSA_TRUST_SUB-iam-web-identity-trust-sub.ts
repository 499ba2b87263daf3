import { stmtLabel } from '../../helpers';
import type { Rule } from '../../types';

/** An IRSA role trusted without a `<oidc>:sub` condition can be assumed by every service account in the cluster. */
export const rule: Rule = {
  id: 'IAM_IRSA_TRUST_SUB',
  service: 'iam',
  title: 'Web-identity (IRSA) trust is limited to a service account',
  details: 'a web-identity trust has an `<issuer>:sub` condition naming a service account',
  severity: 'HIGH',
  appliesTo: ['aws_iam_role'],
  check(r, ctx) {
    const doc = ctx.policy(r.props.assume_role_policy);
    if (!doc || doc === 'unresolved') return [];
    return doc.statements.flatMap((s, i) => {
      const federated = s.effect === 'Allow' && (s.principals ?? []).some((p) => p.type === 'Federated');
      const webIdentity = (s.actions ?? []).some((a) => a === 'sts:AssumeRoleWithWebIdentity' || a === 'sts:*' || a === '*');
      if (!federated || !webIdentity) return [];
      const sub = s.conditions.filter((c) => c.variable.endsWith(':sub'));
      if (!sub.length) return [`trust ${stmtLabel(s, i)} has no <issuer>:sub condition`];
      if (sub.some((c) => c.values.some((v) => v === '*' || v === 'system:serviceaccount:*')))
        return [`trust ${stmtLabel(s, i)} matches any service account`];
      return [];
    });
  },
};
