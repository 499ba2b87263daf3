import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { loadFixture, FIXTURE_ROOT } from '../../../support/config-fixture';
import { readTeamArtifacts } from '../../../../model/artifacts';
import { addressOf, configWith, resourceNamed, resourcesOf, synthParticipant } from './support';

const example = loadFixture();
const analytics = synthParticipant(example, 'analytics');
const marketing = synthParticipant(example, 'marketing');
const bucketRef = (tf: any, attribute: string) => `\${${addressOf(tf, 'aws_s3_bucket', 'mwaa_dag-bucket')}.${attribute}}`;
const md5 = (text: string | Buffer) => createHash('md5').update(text).digest('hex');
const base64 = (text: string | Buffer) => Buffer.from(text).toString('base64');

describe('the DAG bucket', () => {
  it('is named after platform, team and account', () => {
    expect(resourceNamed(analytics.tf, 'aws_s3_bucket', 'mwaa_dag-bucket').bucket).toBe('acme-data-analytics-mwaa-222222222222');
    expect(resourceNamed(marketing.tf, 'aws_s3_bucket', 'mwaa_dag-bucket').bucket).toBe('acme-data-marketing-mwaa-333333333333');
  });

  it('has versioning on (MWAA requires it)', () => {
    expect(analytics.json).toHaveResourceWithProperties(S3BucketVersioningA, {
      bucket: bucketRef(analytics.tf, 'id'),
      versioning_configuration: { status: 'Enabled' },
    });
  });

  it('blocks every kind of public access', () => {
    expect(analytics.json).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      bucket: bucketRef(analytics.tf, 'id'),
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
  });

  it('enforces bucket-owner object ownership (no ACLs)', () => {
    expect(analytics.json).toHaveResourceWithProperties(S3BucketOwnershipControls, {
      bucket: bucketRef(analytics.tf, 'id'),
      rule: { object_ownership: 'BucketOwnerEnforced' },
    });
  });

  it("encrypts with the team's customer-managed key when it asks for one", () => {
    expect(resourceNamed(analytics.tf, 'aws_s3_bucket_server_side_encryption_configuration', 'mwaa_dag-bucket').rule).toEqual([
      {
        apply_server_side_encryption_by_default: {
          sse_algorithm: 'aws:kms',
          kms_master_key_id: `\${${addressOf(analytics.tf, 'aws_kms_key', 'mwaa_kms-key')}.arn}`,
        },
        bucket_key_enabled: true,
      },
    ]);
  });

  it('encrypts with SSE-KMS under the AWS managed key otherwise', () => {
    expect(resourceNamed(marketing.tf, 'aws_s3_bucket_server_side_encryption_configuration', 'mwaa_dag-bucket').rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms' }, bucket_key_enabled: true },
    ]);
  });

  it('denies every request without TLS', () => {
    const policy = JSON.parse(resourceNamed(analytics.tf, 'aws_s3_bucket_policy', 'mwaa_dag-bucket').policy);
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [bucketRef(analytics.tf, 'arn'), `${bucketRef(analytics.tf, 'arn')}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    });
  });
});

describe("the team's DAG folder", () => {
  it('uploads each file under dags/ with its bytes (base64, never evaluated) and MD5, after versioning is on', () => {
    const file = readFileSync(join(FIXTURE_ROOT, 'teams/analytics/dags/daily_sales.py'));
    expect(resourceNamed(analytics.tf, 'aws_s3_object', 'dag-daily_sales_py')).toEqual({
      bucket: bucketRef(analytics.tf, 'id'),
      key: 'dags/daily_sales.py',
      content_base64: base64(file),
      source_hash: md5(file),
      content_type: 'text/x-python',
      kms_key_id: `\${${addressOf(analytics.tf, 'aws_kms_key', 'mwaa_kms-key')}.arn}`,
      depends_on: [addressOf(analytics.tf, 'aws_s3_bucket_versioning', 'mwaa_dag-bucket')],
    });
    expect(resourceNamed(analytics.tf, 'aws_s3_object', 'dag-include_s3_xcom_backend_py_').key).toBe('dags/include/s3_xcom_backend.py');
  });

  it('uploads requirements.txt per environment', () => {
    const file = readFileSync(join(FIXTURE_ROOT, 'teams/analytics/requirements.txt'));
    expect(resourceNamed(analytics.tf, 'aws_s3_object', 'requirements-analytics-prod')).toMatchObject({
      key: 'environments/analytics-prod/requirements.txt',
      content_base64: base64(file),
      source_hash: md5(file),
      content_type: 'text/plain',
    });
  });

  describe('from a folder named by dagsPath', () => {
    const dagsWith = (dag: string) => {
      const files = {
        'etl.py': dag,
        'lib/helpers.py': 'X = 1\n',
        '__pycache__/etl.cpython-311.pyc': Buffer.from([0, 1, 2]),
        'lib/helpers.pyc': Buffer.from([3]),
      };
      return Object.fromEntries(Object.entries(files).map(([path, content]) => [`teams/marketing/flows/${path}`, content]));
    };
    const synthWith = (repoFiles: Record<string, string | Buffer>) =>
      synthParticipant(configWith({ repoFiles, teams: { marketing: (t) => (t.dagsPath = 'teams/marketing/flows') } }), 'marketing').tf;
    const before = synthWith(dagsWith('v = 1\n'));
    const after = synthWith(dagsWith('v = 2\n'));

    it('skips byte code and caches', () => {
      const keys = Object.values(resourcesOf(before, 'aws_s3_object')).map((o: any) => o.key);
      expect(keys.filter((k) => k.startsWith('dags/')).sort()).toEqual(['dags/etl.py', 'dags/lib/helpers.py']);
    });

    it('changes a changed DAG in place: same address, new content and hash', () => {
      const address = addressOf(before, 'aws_s3_object', 'dag-etl_py');
      expect(addressOf(after, 'aws_s3_object', 'dag-etl_py')).toBe(address);
      expect(resourceNamed(before, 'aws_s3_object', 'dag-etl_py')).toMatchObject({
        content_base64: base64('v = 1\n'),
        source_hash: md5('v = 1\n'),
      });
      expect(resourceNamed(after, 'aws_s3_object', 'dag-etl_py')).toMatchObject({
        content_base64: base64('v = 2\n'),
        source_hash: md5('v = 2\n'),
      });
      expect(resourceNamed(after, 'aws_s3_object', 'dag-lib_helpers_py_')).toEqual(
        resourceNamed(before, 'aws_s3_object', 'dag-lib_helpers_py_'),
      );
    });
  });

  it('reads nothing when the default folder does not exist', () => {
    const team = { ...example.teams.find((t) => t.team === 'marketing')!, team: 'no-dags-yet' };
    expect(readTeamArtifacts(team, FIXTURE_ROOT)).toEqual({
      artifacts: { dags: [], environments: { 'marketing-campaigns': expect.anything() } },
      problems: [],
    });
  });

  it('keeps clashing file names apart', () => {
    const config = configWith({
      repoFiles: { 'teams/marketing/flows/a/b.py': '1\n', 'teams/marketing/flows/a--b.py': '2\n' },
      teams: { marketing: (t) => (t.dagsPath = 'teams/marketing/flows') },
    });
    const keys = Object.values(resourcesOf(synthParticipant(config, 'marketing').tf, 'aws_s3_object')).map((o: any) => o.key);
    expect(keys).toEqual(expect.arrayContaining(['dags/a/b.py', 'dags/a--b.py']));
  });
});
