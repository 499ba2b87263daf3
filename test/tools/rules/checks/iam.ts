import { stack, type RuleCases } from '../harness';

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const rolePolicy = (...s: object[]) => ({ aws_iam_role_policy: { exec: { role: '${aws_iam_role.exec.name}', policy: doc(...s) } } });
const P = 'aws_iam_role_policy.exec';
const role = (trust: string | object) => ({
  aws_iam_role: { exec: { name: 'mwaa-marketing-exec', assume_role_policy: typeof trust === 'string' ? trust : doc(trust) } },
});
const R = 'aws_iam_role.exec';
const mwaaTrust = (cond?: object) => ({
  Effect: 'Allow',
  Principal: { Service: ['airflow.amazonaws.com', 'airflow-env.amazonaws.com'] },
  Action: 'sts:AssumeRole',
  ...(cond ? { Condition: cond } : {}),
});
const oidc = 'arn:aws:iam::111111111111:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC';
const irsa = (cond?: object) => ({
  Effect: 'Allow',
  Principal: { Federated: oidc },
  Action: 'sts:AssumeRoleWithWebIdentity',
  ...(cond ? { Condition: cond } : {}),
});

export const cases: RuleCases[] = [
  {
    rule: 'CKV_AWS_63',
    compliant: [
      { name: 'scoped actions', stack: stack(rolePolicy({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::b/*' })) },
      {
        name: 'Deny "*" is fine',
        stack: stack(rolePolicy({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })),
      },
      {
        name: 'KMS key policy (resource policy) is out of scope',
        stack: stack({
          aws_kms_key: {
            k: { policy: doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::1:root' }, Action: 'kms:*', Resource: '*' }) },
          },
        }),
      },
    ],
    noncompliant: [
      {
        name: 'Action "*" in a role policy',
        stack: stack(rolePolicy({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b' })),
        resource: P,
        expect: /statement #1 allows Action "\*"/,
      },
      {
        name: 'Action "*" via aws_iam_policy_document',
        stack: stack(
          { aws_iam_policy: { admin: { name: 'x', policy: '${data.aws_iam_policy_document.admin.json}' } } },
          { aws_iam_policy_document: { admin: { statement: [{ sid: 'All', actions: ['*'], resources: ['*'] }] } } },
        ),
        resource: 'aws_iam_policy.admin',
        expect: /statement "All" allows Action/,
      },
      {
        name: 'inline_policy on the role with NotAction',
        stack: stack({
          aws_iam_role: {
            r: {
              assume_role_policy: doc(mwaaTrust()),
              inline_policy: [{ name: 'x', policy: doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }) }],
            },
          },
        }),
        resource: 'aws_iam_role.r',
        expect: /inline policy x .*NotAction/,
      },
    ],
  },
  {
    rule: 'CKV_AWS_355',
    compliant: [
      {
        name: 'read actions on "*"',
        stack: stack(
          rolePolicy({
            Effect: 'Allow',
            Action: ['ec2:Describe*', 'logs:DescribeLogGroups', 's3:GetAccountPublicAccessBlock', 'sqs:ListQueues'],
            Resource: '*',
          }),
        ),
      },
      {
        name: 'read actions in another case (IAM reads names case-insensitively)',
        stack: stack(rolePolicy({ Effect: 'Allow', Action: ['EC2:DESCRIBEVPCS', 's3:getobject'], Resource: '*' })),
      },
      { name: 'star-only write action', stack: stack(rolePolicy({ Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*' })) },
      {
        name: 'write actions on a scoped resource',
        stack: stack(rolePolicy({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:eu-west-1:*:airflow-celery-*' })),
      },
    ],
    noncompliant: [
      {
        name: 'write on "*"',
        stack: stack(
          rolePolicy({ Sid: 'Bad', Effect: 'Allow', Action: ['ec2:DescribeVpcs', 'ec2:ModifyVpcEndpoint', 's3:Put*'], Resource: '*' }),
        ),
        resource: P,
        expect: /statement "Bad" allows ec2:ModifyVpcEndpoint, s3:Put\* on Resource "\*"/,
      },
      {
        name: 'service wildcard on "*" from a policy document',
        stack: stack(
          { aws_iam_role_policy: { exec: { role: 'r', policy: '${data.aws_iam_policy_document.p.json}' } } },
          { aws_iam_policy_document: { p: { statement: { actions: ['sqs:*'], resources: ['*'] } } } },
        ),
        resource: P,
        expect: /sqs:\*/,
      },
    ],
  },
  {
    rule: 'CKV_AWS_60',
    compliant: [
      { name: 'service principal', stack: stack(role(mwaaTrust())) },
      {
        name: 'principal "*" narrowed by org condition',
        stack: stack(
          role({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } } }),
        ),
      },
    ],
    noncompliant: [
      {
        name: 'Principal "*"',
        stack: stack(role({ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' })),
        resource: R,
        expect: /Principal "\*" without a condition/,
      },
      {
        name: 'Principal {AWS: "*"}',
        stack: stack(role({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' })),
        resource: R,
        expect: /Principal "\*"/,
      },
    ],
  },
  {
    rule: 'IAM_TRUST_CONFUSED_DEPUTY',
    compliant: [
      {
        name: 'MWAA trust with aws:SourceAccount',
        stack: stack(role(mwaaTrust({ StringEquals: { 'aws:SourceAccount': '111111111111' } }))),
      },
      {
        name: 'policy document trust with aws:SourceArn',
        stack: stack(
          { aws_iam_role: { exec: { assume_role_policy: '${data.aws_iam_policy_document.trust.json}' } } },
          {
            aws_iam_policy_document: {
              trust: {
                statement: [
                  {
                    actions: ['sts:AssumeRole'],
                    principals: [{ type: 'Service', identifiers: ['events.amazonaws.com'] }],
                    condition: [{ test: 'ArnLike', variable: 'aws:SourceArn', values: ['arn:aws:events:eu-west-1:1:rule/*'] }],
                  },
                ],
              },
            },
          },
        ),
      },
      {
        name: 'lambda trust needs no source condition',
        stack: stack(role({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' })),
      },
    ],
    noncompliant: [
      {
        name: 'MWAA trust without condition',
        stack: stack(role(mwaaTrust())),
        resource: R,
        expect: /airflow-env\.amazonaws\.com, airflow\.amazonaws\.com has no aws:SourceAccount/,
      },
      {
        name: 'VPC flow-log trust without condition',
        stack: stack(role({ Effect: 'Allow', Principal: { Service: 'vpc-flow-logs.amazonaws.com' }, Action: 'sts:AssumeRole' })),
        resource: R,
        expect: /vpc-flow-logs\.amazonaws\.com has no aws:SourceAccount/,
      },
      {
        name: 'events trust with an unrelated condition',
        stack: stack(
          role({
            Effect: 'Allow',
            Principal: { Service: 'events.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { Bool: { 'aws:SecureTransport': 'true' } },
          }),
        ),
        resource: R,
        expect: /events\.amazonaws\.com/,
      },
    ],
  },
  {
    rule: 'IAM_IRSA_TRUST_SUB',
    compliant: [
      {
        name: 'sub pinned to a service account',
        stack: stack(
          role(
            irsa({
              StringEquals: {
                'oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub': 'system:serviceaccount:airflow:worker',
                'oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud': 'sts.amazonaws.com',
              },
            }),
          ),
        ),
      },
      { name: 'non-federated trust is out of scope', stack: stack(role(mwaaTrust())) },
    ],
    noncompliant: [
      {
        name: 'aud only',
        stack: stack(role(irsa({ StringEquals: { 'oidc.eks.eu-west-1.amazonaws.com/id/ABC:aud': 'sts.amazonaws.com' } }))),
        resource: R,
        expect: /no <issuer>:sub condition/,
      },
      {
        name: 'sub wildcard',
        stack: stack(role(irsa({ StringLike: { 'oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub': 'system:serviceaccount:*' } }))),
        resource: R,
        expect: /any service account/,
      },
    ],
  },
];
