import { stmtLabel } from '../../helpers';
import { hasSourceCondition } from '../../policy';
import type { Rule } from '../../types';

/**
 * Services that assume roles on behalf of a resource (cross-service confused deputy) must be pinned with
 * aws:SourceAccount / aws:SourceArn. Compute principals (ec2, eks, lambda, eks-nodegroup) act for the role's own
 * workload and have no source resource, so they are not listed.
 */
export const CONFUSED_DEPUTY_SERVICES: ReadonlySet<string> = new Set([
  'airflow.amazonaws.com',
  'airflow-env.amazonaws.com',
  'events.amazonaws.com',
  'scheduler.amazonaws.com',
  'states.amazonaws.com',
  'pipes.amazonaws.com',
  'logs.amazonaws.com',
  'sns.amazonaws.com',
  's3.amazonaws.com',
  'delivery.logs.amazonaws.com',
  // The VPC user guide recommends both keys on the flow-log delivery role (source ARN vpc-flow-log/<id>).
  'vpc-flow-logs.amazonaws.com',
]);

export const rule: Rule = {
  id: 'IAM_TRUST_CONFUSED_DEPUTY',
  service: 'iam',
  title: 'Service-principal trust is pinned with aws:SourceAccount/aws:SourceArn',
  details: `a trust for a service that acts on behalf of a resource (${[...CONFUSED_DEPUTY_SERVICES].map((p) => `\`${p.replace(/\.amazonaws\.com$/, '')}\``).join(', ')}) has \`aws:SourceAccount\`, \`aws:SourceArn\`, \`aws:SourceOrgID\` or \`aws:SourceOrgPaths\`; compute principals (ec2, eks, lambda) have no source resource and are exempt`,
  severity: 'MEDIUM',
  appliesTo: ['aws_iam_role'],
  check(r, ctx) {
    const doc = ctx.policy(r.props.assume_role_policy);
    if (!doc || doc === 'unresolved') return [];
    return doc.statements.flatMap((s, i) => {
      if (s.effect !== 'Allow' || hasSourceCondition(s)) return [];
      const services = (s.principals ?? [])
        .filter((p) => p.type === 'Service')
        .flatMap((p) => p.identifiers.filter((id) => CONFUSED_DEPUTY_SERVICES.has(id)));
      return services.length
        ? [`trust ${stmtLabel(s, i)} for ${services.join(', ')} has no aws:SourceAccount/aws:SourceArn condition`]
        : [];
    });
  },
};
