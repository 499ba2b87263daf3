import { first, nested, strings } from '../../helpers';
import type { Rule } from '../../types';

export const rule: Rule = {
  id: 'CKV_AWS_58',
  service: 'eks',
  checkovId: 'CKV_AWS_58',
  title: 'EKS cluster encrypts Kubernetes secrets with KMS',
  details: 'secrets encrypted with a KMS key',
  severity: 'HIGH',
  appliesTo: ['aws_eks_cluster'],
  check(r) {
    const ok = nested(r.props.encryption_config).some((c) => strings(c.resources).includes('secrets') && first(c.provider)?.key_arn);
    return ok ? [] : ['no encryption_config with resources ["secrets"] and a provider key_arn'];
  },
};
