import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing, type App } from 'cdktf';
import type { Construct } from 'constructs';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { MwaaEnvironment } from '@cdktf/provider-aws/lib/mwaa-environment';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SqsQueue } from '@cdktf/provider-aws/lib/sqs-queue';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { loadPlatformConfig } from '../../model/load';
import type { PlatformConfig } from '../../model/model';
import { buildApp } from '../../stacks/app';
import { ParticipantStack } from '../../stacks/participant-stack';
import { PlatformStack } from '../../constructs/common/platform-stack';
import { DuplicateNameError, NAMED_RESOURCES, assertUniqueNames, findNameClashes } from '../../stacks/unique-names';
import { fixtureConfigWith, loadFixture } from '../support/config-fixture';

const SHARED = '222222222222';
/** buildApp writes the Kubernetes manifests at construction: keep them out of the repository. */
const outdir = () => join(mkdtempSync(join(tmpdir(), 'shared-account-')), 'cdktf.out');

/** The example plus team `billing` in analytics' account, with one environment. */
function sharedAccountConfig(): PlatformConfig {
  const dir = fixtureConfigWith({
    files: {
      'teams/billing.yaml': [
        'team: billing',
        `accountId: "${SHARED}"`,
        'environments:',
        '  - name: billing-prod',
        '    airflowVersion: "2.10.3"',
        '    environmentClass: mw1.small',
        '',
      ].join('\n'),
    },
  });
  return loadPlatformConfig(dir);
}

const tfOf = (stack: ParticipantStack) => JSON.parse(Testing.synth(stack));
const participants = (app: App) => app.node.children.filter((c): c is ParticipantStack => c instanceof ParticipantStack);
const roleNames = (tf: any) => Object.values(tf.resource?.aws_iam_role ?? {}).map((r: any) => r.name);

describe('several teams in one account', () => {
  const config = sharedAccountConfig();
  const app = buildApp(config, { outdir: outdir(), mode: 'offline-preview' });
  const byTeam = new Map(participants(app).map((s) => [s.team.team, tfOf(s)]));

  it('declares the account reconcile role exactly once: in the stack of the account first team by name', () => {
    const holders = [...byTeam].filter(([, tf]) => roleNames(tf).includes('acme-data-mwaa-endpoint-reconcile')).map(([team]) => team);
    // analytics and billing share 222222222222; marketing has its own account and role.
    expect(holders.sort()).toEqual(['analytics', 'marketing']);
    expect(roleNames(byTeam.get('billing'))).not.toContain('acme-data-mwaa-endpoint-reconcile');
  });

  it('forwards each status event once: every team rule matches only its own environments', () => {
    const patternOf = (team: string) =>
      JSON.parse((Object.values(byTeam.get(team).resource.aws_cloudwatch_event_rule)[0] as any).event_pattern);
    expect(patternOf('analytics').resources).toEqual([`arn:aws:airflow:eu-west-1:${SHARED}:environment/analytics-prod`]);
    expect(patternOf('billing').resources).toEqual([`arn:aws:airflow:eu-west-1:${SHARED}:environment/billing-prod`]);
    expect(patternOf('billing')).toMatchObject({ source: ['aws.airflow'], 'detail-type': ['MWAA Environment Status Change'] });
  });

  it('gives every other named resource of the account a per-team name (the synthesis check passes)', () => {
    expect(findNameClashes(app)).toEqual([]);
  });

  it('creates an environment only after its forwarding target, so the first PENDING event is forwarded', () => {
    const tf = byTeam.get('billing');
    const [targetId] = Object.keys(tf.resource.aws_cloudwatch_event_target);
    const env = Object.values(tf.resource.aws_mwaa_environment)[0] as any;
    expect(env.depends_on).toContain(`aws_cloudwatch_event_target.${targetId}`);
  });

  it('has no forwarder for a team without environments, but keeps its reconcile role when it holds it', () => {
    const example = loadFixture();
    const noEnvs: PlatformConfig = {
      ...example,
      teams: example.teams.map((t) => (t.team === 'marketing' ? { ...t, environments: [] } : t)),
    };
    const marketing = participants(buildApp(noEnvs, { outdir: outdir(), mode: 'offline-preview' })).find(
      (s) => s.team.team === 'marketing',
    )!;
    const tf = tfOf(marketing);
    expect(tf.resource.aws_cloudwatch_event_rule).toBeUndefined();
    expect(roleNames(tf)).toEqual(['acme-data-mwaa-endpoint-reconcile']);
  });

  it('refuses the pre-fix layout (every team declaring the reconcile role), naming both stacks and the role', () => {
    const clashing = Testing.app();
    for (const team of config.teams) new ParticipantStack(clashing, { config, team, contract: config.contract!, mode: 'offline-preview' });
    expect(() => assertUniqueNames(clashing)).toThrow(DuplicateNameError);
    expect(() => assertUniqueNames(clashing)).toThrow(
      /IAM role "acme-data-mwaa-endpoint-reconcile" \(unique per account 222222222222\) is declared by participant-analytics\/aws_iam_role\.[\w-]+ and by participant-billing\/aws_iam_role\.[\w-]+/,
    );
  });
});

/** A bare stack bound to an account, for clashes the example cannot produce. */
class AccountStack extends PlatformStack {
  constructor(scope: Construct, id: string, accountId: string) {
    super(scope, id, { platform: loadFixture().platform, accountId, team: id, mode: 'offline-preview' });
  }
}

const declare: Record<keyof typeof NAMED_RESOURCES, (s: Construct, name: string) => void> = {
  aws_iam_role: (s, name) => new IamRole(s, 'r', { name, assumeRolePolicy: '{}' }),
  aws_iam_policy: (s, name) => new IamPolicy(s, 'r', { name, policy: '{}' }),
  aws_iam_instance_profile: (s, name) => new IamInstanceProfile(s, 'r', { name }),
  aws_cloudwatch_event_rule: (s, name) => new CloudwatchEventRule(s, 'r', { name, eventPattern: '{}' }),
  aws_cloudwatch_log_group: (s, name) => new CloudwatchLogGroup(s, 'r', { name }),
  aws_sqs_queue: (s, name) => new SqsQueue(s, 'r', { name }),
  aws_sns_topic: (s, name) => new SnsTopic(s, 'r', { name }),
  aws_s3_bucket: (s, name) => new S3Bucket(s, 'r', { bucket: name }),
  aws_secretsmanager_secret: (s, name) => new SecretsmanagerSecret(s, 'r', { name }),
  aws_kms_alias: (s, name) => new KmsAlias(s, 'r', { name: `alias/${name}`, targetKeyId: 'k' }),
  aws_ssm_parameter: (s, name) => new SsmParameter(s, 'r', { name: `/${name}`, type: 'String', value: 'v' }),
  aws_eks_cluster: (s, name) => new EksCluster(s, 'r', { name, roleArn: 'arn:aws:iam::1:role/r', vpcConfig: { subnetIds: ['subnet-1'] } }),
  aws_mwaa_environment: (s, name) =>
    new MwaaEnvironment(s, 'r', {
      name,
      dagS3Path: 'dags',
      executionRoleArn: 'arn:aws:iam::1:role/r',
      sourceBucketArn: 'arn:aws:s3:::b',
      networkConfiguration: { securityGroupIds: ['sg-1'], subnetIds: ['subnet-1', 'subnet-2'] },
    }),
};

function twoStacks(
  type: keyof typeof NAMED_RESOURCES,
  accounts: [string, string],
  names: [string, string] = ['same-name', 'same-name'],
): App {
  const app = Testing.app();
  declare[type](new AccountStack(app, 'first-stack', accounts[0]), names[0]);
  declare[type](new AccountStack(app, 'second-stack', accounts[1]), names[1]);
  return app;
}

describe('synthesis-time check: one name per named resource', () => {
  const types = Object.keys(NAMED_RESOURCES) as Array<keyof typeof NAMED_RESOURCES>;

  it.each(types)('refuses two stacks of one account declaring the same %s name, naming both stacks and the resource', (type) => {
    const clashes = findNameClashes(twoStacks(type, [SHARED, SHARED]));
    expect(clashes).toHaveLength(1);
    expect(clashes[0]).toMatchObject({
      what: NAMED_RESOURCES[type].what,
      first: `first-stack/${type}.r`,
      second: `second-stack/${type}.r`,
    });
    expect(clashes[0].name).toContain('same-name');
  });

  it.each(types.filter((t) => t !== 'aws_s3_bucket'))('allows the same %s name in two accounts', (type) => {
    expect(findNameClashes(twoStacks(type, [SHARED, '333333333333']))).toEqual([]);
  });

  it('refuses the same S3 bucket name in two accounts: bucket names are global', () => {
    expect(() => assertUniqueNames(twoStacks('aws_s3_bucket', [SHARED, '333333333333']))).toThrow(
      'S3 bucket "same-name" (unique per every account) is declared by first-stack/aws_s3_bucket.r and by second-stack/aws_s3_bucket.r',
    );
  });

  it('allows different names in one account', () => {
    for (const type of types) expect(findNameClashes(twoStacks(type, [SHARED, SHARED], ['name-a', 'name-b']))).toEqual([]);
  });

  it('allows one rule name on two event buses, refuses it twice on one bus', () => {
    const onBuses = (buses: [string | undefined, string | undefined]) => {
      const app = Testing.app();
      buses.forEach(
        (bus, i) =>
          new CloudwatchEventRule(new AccountStack(app, `stack-${i}`, SHARED), 'r', {
            name: 'rule',
            eventPattern: '{}',
            eventBusName: bus,
          }),
      );
      return findNameClashes(app);
    };
    expect(onBuses([undefined, 'custom'])).toEqual([]);
    expect(onBuses([undefined, 'default'])).toHaveLength(1);
  });

  it('passes the example configuration', () => {
    expect(() => buildApp(loadFixture(), { outdir: outdir(), mode: 'offline-preview' })).not.toThrow();
  });
});
