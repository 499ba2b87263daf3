import { stmtLabel } from '../../helpers';
import type { Rule } from '../../types';

/** Any queue in any account, e.g. "*" or arn:aws:sqs:*:*:*. */
const ANY_QUEUE = /^(\*|arn:aws[a-z-]*:sqs:\*:\*:\*)$/;

/**
 * The shared SQS interface endpoint is the exfiltration path out of the VPC: its policy must list queues.
 * The endpoint-manager Lambda owns the policy at runtime (ignore_changes), so this checks the synthesized seed
 * policy, taken from the endpoint or from an aws_vpc_endpoint_policy pointing at it. No policy = AWS's full-access default.
 */
export const rule: Rule = {
  id: 'SQS_ENDPOINT_POLICY',
  service: 'sqs',
  title: 'SQS VPC endpoint policy is limited to listed queues',
  details:
    'the SQS interface endpoint has a policy (the default allows all) and no Allow on any queue (`*`, `arn:aws:sqs:*:*:*`) or with `NotResource`',
  severity: 'CRITICAL',
  appliesTo: ['aws_vpc_endpoint'],
  check(r, ctx) {
    const svc = r.props.service_name;
    if (typeof svc !== 'string' || !svc.endsWith('.sqs')) return [];
    const raw = [r.props.policy, ...ctx.referencing('aws_vpc_endpoint_policy', 'vpc_endpoint_id', r).map((p) => p.props.policy)].filter(
      (p) => p !== undefined && p !== null && p !== '',
    );
    if (!raw.length) return ['no endpoint policy: the default policy allows every queue in every account'];
    return raw.flatMap((p) => {
      const doc = ctx.policy(p);
      if (!doc || doc === 'unresolved') return [];
      return doc.statements.flatMap((s, i) => {
        if (s.effect !== 'Allow') return [];
        if (s.notResources) return [`${stmtLabel(s, i)} uses Allow with NotResource`];
        return s.resources?.some((x) => ANY_QUEUE.test(x))
          ? [`${stmtLabel(s, i)} allows any queue (Resource ${s.resources.join(', ')})`]
          : [];
      });
    });
  },
};
