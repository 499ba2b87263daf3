import { stack, type RuleCases } from '../harness';

const cluster = (over: Record<string, unknown> = {}) => ({
  aws_eks_cluster: {
    eks: {
      name: 'mwaa-marketing-eks',
      encryption_config: { resources: ['secrets'], provider: { key_arn: '${aws_kms_key.eks.arn}' } },
      vpc_config: { subnet_ids: ['subnet-1'], endpoint_private_access: true, endpoint_public_access: false },
      enabled_cluster_log_types: ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'],
      ...over,
    },
  },
});
const E = 'aws_eks_cluster.eks';

export const cases: RuleCases[] = [
  {
    rule: 'CKV_AWS_58',
    compliant: [{ name: 'secrets encrypted with KMS', stack: stack(cluster()) }],
    noncompliant: [
      {
        name: 'no encryption_config',
        stack: stack(cluster({ encryption_config: undefined })),
        resource: E,
        expect: /no encryption_config/,
      },
      {
        name: 'wrong resources',
        stack: stack(cluster({ encryption_config: [{ resources: ['configmaps'], provider: [{ key_arn: 'k' }] }] })),
        resource: E,
        expect: /secrets/,
      },
    ],
  },
  {
    rule: 'CKV_AWS_39',
    compliant: [{ name: 'private only', stack: stack(cluster()) }],
    noncompliant: [
      {
        name: 'public endpoint',
        stack: stack(cluster({ vpc_config: { endpoint_public_access: true, endpoint_private_access: true } })),
        resource: E,
        expect: /endpoint_public_access is not false/,
      },
      {
        name: 'provider defaults',
        stack: stack(cluster({ vpc_config: { subnet_ids: ['s'] } })),
        resource: E,
        expect: /endpoint_private_access is not true/,
      },
    ],
  },
  {
    rule: 'CKV_AWS_37',
    compliant: [{ name: 'all five log types', stack: stack(cluster()) }],
    noncompliant: [
      {
        name: 'only api and audit',
        stack: stack(cluster({ enabled_cluster_log_types: ['api', 'audit'] })),
        resource: E,
        expect: /missing authenticator, controllerManager, scheduler/,
      },
    ],
  },
];
