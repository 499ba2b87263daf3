import { Construct } from 'constructs';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { PlatformStack } from './platform-stack';
import { policyJson } from './policy-document';
import { denyInsecureTransport } from './resource-policies';

export interface AlarmTopicProps {
  /** Topic name (unique per account and region); the key's alias is `alias/<name>`. */
  readonly name: string;
  /** Names of the CloudWatch alarms of this stack's account and region that publish to the topic. */
  readonly alarmNames: readonly string[];
  /**
   * Other accounts that may subscribe their endpoints (the platform's owner account, for a team's topic).
   * @default none: only this account's principals subscribe, through their IAM permissions
   */
  readonly subscriberAccountIds?: readonly string[];
}

export const CLOUDWATCH_SERVICE = 'cloudwatch.amazonaws.com';

export interface AlarmTopicPolicyInput {
  readonly topicArn: string;
  readonly accountId: string;
  readonly alarmArns: readonly string[];
  readonly subscriberAccountIds: readonly string[];
  readonly partition: string;
}

/**
 * The topic's policy: CloudWatch may publish for the named alarms of this account (the confused-deputy guards of
 * the SNS developer guide), every other publisher is denied, even a principal of this account whose IAM policy
 * allows sns:Publish; the listed accounts may subscribe. Pure, so the IAM simulation evaluates what is deployed.
 */
export function alarmTopicPolicy(p: AlarmTopicPolicyInput): string {
  return policyJson([
    {
      Sid: 'CloudWatchAlarmsPublish',
      Effect: 'Allow',
      Principal: { Service: CLOUDWATCH_SERVICE },
      Action: 'sns:Publish',
      Resource: p.topicArn,
      Condition: { StringEquals: { 'aws:SourceAccount': p.accountId }, ArnLike: { 'aws:SourceArn': [...p.alarmArns] } },
    },
    {
      // aws:PrincipalServiceName is set only when an AWS service principal calls: absent for users and roles.
      Sid: 'NobodyElsePublishes',
      Effect: 'Deny',
      Principal: '*',
      Action: 'sns:Publish',
      Resource: p.topicArn,
      Condition: { StringNotEqualsIfExists: { 'aws:PrincipalServiceName': CLOUDWATCH_SERVICE } },
    },
    p.subscriberAccountIds.length > 0 && {
      Sid: 'SubscriberAccounts',
      Effect: 'Allow',
      Principal: { AWS: p.subscriberAccountIds.map((account) => `arn:${p.partition}:iam::${account}:root`) },
      Action: ['sns:Subscribe', 'sns:GetTopicAttributes'],
      Resource: p.topicArn,
    },
    denyInsecureTransport('sns:Publish', p.topicArn),
  ]);
}

export interface AlarmTopicKeyPolicyInput {
  readonly accountId: string;
  readonly alarmArns: readonly string[];
  readonly partition: string;
}

/**
 * The topic key's policy. CloudWatch publishes to an encrypted topic only with kms:Decrypt and
 * kms:GenerateDataKey* on its key (SNS developer guide, "compatibility with AWS services"), which an AWS managed
 * key (`aws/sns`) cannot grant: hence a key of our own, usable by CloudWatch for these alarms only.
 */
export function alarmTopicKeyPolicy(p: AlarmTopicKeyPolicyInput): string {
  return policyJson([
    {
      Sid: 'AccountRootDelegatesToIam',
      Effect: 'Allow',
      Principal: { AWS: `arn:${p.partition}:iam::${p.accountId}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
    {
      Sid: 'CloudWatchAlarmsEncrypt',
      Effect: 'Allow',
      Principal: { Service: CLOUDWATCH_SERVICE },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceAccount': p.accountId }, ArnLike: { 'aws:SourceArn': [...p.alarmArns] } },
    },
  ]);
}

/**
 * An SNS topic for the platform's CloudWatch alarms, encrypted with a key of its own that CloudWatch may use,
 * published to by those alarms only. Subscriptions are the platform's business (email, chat, the owner account's
 * queue): the topic is an output of its stack.
 */
export class AlarmTopic extends Construct {
  public readonly topicArn: string;
  public readonly keyArn: string;
  /** The topic's and the key's policies as deployed, for the IAM simulation. */
  public readonly topicPolicy: string;
  public readonly keyPolicy: string;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    if (props.alarmNames.length === 0) throw new Error(`AlarmTopic ${props.name}: name the alarms that publish to it`);
    const stack = PlatformStack.of(this);
    const { accountId, partition } = stack;
    const alarmArns = [...props.alarmNames]
      .sort()
      .map((name) => stack.arn({ service: 'cloudwatch', resource: 'alarm', separator: ':', resourceName: name }));
    this.keyPolicy = alarmTopicKeyPolicy({ accountId, alarmArns, partition });
    const key = new KmsKey(this, 'key', {
      description: `SNS topic ${props.name}: CloudWatch alarm notifications`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: this.keyPolicy,
      tags: { Name: props.name },
    });
    new KmsAlias(this, 'alias', { name: `alias/${props.name}`, targetKeyId: key.keyId });
    const topic = new SnsTopic(this, 'topic', { name: props.name, kmsMasterKeyId: key.arn });
    this.topicPolicy = alarmTopicPolicy({
      topicArn: stack.arn({ service: 'sns', resource: props.name }),
      accountId,
      alarmArns,
      subscriberAccountIds: [...new Set(props.subscriberAccountIds ?? [])].filter((a) => a !== accountId).sort(),
      partition,
    });
    new SnsTopicPolicy(this, 'policy', { arn: topic.arn, policy: this.topicPolicy });
    this.topicArn = topic.arn;
    this.keyArn = key.arn;
  }
}
