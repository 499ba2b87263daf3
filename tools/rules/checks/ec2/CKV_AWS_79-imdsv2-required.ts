import { first, isToken } from '../../helpers';
import type { Rule } from '../../types';

/**
 * IMDSv2 only (http_tokens=required) on instances and launch templates. A managed node group without a launch
 * template gets EKS's generated one, which leaves IMDSv1 on, so it must name a template.
 */
export const rule: Rule = {
  id: 'CKV_AWS_79',
  service: 'ec2',
  checkovId: 'CKV_AWS_79',
  title: 'Instance metadata requires IMDSv2',
  details: '`http_tokens = required` on launch templates and instances; managed node groups must name a launch template',
  severity: 'HIGH',
  appliesTo: ['aws_launch_template', 'aws_instance', 'aws_eks_node_group'],
  check(r) {
    if (r.type === 'aws_eks_node_group') {
      return first(r.props.launch_template) ? [] : ['node group has no launch_template, so nodes use a template with IMDSv1 enabled'];
    }
    const tokens = first(r.props.metadata_options)?.http_tokens;
    return tokens === 'required' || isToken(tokens)
      ? []
      : [`metadata_options.http_tokens is ${tokens === undefined ? 'unset' : String(tokens)}, not required`];
  },
};
