import { cidrKey, keyOf, principalKey } from '../../../constructs/common/addresses';
import { LEGACY_MOVES, movedBlocks, resourceAddresses, synthAll } from '../../support/addresses';
import { loadFixture } from '../../support/config-fixture';

describe('construct-id keys', () => {
  it('use a value of letters, digits and - as it is', () => {
    expect(keyOf('eu-west-1a')).toBe('eu-west-1a');
    expect(keyOf('subnet-0123456789abcdef0')).toBe('subnet-0123456789abcdef0');
    expect(keyOf('mwaa')).toBe('mwaa');
  });

  it('join a path of such segments with _, which the plain form never contains', () => {
    expect(keyOf('airflow/connections')).toBe('airflow_connections');
    expect(keyOf('airflow-connections')).toBe('airflow-connections');
  });

  it('sanitize anything else and add a short hash of the value, so values that sanitize alike stay apart', () => {
    expect(keyOf('team.a/connections')).toMatch(/^team_a_connections_[0-9a-f]{8}$/);
    expect(keyOf('team_a/connections')).toMatch(/^team_a_connections_[0-9a-f]{8}$/);
    expect(keyOf('team.a/connections')).not.toBe(keyOf('team_a/connections'));
    // Literal (sha256 of the value, first 8 hex digits): the id depends on the value alone, run after run.
    expect(keyOf('team.a/connections')).toBe('team_a_connections_e90c71c8');
  });

  it('write a CIDR one-to-one', () => {
    expect(cidrKey('10.40.0.0/20')).toBe('10-40-0-0_20');
    expect(cidrKey('10.1.10.0/24')).not.toBe(cidrKey('10.11.0.0/24'));
  });

  it('write a plain role or user ARN as account-kind-name, and any other principal with a hash', () => {
    expect(principalKey('arn:aws:iam::222222222222:role/AnalyticsEngineers')).toBe('222222222222-role-AnalyticsEngineers');
    expect(principalKey('arn:aws-us-gov:iam::222222222222:user/ops')).toBe('222222222222-user-ops');
    const sso = 'arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_0123';
    expect(principalKey(sso)).toMatch(
      /^arn_aws_iam__222222222222_role_aws-reserved_sso_amazonaws_com_AWSReservedSSO_Admin_0123_[0-9a-f]{8}$/,
    );
    expect(principalKey(sso)).not.toBe(principalKey(sso.replace('Admin_0123', 'Admin.0123')));
  });

  it('are Terraform identifiers', () => {
    for (const key of [keyOf('a/b.c'), cidrKey('10.0.0.0/8'), principalKey('arn:aws:iam::1:root')]) expect(key).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe('state at positional addresses', () => {
  const stacks = synthAll(loadFixture());

  it.each(Object.keys(LEGACY_MOVES))('moves to the identity-keyed address in %s, with exactly one moved block each', (stack) => {
    const tf = stacks.get(stack);
    const current = new Set(resourceAddresses(tf));
    const moves = Object.fromEntries(movedBlocks(tf).map((m) => m.split(' -> ')));
    // Other refactorings may add moved blocks of their own; every positional address must be among them.
    expect(moves).toMatchObject(LEGACY_MOVES[stack]);
    for (const to of Object.values(LEGACY_MOVES[stack])) expect(current.has(to)).toBe(true);
  });

  it('moves nothing in the other stacks', () => {
    for (const [stack, tf] of stacks) if (!LEGACY_MOVES[stack]) expect({ stack, moved: movedBlocks(tf) }).toEqual({ stack, moved: [] });
  });
});
