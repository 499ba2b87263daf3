import { stack, type RuleCases } from '../harness';

export const cases: RuleCases[] = [
  {
    rule: 'CKV_AWS_7',
    compliant: [
      { name: 'rotation on', stack: stack({ aws_kms_key: { k: { enable_key_rotation: true } } }) },
      {
        name: 'asymmetric key cannot rotate',
        stack: stack({ aws_kms_key: { k: { customer_master_key_spec: 'RSA_2048', key_usage: 'SIGN_VERIFY' } } }),
      },
    ],
    noncompliant: [
      {
        name: 'rotation unset',
        stack: stack({ aws_kms_key: { k: { description: 'dags' } } }),
        resource: 'aws_kms_key.k',
        expect: /enable_key_rotation is not true/,
      },
      {
        name: 'rotation "false"',
        stack: stack({ aws_kms_key: { k: { enable_key_rotation: 'false' } } }),
        resource: 'aws_kms_key.k',
        expect: /enable_key_rotation/,
      },
    ],
  },
];
