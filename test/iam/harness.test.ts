/** The simulator helper's guards: a table row must not pass by evaluating something AWS would not. */
import { decisions, simulate, terraformRefs } from '../support/iam';

const allowCreate = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:CreateVpcEndpoint', Resource: '*' }] };

describe('test/support/iam', () => {
  it('refuses a context key that does not apply to the action and resource type', async () => {
    await expect(
      simulate({
        identityPolicies: [allowCreate],
        action: 'ec2:CreateVpcEndpoint',
        resource: 'arn:aws:ec2:eu-west-1:111111111111:vpc/vpc-0123456789abcdef0',
        context: { 'ec2:VpceServiceName': 'x' },
      }),
    ).rejects.toThrow('context keys ec2:VpceServiceName do not apply to this action and resource type');
  });

  it('refuses an unknown action, a resource pattern and duplicate case names', async () => {
    await expect(
      simulate({ identityPolicies: [allowCreate], action: 'ec2:CreateVpcEndpoints', resource: '*', resourceAccount: '111111111111' }),
    ).rejects.toThrow('simulator rejected');
    await expect(
      simulate({ identityPolicies: [allowCreate], action: 'ec2:CreateVpcEndpoint', resource: 'arn:aws:ec2:eu-west-1:111111111111:vpc/*' }),
    ).rejects.toThrow('not a pattern');
    const c = {
      name: 'same',
      identityPolicies: [allowCreate],
      action: 'ec2:CreateVpcEndpoint',
      resource: 'arn:aws:ec2:eu-west-1:111111111111:vpc/vpc-0123456789abcdef0',
    };
    await expect(decisions([c, c])).rejects.toThrow('duplicate case name "same"');
  });

  it('resolves Terraform references to stable fake ids and ARNs, and names the ones it cannot', () => {
    const tf = { resource: { aws_vpc: { v: {} }, aws_sqs_queue: { q: { name: 'dlq' } } } };
    const refs = terraformRefs(tf, { region: 'eu-west-1', accountId: '111111111111' });
    const id = refs.resolve('${aws_vpc.v.id}');
    expect(id).toMatch(/^vpc-0[0-9a-f]{16}$/);
    expect(refs.resolve('${aws_vpc.v.arn}')).toBe(`arn:aws:ec2:eu-west-1:111111111111:vpc/${id}`);
    expect(refs.resolve('${join(",", [aws_sqs_queue.q.arn, "literal"])}')).toBe('arn:aws:sqs:eu-west-1:111111111111:dlq,literal');
    expect(() => refs.resolve('${aws_widget.w.id}')).toThrow('cannot resolve ${aws_widget.w.id}; pass it in scope.values');
    expect(
      terraformRefs(tf, { region: 'eu-west-1', accountId: '1', values: { '${aws_widget.w.id}': 'w-1' } }).resolve('${aws_widget.w.id}'),
    ).toBe('w-1');
  });
});
