import { Testing } from 'cdktf';
import { BootstrapStack } from '../../stacks/bootstrap-stack';
import { ANALYTICS, MARKETING, OWNER, one, planOf, resources, synthBootstrap } from '../constructs/bootstrap/support';

describe('bootstrap stack', () => {
  const plan = planOf();
  const owner = synthBootstrap(plan, OWNER);
  const analytics = synthBootstrap(plan, ANALYTICS);

  it('creates the GitHub OIDC provider for the sts.amazonaws.com audience, and adopts an existing one by ARN', () => {
    expect(one(owner, 'aws_iam_openid_connect_provider')).toMatchObject({
      url: 'https://token.actions.githubusercontent.com',
      client_id_list: ['sts.amazonaws.com'],
    });
    const adopted = synthBootstrap(planOf({ platform: (p) => (p.ci.github.oidcProvider = 'adopt') }), ANALYTICS);
    expect(resources(adopted, 'aws_iam_openid_connect_provider')).toEqual([]);
    expect(adopted.output.github_oidc_provider_arn.value).toBe(
      `arn:aws:iam::${ANALYTICS}:oidc-provider/token.actions.githubusercontent.com`,
    );
    const trust = JSON.parse(resources(adopted, 'aws_iam_role').find((r) => r.name === 'mwaa-platform-deploy').assume_role_policy);
    expect(trust.Statement[0].Principal.Federated).toBe(`arn:aws:iam::${ANALYTICS}:oidc-provider/token.actions.githubusercontent.com`);
  });

  it('creates the deploy and plan roles with the configured names, inline permissions and no managed policy', () => {
    expect(
      resources(analytics, 'aws_iam_role')
        .map((r) => r.name)
        .sort(),
    ).toEqual(['mwaa-platform-deploy', 'mwaa-platform-plan']);
    expect(resources(analytics, 'aws_iam_role_policy')).toHaveLength(2);
    expect(resources(analytics, 'aws_iam_role_policy_attachment')).toEqual([]);
    const deploy = resources(analytics, 'aws_iam_role').find((r) => r.name === 'mwaa-platform-deploy');
    expect(deploy.max_session_duration).toBe(10800);
  });

  it('attaches AdministratorAccess only when configured', () => {
    const admin = synthBootstrap(planOf({ platform: (p) => (p.ci.deployRolePolicy = 'administrator') }), MARKETING);
    expect(one(admin, 'aws_iam_role_policy_attachment').policy_arn).toBe('arn:aws:iam::aws:policy/AdministratorAccess');
  });

  it('creates the state bucket only in the state account', () => {
    expect(resources(analytics, 'aws_s3_bucket')).toEqual([]);
    expect(resources(analytics, 'aws_kms_key')).toEqual([]);
    const bucket = one(owner, 'aws_s3_bucket');
    expect(bucket).toMatchObject({ bucket: `acme-data-tfstate-${OWNER}`, lifecycle: { prevent_destroy: true } });
    expect(owner.output.state_bucket).toBeDefined();
    expect(analytics.output.state_bucket).toBeUndefined();
    const elsewhere = planOf({ platform: (p) => (p.ci.stateAccountId = ANALYTICS) });
    expect(resources(synthBootstrap(elsewhere, OWNER), 'aws_s3_bucket')).toEqual([]);
    expect(one(synthBootstrap(elsewhere, ANALYTICS), 'aws_s3_bucket').bucket).toBe(`acme-data-tfstate-${ANALYTICS}`);
  });

  it('versions, encrypts with its own rotating key, blocks public access, disables ACLs and expires old versions', () => {
    expect(one(owner, 'aws_s3_bucket_versioning').versioning_configuration.status).toBe('Enabled');
    const key = one(owner, 'aws_kms_key');
    expect(key).toMatchObject({ enable_key_rotation: true, lifecycle: { prevent_destroy: true } });
    expect(one(owner, 'aws_kms_alias')).toMatchObject({ name: 'alias/acme-data-terraform-state' });
    const sse = one(owner, 'aws_s3_bucket_server_side_encryption_configuration').rule[0];
    expect(sse).toMatchObject({ bucket_key_enabled: true, apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms' } });
    expect(sse.apply_server_side_encryption_by_default.kms_master_key_id).toMatch(/^\$\{aws_kms_key\.[\w-]+\.arn\}$/);
    expect(one(owner, 'aws_s3_bucket_public_access_block')).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(one(owner, 'aws_s3_bucket_ownership_controls').rule.object_ownership).toBe('BucketOwnerEnforced');
    const rule = one(owner, 'aws_s3_bucket_lifecycle_configuration').rule[0];
    expect(rule).toMatchObject({ status: 'Enabled', noncurrent_version_expiration: [{ noncurrent_days: 90 }] });
    const days = planOf({ platform: (p) => (p.ci.noncurrentStateVersionDays = 30) });
    expect(one(synthBootstrap(days, OWNER), 'aws_s3_bucket_lifecycle_configuration').rule[0].noncurrent_version_expiration).toEqual([
      { noncurrent_days: 30 },
    ]);
  });

  it('locks through the S3 lock file by default and creates the DynamoDB table only for lock: dynamodb', () => {
    expect(resources(owner, 'aws_dynamodb_table')).toEqual([]);
    const dynamo = planOf({
      platform: (p) =>
        (p.backend = { type: 's3', bucket: 'acme-state', region: 'eu-west-1', lock: 'dynamodb', dynamodbTable: 'acme-locks' }),
    });
    expect(one(synthBootstrap(dynamo, OWNER), 'aws_dynamodb_table')).toMatchObject({
      name: 'acme-locks',
      hash_key: 'LockID',
      billing_mode: 'PAY_PER_REQUEST',
      deletion_protection_enabled: true,
      server_side_encryption: { enabled: true },
    });
  });

  it('keeps its own state locally (it creates the bucket) and uses the administrator credentials or role', () => {
    expect(owner.terraform.backend.local.path).toMatch(/terraform\.bootstrap-111111111111\.tfstate$/);
    const withRole = planOf({ platform: (p) => (p.ci.adminRoleName = 'OrganizationAccountAccessRole') });
    const real = JSON.parse(Testing.synth(new BootstrapStack(Testing.app(), { plan: withRole, account: withRole.accounts[1] })));
    expect(real.provider.aws[0]).toMatchObject({
      allowed_account_ids: [ANALYTICS],
      assume_role: [{ role_arn: `arn:aws:iam::${ANALYTICS}:role/OrganizationAccountAccessRole`, session_name: 'mwaa-platform-bootstrap' }],
    });
    const ambient = JSON.parse(Testing.synth(new BootstrapStack(Testing.app(), { plan, account: plan.accounts[0] })));
    expect(ambient.provider.aws[0].allowed_account_ids).toEqual([OWNER]);
    expect(ambient.provider.aws[0].assume_role).toBeUndefined();
  });
});
