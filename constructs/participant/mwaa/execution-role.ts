import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { PlatformStack } from '../../common/platform-stack';
import { serviceTrustPolicy } from '../../common/resource-policies';
import { mwaaExecutionRoleName, mwaaLogGroupPattern } from '../../../contracts/names';
import { CELERY_QUEUE_PREFIX } from '../../../contracts/sqs-endpoint-policy';
import { codeArtifactDomainArn, codeArtifactRepositoryArn, type PythonPackageMirror } from '../../../contracts/python-packages';
import { policyJson, type PolicyStatement } from '../../common/policy-document';

export interface ExecutionRoleProps {
  /** The MWAA environment the role serves. */
  readonly environmentName: string;
  /** The team's DAG bucket ARN: the only bucket the role reads. */
  readonly bucketArn: string;
  /**
   * The team's customer-managed key.
   * @default none: the environment uses an AWS owned key
   */
  readonly kmsKeyArn?: string;
  /**
   * Secrets Manager name prefixes the Airflow secrets backend reads.
   * @default none: no Secrets Manager access
   */
  readonly secretsBackend?: { readonly connectionsPrefix: string; readonly variablesPrefix: string };
  /**
   * The owner's CodeArtifact PyPI mirror the startup script and pip read (from the network contract).
   * @default none: no CodeArtifact access
   */
  readonly pythonPackageMirror?: PythonPackageMirror;
  /**
   * The role's name; IAM names are unique per account, so the recovery region's role carries the region.
   * @default `mwaaExecutionRoleName(environmentName)`
   */
  readonly roleName?: string;
}

/** ARN of an MWAA environment (known before it exists: the name is ours). */
export const environmentArn = (stack: PlatformStack, name: string): string =>
  stack.arn({ service: 'airflow', resource: 'environment', resourceName: name });

/**
 * The execution role of one environment, least privilege as in the MWAA user guide: metrics for this
 * environment only, read on the team's bucket only, its own `airflow-<env>-*` log groups, the Celery
 * queues MWAA creates (`airflow-celery-*`, in MWAA's account), KMS only through SQS/S3, and exactly the
 * configured Secrets Manager prefixes. Trusted by MWAA for this environment only (confused deputy).
 */
export class ExecutionRole extends Construct {
  public readonly roleArn: string;
  public readonly roleName: string;
  /** The permissions: MWAA checks them at creation, so the environment depends on this, not only on the role. */
  public readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: ExecutionRoleProps) {
    super(scope, id);
    const env = props.environmentName;
    const stack = PlatformStack.of(this);
    const { region, accountId } = stack;
    const envArn = environmentArn(stack, env);

    const role = new IamRole(this, 'role', {
      name: props.roleName ?? mwaaExecutionRoleName(env),
      description: `Execution role of MWAA environment ${env}`,
      assumeRolePolicy: serviceTrustPolicy({
        service: ['airflow.amazonaws.com', 'airflow-env.amazonaws.com'],
        sourceAccount: accountId,
        sourceArn: envArn,
      }),
    });

    const statements: PolicyStatement[] = [
      { Sid: 'PublishMetrics', Effect: 'Allow', Action: 'airflow:PublishMetrics', Resource: envArn },
      { Sid: 'DenyListAllBuckets', Effect: 'Deny', Action: 's3:ListAllMyBuckets', Resource: [props.bucketArn, `${props.bucketArn}/*`] },
      {
        Sid: 'ReadDagBucket',
        Effect: 'Allow',
        Action: ['s3:GetObject*', 's3:GetBucket*', 's3:List*'],
        Resource: [props.bucketArn, `${props.bucketArn}/*`],
      },
      // MWAA checks that the bucket cannot be public; the call has no resource-level permissions.
      { Sid: 'CheckAccountPublicAccessBlock', Effect: 'Allow', Action: 's3:GetAccountPublicAccessBlock', Resource: '*' },
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: [
          'logs:CreateLogStream',
          'logs:CreateLogGroup',
          'logs:PutLogEvents',
          'logs:GetLogEvents',
          'logs:GetLogRecord',
          'logs:GetLogGroupFields',
          'logs:GetQueryResults',
        ],
        Resource: stack.arn({ service: 'logs', resource: 'log-group', separator: ':', resourceName: mwaaLogGroupPattern(env) }),
      },
      { Sid: 'DescribeLogGroups', Effect: 'Allow', Action: 'logs:DescribeLogGroups', Resource: '*' },
      { Sid: 'PutMetricData', Effect: 'Allow', Action: 'cloudwatch:PutMetricData', Resource: '*' },
      {
        Sid: 'CeleryQueues',
        Effect: 'Allow',
        Action: [
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
          'sqs:SendMessage',
        ],
        // The queue lives in an MWAA-owned account, hence the account wildcard.
        // In MWAA's account, not ours.
        Resource: stack.arn({ service: 'sqs', account: '*', resource: `${CELERY_QUEUE_PREFIX}*` }),
      },
      props.kmsKeyArn
        ? {
            Sid: 'KmsThroughSqsAndS3',
            Effect: 'Allow',
            Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*', 'kms:Encrypt'],
            Resource: props.kmsKeyArn,
            Condition: { StringLike: { 'kms:ViaService': [`sqs.${region}.amazonaws.com`, `s3.${region}.amazonaws.com`] } },
          }
        : {
            // AWS owned key of the Celery queue: any key outside this account, used only through SQS.
            Sid: 'KmsThroughSqs',
            Effect: 'Allow',
            Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*', 'kms:Encrypt'],
            NotResource: stack.arn({ service: 'kms', region: '*', resource: 'key', resourceName: '*' }),
            Condition: { StringLike: { 'kms:ViaService': [`sqs.${region}.amazonaws.com`] } },
          },
    ];
    if (props.secretsBackend) {
      const secret = (prefix: string) =>
        stack.arn({ service: 'secretsmanager', resource: 'secret', separator: ':', resourceName: `${prefix}/*` });
      statements.push({
        Sid: 'ReadAirflowSecrets',
        Effect: 'Allow',
        Action: [
          'secretsmanager:GetSecretValue',
          'secretsmanager:DescribeSecret',
          'secretsmanager:GetResourcePolicy',
          'secretsmanager:ListSecretVersionIds',
        ],
        Resource: [...new Set([secret(props.secretsBackend.connectionsPrefix), secret(props.secretsBackend.variablesPrefix)])],
      });
    }

    if (props.pythonPackageMirror) {
      const mirror = props.pythonPackageMirror;
      statements.push(
        // The calls of the startup script (aws codeartifact get-authorization-token / get-repository-endpoint) and
        // of pip; the owner's domain and repository policies admit this role by name.
        {
          Sid: 'MirrorToken',
          Effect: 'Allow',
          Action: 'codeartifact:GetAuthorizationToken',
          Resource: codeArtifactDomainArn(stack, mirror),
        },
        {
          Sid: 'MirrorRead',
          Effect: 'Allow',
          Action: ['codeartifact:GetRepositoryEndpoint', 'codeartifact:ReadFromRepository'],
          Resource: codeArtifactRepositoryArn(stack, mirror),
        },
        // GetAuthorizationToken needs a bearer token for CodeArtifact, and only for it.
        {
          Sid: 'MirrorBearerToken',
          Effect: 'Allow',
          Action: 'sts:GetServiceBearerToken',
          Resource: '*',
          Condition: { StringEquals: { 'sts:AWSServiceName': 'codeartifact.amazonaws.com' } },
        },
      );
    }

    this.policy = new IamRolePolicy(this, 'policy', {
      role: role.id,
      name: 'mwaa-execution',
      policy: policyJson(statements),
    });
    this.roleArn = role.arn;
    this.roleName = role.name;
  }
}
