import {
  decideDeletedEnvironment,
  decideEnvironmentEndpoints,
  endpointClientToken,
  endpointLifecycle,
  isDeadEndpointState,
  type EndpointContext,
  type ObservedEndpoint,
} from '../../../../lambda/endpoint-manager/src/decide';
import type { EnvironmentSpec } from '../../../../lambda/endpoint-manager/src/event';
import {
  DB_SERVICE,
  MANAGED_BY,
  OWNER_SG,
  WEBSERVER_SG,
  PARTICIPANT,
  OTHER_PARTICIPANT,
  SUBNET_A,
  SUBNET_B,
  VPC_ID,
  WEB_SERVICE,
  queueArn,
  serviceName,
} from './fixtures';

const context: EndpointContext = {
  vpcId: VPC_ID,
  securityGroupIds: { database: OWNER_SG, webserver: WEBSERVER_SG },
  managedBy: MANAGED_BY,
};
const ref = { account: PARTICIPANT, name: 'team-a' };

const privateEnv: EnvironmentSpec = {
  ...ref,
  status: 'PENDING',
  celeryExecutorQueue: queueArn('1a2b3c4d'),
  subnetIds: [SUBNET_A, SUBNET_B],
  webserverAccessMode: 'PRIVATE_ONLY',
  endpointServices: { database: DB_SERVICE, webserver: WEB_SERVICE },
};
const publicEnv: EnvironmentSpec = { ...privateEnv, webserverAccessMode: 'PUBLIC_ONLY', endpointServices: { database: DB_SERVICE } };

function endpoint(
  id: string,
  kind: string,
  overrides: Partial<ObservedEndpoint> = {},
  tags: Record<string, string> = {},
): ObservedEndpoint {
  return {
    id,
    serviceName: kind === 'database' ? DB_SERVICE : WEB_SERVICE,
    state: 'available',
    subnetIds: [SUBNET_A, SUBNET_B],
    createdAt: '2024-06-01T12:00:00.000Z',
    tags: { ManagedBy: MANAGED_BY, 'mwaa:account': PARTICIPANT, 'mwaa:environment': 'team-a', 'mwaa:endpoint': kind, ...tags },
    ...overrides,
  };
}

const summary = (actions: readonly { type: string; endpointKind: string }[]) => actions.map((a) => `${a.type}:${a.endpointKind}`);

describe('decideEnvironmentEndpoints', () => {
  it('PENDING private: creates database and webserver endpoints with the owner SG of each kind, tags, no private DNS, deterministic token', () => {
    const decision = decideEnvironmentEndpoints(privateEnv, [], context, { pruneStale: true });
    expect(decision.actions).toEqual([
      {
        type: 'create',
        environment: ref,
        endpointKind: 'database',
        deadEndpointIds: [],
        request: {
          vpcId: VPC_ID,
          serviceName: DB_SERVICE,
          subnetIds: [SUBNET_A, SUBNET_B],
          securityGroupIds: [OWNER_SG],
          privateDnsEnabled: false,
          clientToken: endpointClientToken(ref, 'database', DB_SERVICE, []),
          tags: [
            { key: 'Name', value: 'team-a-database' },
            { key: 'ManagedBy', value: MANAGED_BY },
            { key: 'mwaa:environment', value: 'team-a' },
            { key: 'mwaa:account', value: PARTICIPANT },
            { key: 'mwaa:endpoint', value: 'database' },
          ],
        },
      },
      // The webserver endpoint gets the group that also admits VPN/office clients; the database endpoint never does.
      expect.objectContaining({
        type: 'create',
        endpointKind: 'webserver',
        request: expect.objectContaining({ serviceName: WEB_SERVICE, privateDnsEnabled: false, securityGroupIds: [WEBSERVER_SG] }),
      }),
    ]);
  });

  it('PENDING public: creates only the database endpoint', () => {
    expect(summary(decideEnvironmentEndpoints(publicEnv, [], context, { pruneStale: true }).actions)).toEqual(['create:database']);
  });

  it('both endpoints already there: nothing to do, reported', () => {
    const decision = decideEnvironmentEndpoints(
      privateEnv,
      [endpoint('vpce-db', 'database'), endpoint('vpce-web', 'webserver', { state: 'pendingAcceptance' })],
      context,
      { pruneStale: true },
    );
    expect(decision.actions).toEqual([]);
    expect(decision.notes).toEqual([
      'database endpoint vpce-db already exists (available)',
      'webserver endpoint vpce-web already exists (pendingAcceptance)',
    ]);
  });

  it('partial state (database created, webserver failed to create): only the webserver is created', () => {
    expect(
      summary(
        decideEnvironmentEndpoints(privateEnv, [endpoint('vpce-db', 'database', { state: 'pending' })], context, { pruneStale: true })
          .actions,
      ),
    ).toEqual(['create:webserver']);
  });

  it('a failed endpoint is deleted and replaced with a token that differs from the failed attempt', () => {
    const decision = decideEnvironmentEndpoints(
      privateEnv,
      [endpoint('vpce-db', 'database', { state: 'failed' }), endpoint('vpce-web', 'webserver')],
      context,
      { pruneStale: true },
    );
    expect(summary(decision.actions)).toEqual(['create:database', 'delete:database']);
    const create = decision.actions[0]!;
    // sha256 of "account\nname\nkind\nservice\nvpce-db" (checked with sha256sum), so a retry after the failure reuses it.
    expect(create.type === 'create' && create.request.clientToken).toBe('5564024046eaa79925fbe794b2283ea395e06eede908bec65f959b20b0046cc2');
    expect(endpointClientToken(ref, 'database', DB_SERVICE, ['vpce-db'])).not.toBe(endpointClientToken(ref, 'database', DB_SERVICE, []));
    expect(decision.actions[1]).toMatchObject({ type: 'delete', endpointId: 'vpce-db', reason: 'endpoint is failed' });
  });

  it.each(['rejected', 'expired'])('a %s endpoint is treated like a failed one', (state) => {
    expect(
      summary(decideEnvironmentEndpoints(publicEnv, [endpoint('vpce-db', 'database', { state })], context, { pruneStale: true }).actions),
    ).toEqual(['create:database', 'delete:database']);
  });

  it.each(['deleting', 'deleted'])('an endpoint that is %s does not count: a new one is created, nothing deleted', (state) => {
    const decision = decideEnvironmentEndpoints(publicEnv, [endpoint('vpce-old', 'database', { state })], context, { pruneStale: true });
    expect(summary(decision.actions)).toEqual(['create:database']);
  });

  it('keeps the oldest of duplicates and deletes the rest', () => {
    const decision = decideEnvironmentEndpoints(
      publicEnv,
      [
        endpoint('vpce-b', 'database', { createdAt: '2024-06-02T00:00:00.000Z' }),
        endpoint('vpce-a', 'database', { createdAt: '2024-06-01T00:00:00.000Z' }),
      ],
      context,
      { pruneStale: true },
    );
    expect(decision.actions).toEqual([expect.objectContaining({ type: 'delete', endpointId: 'vpce-b', reason: 'duplicate of vpce-a' })]);
  });

  it('PENDING prunes leftovers of an earlier environment with the same name', () => {
    const old = endpoint('vpce-old', 'database', { serviceName: serviceName('0a1d0a1d0a1d0a1d0') });
    const oldWeb = endpoint('vpce-oldweb', 'webserver');
    const decision = decideEnvironmentEndpoints(publicEnv, [old, oldWeb], context, { pruneStale: true });
    expect(summary(decision.actions)).toEqual(['create:database', 'delete:database', 'delete:webserver']);
    expect(decision.actions[2]).toMatchObject({
      endpointId: 'vpce-oldweb',
      reason: 'stale: environment needs no webserver endpoint (web server access PUBLIC_ONLY)',
    });
  });

  it('without pruning (reconcile of a running environment) mismatches are only reported', () => {
    const decision = decideEnvironmentEndpoints(publicEnv, [endpoint('vpce-db', 'database'), endpoint('vpce-web', 'webserver')], context, {
      pruneStale: false,
    });
    expect(decision.actions).toEqual([]);
    expect(decision.notes).toContain(
      'webserver endpoint vpce-web left in place although environment needs no webserver endpoint (web server access PUBLIC_ONLY)',
    );
  });

  it('ignores endpoints of another account with the same environment name, or not managed by us', () => {
    const decision = decideEnvironmentEndpoints(
      publicEnv,
      [
        endpoint('vpce-other', 'database', {}, { 'mwaa:account': OTHER_PARTICIPANT }),
        endpoint('vpce-manual', 'database', {}, { ManagedBy: 'someone-else' }),
      ],
      context,
      { pruneStale: true },
    );
    expect(summary(decision.actions)).toEqual(['create:database']);
  });

  it('client tokens are deterministic, at most 64 characters and distinct per account, name, kind and service', () => {
    const token = endpointClientToken(ref, 'database', DB_SERVICE, []);
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(endpointClientToken({ ...ref }, 'database', DB_SERVICE, [])).toBe(token);
    expect(
      new Set([
        token,
        endpointClientToken({ ...ref, account: OTHER_PARTICIPANT }, 'database', DB_SERVICE, []),
        endpointClientToken({ ...ref, name: 'team-b' }, 'database', DB_SERVICE, []),
        endpointClientToken(ref, 'webserver', DB_SERVICE, []),
        endpointClientToken(ref, 'database', WEB_SERVICE, []),
      ]).size,
    ).toBe(5);
  });

  it('classifies endpoint states', () => {
    expect(['available', 'pending', 'pendingAcceptance', 'Partial', 'somethingNew'].map(endpointLifecycle)).toEqual([
      'live',
      'live',
      'live',
      'live',
      'live',
    ]);
    expect(['failed', 'Rejected', 'expired'].map(endpointLifecycle)).toEqual(['broken', 'broken', 'broken']);
    expect(['deleting', 'Deleted'].map(endpointLifecycle)).toEqual(['gone', 'gone']);
    // The handler's "ClientToken returned a dead endpoint" check uses the same definition.
    expect(
      ['failed', 'rejected', 'expired', 'deleting', 'deleted', 'available', 'pending', 'pendingAcceptance'].map(isDeadEndpointState),
    ).toEqual([true, true, true, true, true, false, false, false]);
  });
});

describe('decideDeletedEnvironment', () => {
  it('deletes the environment’s managed endpoints that are not already going away', () => {
    const decision = decideDeletedEnvironment(
      ref,
      [endpoint('vpce-db', 'database'), endpoint('vpce-web', 'webserver', { state: 'deleting' })],
      context,
      [],
    );
    expect(decision.actions).toEqual([
      { type: 'delete', environment: ref, endpointId: 'vpce-db', endpointKind: 'database', reason: 'environment no longer exists' },
    ]);
    expect(decision.notes).toEqual(['endpoint vpce-web is already deleting']);
  });

  it('only deletes endpoints to the services the event names (protects a new environment with the same name)', () => {
    const newer = endpoint('vpce-new', 'database', { serviceName: serviceName('0eeeeeeeeeeeeeee0') });
    const decision = decideDeletedEnvironment(ref, [endpoint('vpce-db', 'database'), newer], context, [DB_SERVICE, WEB_SERVICE]);
    expect(decision.actions.map((a) => a.type === 'delete' && a.endpointId)).toEqual(['vpce-db']);
  });

  it('never touches endpoints without our ManagedBy tag', () => {
    expect(decideDeletedEnvironment(ref, [endpoint('vpce-x', 'database', {}, { ManagedBy: 'terraform' })], context, []).actions).toEqual(
      [],
    );
  });
});
