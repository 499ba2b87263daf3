import { loadPlatformConfig } from '../../model/load';
import { fixtureConfigWith, loadFixture } from '../support/config-fixture';
import { synthOwner, synthParticipant } from '../support/synth';

const example = loadFixture();

describe('per-stack AWS provider', () => {
  it('pins each stack to its own account and assumes its deploy role in real mode', () => {
    const [owner] = synthOwner(example).tf.provider.aws;
    expect(owner).toMatchObject({
      region: 'eu-west-1',
      allowed_account_ids: ['111111111111'],
      assume_role: [{ role_arn: 'arn:aws:iam::111111111111:role/mwaa-platform-deploy' }],
    });
    const [analytics] = synthParticipant(example, 'analytics').tf.provider.aws;
    expect(analytics).toMatchObject({
      allowed_account_ids: ['222222222222'],
      assume_role: [{ role_arn: 'arn:aws:iam::222222222222:role/mwaa-platform-deploy' }],
    });
  });

  it('merges tags in one place: platform tags, team tags, then the keys the platform owns', () => {
    // A team key that would override a platform key is refused by the loader (model/validate/tags.ts).
    const config = loadPlatformConfig(fixtureConfigWith({ teams: { analytics: (t) => (t.tags = { Owner: 'data' }) } }));
    const [provider] = synthParticipant(config, 'analytics').tf.provider.aws;
    expect(provider.default_tags[0].tags).toEqual({
      CostCenter: 'data-platform',
      Owner: 'data',
      Platform: 'acme-data',
      Team: 'analytics',
      ManagedBy: 'cdktf',
    });
    expect(synthOwner(example).tf.provider.aws[0].default_tags[0].tags.Team).toBe('platform-owner');
  });

  it('offline preview changes only authentication: placeholder keys, skip flags, no assume_role, same resources', () => {
    const real = synthParticipant(example, 'analytics', 'real').tf;
    const offline = synthParticipant(example, 'analytics', 'offline-preview').tf;
    const [provider] = offline.provider.aws;
    expect(provider).toMatchObject({
      access_key: 'offline-preview',
      secret_key: 'offline-preview',
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: 'true',
      skip_region_validation: true,
    });
    expect(provider.assume_role).toBeUndefined();
    expect(offline.resource).toEqual(real.resource);
    expect(offline.output).toEqual(real.output);
  });
});

describe('state backend', () => {
  it('is local by default, one state file per stack in the project root, outside the replaced cdktf.out', () => {
    const { path } = synthOwner(example).tf.terraform.backend.local;
    expect(path).toMatch(/(^|\/)terraform\.owner\.tfstate$/);
    expect(path.startsWith('/')).toBe(false);
  });

  it('is S3 with a lock file and one key per stack when configured', () => {
    const config = loadPlatformConfig(
      fixtureConfigWith({ platform: (p) => (p.backend = { type: 's3', bucket: 'acme-tf-state', region: 'eu-west-1', keyPrefix: 'mwaa' }) }),
    );
    expect(synthParticipant(config, 'marketing').tf.terraform.backend.s3).toMatchObject({
      bucket: 'acme-tf-state',
      key: 'mwaa/participant-marketing.tfstate',
      encrypt: true,
      use_lockfile: true,
    });
    expect(synthParticipant(config, 'marketing', 'offline-preview').tf.terraform.backend.local.path).toMatch(
      /terraform\.participant-marketing\.tfstate$/,
    );
  });

  it('uses a DynamoDB lock table when asked', () => {
    const config = loadPlatformConfig(
      fixtureConfigWith({
        platform: (p) =>
          (p.backend = { type: 's3', bucket: 'acme-tf-state', region: 'eu-west-1', lock: 'dynamodb', dynamodbTable: 'tf-locks' }),
      }),
    );
    const s3 = synthOwner(config).tf.terraform.backend.s3;
    expect(s3.dynamodb_table).toBe('tf-locks');
    expect(s3.use_lockfile).toBeUndefined();
  });
});
