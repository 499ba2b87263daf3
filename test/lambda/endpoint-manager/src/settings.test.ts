import { loadSettings, SettingsError } from '../../../../lambda/endpoint-manager/src/settings';
import { ENV_VARS, OTHER_PARTICIPANT, PARTICIPANT, SUBNET_A, SUBNET_B } from './fixtures';

describe('loadSettings', () => {
  it('parses the contract', () => {
    const settings = loadSettings({ ...ENV_VARS, SHARED_SUBNET_IDS: ` ${SUBNET_A} , ${SUBNET_B},`, POLICY_SIZE_LIMIT: '5000' });
    expect(settings).toMatchObject({
      region: 'us-east-1',
      partition: 'aws',
      policySizeLimit: 5000,
      managedBy: 'acme-endpoint-manager',
      reconcileRoleName: 'mwaa-endpoint-reconcile',
    });
    expect(settings.sharedSubnetIds).toEqual(new Set([SUBNET_A, SUBNET_B]));
    expect(settings.participantAccounts).toEqual(new Set([PARTICIPANT, OTHER_PARTICIPANT]));
  });

  it('defaults the policy size limit to the VPC endpoint maximum and derives the partition from the region', () => {
    expect(loadSettings(ENV_VARS).policySizeLimit).toBe(20480);
    expect(loadSettings({ ...ENV_VARS, AWS_REGION: 'cn-north-1' }).partition).toBe('aws-cn');
    expect(loadSettings({ ...ENV_VARS, AWS_REGION: 'us-gov-west-1' }).partition).toBe('aws-us-gov');
  });

  it('reports every problem at once with a clear message', () => {
    let error: unknown;
    try {
      loadSettings({
        ...ENV_VARS,
        SHARED_VPC_ID: 'vpc-nope',
        PARTICIPANT_ACCOUNTS: '1234,111111111111',
        SQS_ENDPOINT_ID: undefined,
        POLICY_SIZE_LIMIT: '99999',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SettingsError);
    expect((error as SettingsError).problems).toEqual([
      'SHARED_VPC_ID must be a VPC id (vpc-...), got "vpc-nope"',
      'SQS_ENDPOINT_ID is required',
      'PARTICIPANT_ACCOUNTS contains "1234", which is not a 12-digit account id',
      expect.stringMatching(
        /^POLICY_SIZE_LIMIT must be an integer between \d+ and 20480 \(the VPC endpoint policy maximum\), got "99999"$/,
      ),
    ]);
    expect((error as Error).message).toMatch(/^endpoint-manager configuration is invalid: SHARED_VPC_ID must be/);
  });

  it.each([
    'SHARED_SUBNET_IDS',
    'ENDPOINT_SECURITY_GROUP_ID',
    'WEBSERVER_SECURITY_GROUP_ID',
    'RECONCILE_ROLE_NAME',
    'MANAGED_BY',
    'AWS_REGION',
    'PARTICIPANT_ACCOUNTS',
  ])('requires %s', (name) => {
    expect(() => loadSettings({ ...ENV_VARS, [name]: '' })).toThrow(`${name} is required`);
  });

  it('rejects subnet ids and tag values that are not valid', () => {
    expect(() => loadSettings({ ...ENV_VARS, SHARED_SUBNET_IDS: 'subnet-1,oops' })).toThrow('SHARED_SUBNET_IDS contains "subnet-1"');
    expect(() => loadSettings({ ...ENV_VARS, MANAGED_BY: 'a"b' })).toThrow('MANAGED_BY must be a tag value');
    expect(() => loadSettings({ ...ENV_VARS, WEBSERVER_SECURITY_GROUP_ID: 'vpn-clients' })).toThrow(
      'WEBSERVER_SECURITY_GROUP_ID must be a security group id (sg-...), got "vpn-clients"',
    );
  });
});
