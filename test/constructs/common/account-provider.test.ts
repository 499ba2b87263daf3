import { Testing } from 'cdktf';
import { accountProvider, type AccountProviderProps } from '../../../constructs/common/account-provider';

const props: AccountProviderProps = {
  region: 'eu-west-1',
  accountId: '111111111111',
  deployRoleArn: 'arn:aws:iam::111111111111:role/deploy',
  tags: { Platform: 'acme' },
};

const providerOf = (p: AccountProviderProps) => {
  const json = JSON.parse(Testing.synthScope((scope) => void accountProvider(scope, p)));
  expect(json.provider.aws).toHaveLength(1);
  return json.provider.aws[0];
};

describe('accountProvider', () => {
  test('defaults: real mode pins the account, assumes the deploy role with the platform session name, tags by default_tags', () => {
    expect(providerOf(props)).toEqual({
      region: 'eu-west-1',
      allowed_account_ids: ['111111111111'],
      assume_role: [{ role_arn: 'arn:aws:iam::111111111111:role/deploy', session_name: 'mwaa-platform-terraform' }],
      default_tags: [{ tags: { Platform: 'acme' } }],
    });
  });

  test('sessionName overrides the CloudTrail session name', () => {
    expect(providerOf({ ...props, sessionName: 'ci-123' }).assume_role).toEqual([
      { role_arn: 'arn:aws:iam::111111111111:role/deploy', session_name: 'ci-123' },
    ]);
  });

  test('offline preview: placeholder keys and skip flags, no account pin, no role', () => {
    expect(providerOf({ ...props, mode: 'offline-preview' })).toEqual({
      region: 'eu-west-1',
      access_key: 'offline-preview',
      secret_key: 'offline-preview',
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: 'true',
      skip_region_validation: true,
      default_tags: [{ tags: { Platform: 'acme' } }],
    });
  });

  test('is the stack’s only provider, at the stack root (no wrapper construct in the path)', () => {
    const stack = Testing.synthScope((scope) => {
      const provider = accountProvider(scope, props);
      expect(provider.node.scope).toBe(scope);
      expect(provider.node.id).toBe('aws');
    });
    expect(Object.keys(JSON.parse(stack).provider)).toEqual(['aws']);
  });

  test('a second provider in the same stack is refused (one account per stack)', () => {
    expect(() =>
      Testing.synthScope((scope) => {
        accountProvider(scope, props);
        accountProvider(scope, { ...props, accountId: '222222222222' });
      }),
    ).toThrow(/There is already a Construct with name 'aws'/);
  });
});
