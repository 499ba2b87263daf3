/**
 * The platform's alarm topics: the recovery region's endpoint-manager topic (owner account) and a recovered team's
 * heartbeat topic (team account), as synthesized, and their topic and key policies evaluated with the IAM simulator:
 * CloudWatch may publish (and use the key) for the named alarms of the account, nobody else may publish.
 */
import { Testing } from 'cdktf';
import { OwnerStack } from '../../../stacks/owner-stack';
import { ParticipantStack } from '../../../stacks/participant-stack';
import { decisions, type Decision, type SimulationCase } from '../../support/iam';
import { loadRecoveryExample } from '../../support/recovery-fixture';
import { resourcesOf } from '../../support/synth';

const OWNER = '111111111111';
const TEAM = '222222222222';
const config = loadRecoveryExample();
const owner = JSON.parse(Testing.synth(new OwnerStack(Testing.app(), { config, site: 'recovery' })));
const team = config.teams.find((t) => t.team === 'analytics')!;
const participant = JSON.parse(Testing.synth(new ParticipantStack(Testing.app(), { config, team, contract: config.contract! })));
const values = (tf: any, type: string): any[] => Object.values(resourcesOf(tf, type));

function topicOf(tf: any) {
  const [[id, topic]] = Object.entries(resourcesOf(tf, 'aws_sns_topic')) as [string, any][];
  const [policy] = values(tf, 'aws_sns_topic_policy');
  const keys = resourcesOf(tf, 'aws_kms_key');
  const keyId = /^\$\{aws_kms_key\.(.+)\.arn\}$/.exec(topic.kms_master_key_id)?.[1];
  return { id, topic, policy: JSON.parse(policy.policy), keyPolicy: JSON.parse(keys[keyId!].policy), policyTarget: policy.arn };
}

async function expectAll(cases: Array<SimulationCase & { expected: Decision }>) {
  expect(await decisions(cases)).toEqual(Object.fromEntries(cases.map((c) => [c.name, c.expected])));
}

describe('the recovery region endpoint manager’s alarm topic', () => {
  const { id, topic, policyTarget } = topicOf(owner);

  it('is a topic of the recovery region named with it, encrypted with a key of its own', () => {
    expect(topic.name).toBe('acme-data-us-west-2-endpoint-manager-alarms');
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\..+\.arn\}$/);
    expect(policyTarget).toBe(`\${aws_sns_topic.${id}.arn}`);
    expect(values(owner, 'aws_kms_alias').map((a) => a.name)).toContain('alias/acme-data-us-west-2-endpoint-manager-alarms');
  });

  it('is what the endpoint manager’s DLQ, errors and throttles alarms notify', () => {
    const alarms = values(owner, 'aws_cloudwatch_metric_alarm');
    expect(alarms.map((a) => a.alarm_name).sort()).toEqual([
      'acme-data-us-west-2-endpoint-manager-dlq-depth',
      'acme-data-us-west-2-endpoint-manager-errors',
      'acme-data-us-west-2-endpoint-manager-throttles',
    ]);
    for (const alarm of alarms) {
      expect(alarm.alarm_actions).toEqual([`\${aws_sns_topic.${id}.arn}`]);
      expect(alarm.ok_actions).toEqual([`\${aws_sns_topic.${id}.arn}`]);
    }
  });

  it('is published to by exactly those alarms', () => {
    const { policy } = topicOf(owner);
    const allow = policy.Statement.find((s: any) => s.Sid === 'CloudWatchAlarmsPublish');
    expect(allow.Condition).toEqual({
      StringEquals: { 'aws:SourceAccount': OWNER },
      ArnLike: {
        'aws:SourceArn': ['dlq-depth', 'errors', 'throttles'].map(
          (k) => `arn:aws:cloudwatch:us-west-2:${OWNER}:alarm:acme-data-us-west-2-endpoint-manager-${k}`,
        ),
      },
    });
  });

  it('is absent from the primary owner stack, which keeps platform.yaml’s topic', () => {
    const primary = JSON.parse(Testing.synth(new OwnerStack(Testing.app(), { config })));
    expect(resourcesOf(primary, 'aws_sns_topic')).toEqual({});
    expect(resourcesOf(primary, 'aws_sns_topic_policy')).toEqual({});
  });
});

describe('a recovered team’s heartbeat alarm topic, simulated', () => {
  const { topic, policy, keyPolicy } = topicOf(participant);
  const TOPIC = `arn:aws:sns:eu-west-1:${TEAM}:acme-data-analytics-recovery-alarms`;
  const KEY = `arn:aws:kms:eu-west-1:${TEAM}:key/11111111-2222-4333-8444-555555555555`;
  const HEARTBEAT = `arn:aws:cloudwatch:eu-west-1:${TEAM}:alarm:analytics-prod-scheduler-heartbeat`;
  const OTHER_ALARM = `arn:aws:cloudwatch:eu-west-1:${TEAM}:alarm:somebody-elses-alarm`;
  const cloudWatch = (sourceArn: string, sourceAccount = TEAM) => ({
    principal: 'cloudwatch.amazonaws.com',
    identityPolicies: [],
    context: {
      'aws:SourceAccount': sourceAccount,
      'aws:SourceArn': sourceArn,
      'aws:PrincipalServiceName': 'cloudwatch.amazonaws.com',
      'aws:SecureTransport': 'true',
    },
  });
  /** A role of the team's account whose IAM policy allows everything on SNS. */
  const adminOfTheAccount = {
    principal: `arn:aws:iam::${TEAM}:role/Admin`,
    identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sns:*', Resource: '*' }] }],
    context: { 'aws:SecureTransport': 'true' },
  };

  it('is named for the team and encrypted with its own key', () => {
    expect(topic.name).toBe('acme-data-analytics-recovery-alarms');
    expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\..+\.arn\}$/);
  });

  it('lets the heartbeat alarm publish and nobody else', () =>
    expectAll([
      {
        name: 'the heartbeat alarm publishes',
        ...cloudWatch(HEARTBEAT),
        action: 'sns:Publish',
        resource: TOPIC,
        resourcePolicy: policy,
        expected: 'Allowed',
      },
      {
        name: 'another alarm of the account does not',
        ...cloudWatch(OTHER_ALARM),
        action: 'sns:Publish',
        resource: TOPIC,
        resourcePolicy: policy,
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'an alarm of another account (same name) does not',
        ...cloudWatch(`arn:aws:cloudwatch:eu-west-1:999999999999:alarm:analytics-prod-scheduler-heartbeat`, '999999999999'),
        action: 'sns:Publish',
        resource: TOPIC,
        resourcePolicy: policy,
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'a role of the account allowed sns:* by IAM does not',
        ...adminOfTheAccount,
        action: 'sns:Publish',
        resource: TOPIC,
        resourcePolicy: policy,
        expected: 'ExplicitlyDenied',
      },
      {
        name: 'that role still manages the topic',
        ...adminOfTheAccount,
        action: 'sns:Subscribe',
        resource: TOPIC,
        resourcePolicy: policy,
        expected: 'Allowed',
      },
      {
        name: 'the platform’s owner account subscribes',
        principal: `arn:aws:iam::${OWNER}:role/PlatformAlerts`,
        identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sns:Subscribe', Resource: TOPIC }] }],
        context: { 'aws:SecureTransport': 'true' },
        action: 'sns:Subscribe',
        resource: TOPIC,
        resourcePolicy: policy,
        expected: 'Allowed',
      },
      {
        name: 'the owner account does not publish',
        principal: `arn:aws:iam::${OWNER}:role/PlatformAlerts`,
        identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sns:Publish', Resource: TOPIC }] }],
        context: { 'aws:SecureTransport': 'true' },
        action: 'sns:Publish',
        resource: TOPIC,
        resourcePolicy: policy,
        expected: 'ExplicitlyDenied',
      },
    ]));

  it('lets CloudWatch use the key for the heartbeat alarm only', () =>
    expectAll([
      {
        name: 'CloudWatch generates a data key for the heartbeat alarm',
        ...cloudWatch(HEARTBEAT),
        action: 'kms:GenerateDataKey',
        resource: KEY,
        resourcePolicy: keyPolicy,
        expected: 'Allowed',
      },
      {
        name: 'and decrypts',
        ...cloudWatch(HEARTBEAT),
        action: 'kms:Decrypt',
        resource: KEY,
        resourcePolicy: keyPolicy,
        expected: 'Allowed',
      },
      {
        name: 'not for another alarm',
        ...cloudWatch(OTHER_ALARM),
        action: 'kms:Decrypt',
        resource: KEY,
        resourcePolicy: keyPolicy,
        expected: 'ImplicitlyDenied',
      },
      {
        name: 'nor to manage the key',
        ...cloudWatch(HEARTBEAT),
        action: 'kms:ScheduleKeyDeletion',
        resource: KEY,
        resourcePolicy: keyPolicy,
        expected: 'ImplicitlyDenied',
      },
    ]));
});

describe('no topic without recovery', () => {
  it('a team with no recovered environment gets no topic and no key for one', () => {
    const none = loadRecoveryExample({ modes: { analytics: { 'analytics-prod': 'warm-standby' } } });
    const marketing = none.teams.find((t) => t.team === 'marketing')!;
    const tf = JSON.parse(Testing.synth(new ParticipantStack(Testing.app(), { config: none, team: marketing, contract: none.contract! })));
    expect(resourcesOf(tf, 'aws_sns_topic')).toEqual({});
    expect(resourcesOf(tf, 'aws_sns_topic_policy')).toEqual({});
  });
});
