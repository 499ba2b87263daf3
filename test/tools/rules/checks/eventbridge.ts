import { stack, type RuleCases } from '../harness';

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const busPolicy = (s: object) => ({
  aws_cloudwatch_event_bus_policy: { p: { event_bus_name: '${aws_cloudwatch_event_bus.bus.name}', policy: doc(s) } },
});

export const cases: RuleCases[] = [
  {
    rule: 'EVENTBRIDGE_BUS_POLICY',
    compliant: [
      {
        name: 'org-conditioned "*"',
        stack: stack(
          busPolicy({
            Effect: 'Allow',
            Principal: '*',
            Action: 'events:PutEvents',
            Resource: '*',
            Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } },
          }),
        ),
      },
      {
        name: 'named accounts',
        stack: stack(
          busPolicy({ Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::222222222222:root'] }, Action: 'events:PutEvents', Resource: '*' }),
        ),
      },
      {
        name: 'permission with condition',
        stack: stack({
          aws_cloudwatch_event_permission: {
            p: { principal: '*', statement_id: 'org', condition: { key: 'aws:PrincipalOrgID', type: 'StringEquals', value: 'o-1' } },
          },
        }),
      },
    ],
    noncompliant: [
      {
        name: 'open bus policy',
        stack: stack(busPolicy({ Effect: 'Allow', Principal: '*', Action: 'events:PutEvents', Resource: '*' })),
        resource: 'aws_cloudwatch_event_bus_policy.p',
        expect: /Principal "\*" without a condition/,
      },
      {
        name: 'open permission',
        stack: stack({ aws_cloudwatch_event_permission: { p: { principal: '*', statement_id: 'all' } } }),
        resource: 'aws_cloudwatch_event_permission.p',
        expect: /principal "\*"/,
      },
    ],
  },
];
