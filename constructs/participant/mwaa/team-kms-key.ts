import { Construct } from 'constructs';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { mwaaLogGroupPattern } from '../../../contracts/names';
import { PlatformStack } from '../../common/platform-stack';
import { policyJson } from '../../common/policy-document';

export interface TeamKmsKeyProps {
  /** Resource name prefix, e.g. `acme-data-analytics`. */
  readonly name: string;
  /** The team's environment names: the key may encrypt only their log groups. */
  readonly environmentNames: readonly string[];
  /**
   * Days before a deleted key is destroyed.
   * @default 30
   */
  readonly deletionWindowInDays?: number;
}

/**
 * The team's customer-managed key for its DAG bucket, environments and their log groups. The key
 * policy follows the MWAA user guide: the account root delegates to IAM (the deploy role creates
 * MWAA's grants; execution roles use it through S3/SQS by `kms:ViaService`), and CloudWatch Logs may
 * use it only for the environments' `airflow-<env>-*` log groups.
 */
export class TeamKmsKey extends Construct {
  public readonly keyArn: string;
  public readonly keyId: string;

  constructor(scope: Construct, id: string, props: TeamKmsKeyProps) {
    super(scope, id);
    const stack = PlatformStack.of(this);
    const { region } = stack;
    const key = new KmsKey(this, 'key', {
      description: `MWAA environments, DAG bucket and logs of ${props.name}`,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      policy: policyJson([
        {
          Sid: 'AccountRootDelegatesToIam',
          Effect: 'Allow',
          Principal: { AWS: stack.arn({ service: 'iam', region: '', resource: 'root' }) },
          Action: 'kms:*',
          Resource: '*',
        },
        {
          Sid: 'CloudWatchLogsForAirflowLogGroups',
          Effect: 'Allow',
          Principal: { Service: `logs.${region}.amazonaws.com` },
          Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          Resource: '*',
          Condition: {
            ArnLike: {
              'kms:EncryptionContext:aws:logs:arn': props.environmentNames.map((env) =>
                stack.arn({ service: 'logs', resource: 'log-group', separator: ':', resourceName: mwaaLogGroupPattern(env) }),
              ),
            },
          },
        },
      ]),
      tags: { Name: `${props.name}-mwaa` },
    });
    new KmsAlias(this, 'alias', { name: `alias/${props.name}-mwaa`, targetKeyId: key.keyId });
    this.keyArn = key.arn;
    this.keyId = key.keyId;
  }
}
