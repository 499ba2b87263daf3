import { first, isFalse, isTrue } from '../../helpers';
import type { Rule } from '../../types';

/** Private API endpoint only (provider defaults are public=true, private=false, so both must be explicit). */
export const rule: Rule = {
  id: 'CKV_AWS_39',
  service: 'eks',
  checkovId: 'CKV_AWS_39',
  title: 'EKS cluster API endpoint is private',
  details: 'public access `false`, private access `true`',
  severity: 'HIGH',
  appliesTo: ['aws_eks_cluster'],
  check(r) {
    const vpc = first(r.props.vpc_config) ?? {};
    const out: string[] = [];
    if (!isFalse(vpc.endpoint_public_access)) out.push('vpc_config.endpoint_public_access is not false');
    if (!isTrue(vpc.endpoint_private_access)) out.push('vpc_config.endpoint_private_access is not true');
    return out;
  },
};
