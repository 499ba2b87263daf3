import { strings } from '../../helpers';
import type { Rule } from '../../types';

const ALL = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'];

export const rule: Rule = {
  id: 'CKV_AWS_37',
  service: 'eks',
  checkovId: 'CKV_AWS_37',
  title: 'EKS cluster sends all control-plane log types',
  details: 'all five control-plane log types',
  severity: 'MEDIUM',
  appliesTo: ['aws_eks_cluster'],
  check(r) {
    const enabled = strings(r.props.enabled_cluster_log_types);
    const missing = ALL.filter((t) => !enabled.includes(t));
    return missing.length ? [`enabled_cluster_log_types is missing ${missing.join(', ')}`] : [];
  },
};
