import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { PlatformStack } from '../../../constructs/common/platform-stack';
import { ReconcileReadRole } from '../../../constructs/participant/reconcile-read-role';
import { ParticipantStack } from '../../../stacks/participant-stack';
import { OwnerStack } from '../../../stacks/owner-stack';
import { loadFixture } from '../../support/config-fixture';
import { TestPlatformStack, only, synthPlatformScope } from '../../support/synth';

describe('PlatformStack.of', () => {
  it('finds the stack of a nested construct, with its account, region and partition', () => {
    const stack = new TestPlatformStack(Testing.app(), { accountId: '444455556666', region: 'eu-central-1' });
    const nested = new Construct(new Construct(stack, 'outer'), 'inner');
    expect(PlatformStack.of(nested)).toBe(stack);
    expect(PlatformStack.of(stack)).toBe(stack);
    const { accountId, region, partition } = PlatformStack.of(nested);
    expect({ accountId, region, partition }).toEqual({ accountId: '444455556666', region: 'eu-central-1', partition: 'aws' });
  });

  it.each([
    ['us-gov-west-1', 'aws-us-gov'],
    ['cn-north-1', 'aws-cn'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['eu-isoe-west-1', 'aws-iso-e'],
  ])('takes the partition from the region: %s is in %s', (region, partition) => {
    expect(new TestPlatformStack(Testing.app(), { region }).partition).toBe(partition);
  });

  it('gives constructs the ARNs of their stack’s partition and region (no hard-coded aws)', () => {
    const { tf } = synthPlatformScope(
      (scope) =>
        new ReconcileReadRole(scope, 'reconcile', { roleName: 'r', endpointManagerRoleArn: 'arn:aws-us-gov:iam::111111111111:role/m' }),
      { accountId: '444455556666', region: 'us-gov-west-1' },
    );
    const policy = JSON.parse(only(tf, 'aws_iam_role_policy').policy);
    expect(policy.Statement[1].Resource).toBe('arn:aws-us-gov:airflow:us-gov-west-1:444455556666:environment/*');
  });

  it('is the owner account in the owner stack and the team account in a participant stack', () => {
    const config = loadFixture();
    const marketing = config.teams.find((t) => t.team === 'marketing')!;
    const owner = new OwnerStack(Testing.app(), { config, mode: 'offline-preview' });
    const participant = new ParticipantStack(Testing.app(), {
      config,
      team: marketing,
      contract: config.contract!,
      mode: 'offline-preview',
    });
    expect(PlatformStack.of(owner.endpointManager).accountId).toBe('111111111111');
    expect(PlatformStack.of(participant.mwaa!).accountId).toBe('333333333333');
  });

  it('refuses a construct outside a PlatformStack, naming its path', () => {
    const plain = new Construct(new TerraformStack(Testing.app(), 'plain'), 'orphan');
    expect(() => PlatformStack.of(plain)).toThrow(
      'plain/orphan is not inside a PlatformStack: constructs read their account, region and partition from the stack',
    );
  });
});
