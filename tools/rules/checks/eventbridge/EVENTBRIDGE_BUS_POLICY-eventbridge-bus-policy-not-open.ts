import { nested, stmtLabel } from '../../helpers';
import { isWildcardPrincipal } from '../../policy';
import type { Rule } from '../../types';

/** The shared bus accepts events from participant accounts; "*" is only acceptable when a condition (e.g. aws:PrincipalOrgID) narrows it. */
export const rule: Rule = {
  id: 'EVENTBRIDGE_BUS_POLICY',
  service: 'eventbridge',
  title: 'EventBridge bus policy is not open to everyone',
  details: 'a bus policy or permission does not allow `*` without a condition',
  severity: 'HIGH',
  appliesTo: ['aws_cloudwatch_event_bus_policy', 'aws_cloudwatch_event_permission', 'aws_cloudwatch_event_bus'],
  check(r, ctx) {
    if (r.type === 'aws_cloudwatch_event_permission') {
      return r.props.principal === '*' && !nested(r.props.condition).length ? ['permission for principal "*" without a condition'] : [];
    }
    const doc = ctx.policy(r.props.policy);
    if (!doc || doc === 'unresolved') return [];
    return doc.statements.flatMap((s, i) =>
      s.effect === 'Allow' && isWildcardPrincipal(s) && s.conditions.length === 0
        ? [`${stmtLabel(s, i)} allows Principal "*" without a condition`]
        : [],
    );
  },
};
