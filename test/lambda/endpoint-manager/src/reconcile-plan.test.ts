import type { EndpointContext, ObservedEndpoint } from '../../../../lambda/endpoint-manager/src/decide';
import { planReconcile, type AccountObservation, type ObservedEnvironment } from '../../../../lambda/endpoint-manager/src/reconcile-plan';
import {
  DB_SERVICE,
  FOREIGN_SUBNET,
  MANAGED_BY,
  OTHER_PARTICIPANT,
  OWNER_SG,
  WEBSERVER_SG,
  PARTICIPANT,
  SUBNET_A,
  SUBNET_B,
  UNKNOWN_ACCOUNT,
  VALIDATION,
  VPC_ID,
  WEB_SERVICE,
  queueArn,
} from './fixtures';

const endpoints: EndpointContext = {
  vpcId: VPC_ID,
  securityGroupIds: { database: OWNER_SG, webserver: WEBSERVER_SG },
  managedBy: MANAGED_BY,
};

function environment(
  name: string,
  status = 'AVAILABLE',
  detail: Record<string, unknown> = {},
  endpointManagement = 'CUSTOMER',
): ObservedEnvironment {
  return {
    name,
    status,
    endpointManagement,
    detail: {
      name,
      status,
      celeryExecutorQueue: queueArn(`${name}-q`),
      databaseVpcEndpointService: DB_SERVICE,
      webserverVpcEndpointService: WEB_SERVICE,
      webserverAccessMode: 'PUBLIC_ONLY',
      networkConfiguration: { subnetIds: [SUBNET_A, SUBNET_B] },
      ...detail,
    },
  };
}

function account(id: string, envs: ObservedEnvironment[], complete = true, extraNames: string[] = []): AccountObservation {
  return {
    account: id,
    environmentNames: [...envs.map((e) => e.name), ...extraNames],
    environments: envs,
    complete,
    ...(complete ? {} : { error: 'AccessDenied' }),
  };
}

function managed(id: string, owner: string, env: string, kind = 'database', state = 'available'): ObservedEndpoint {
  return {
    id,
    serviceName: kind === 'database' ? DB_SERVICE : WEB_SERVICE,
    state,
    subnetIds: [SUBNET_A, SUBNET_B],
    tags: { ManagedBy: MANAGED_BY, 'mwaa:account': owner, 'mwaa:environment': env, 'mwaa:endpoint': kind },
  };
}

const creations = (plan: ReturnType<typeof planReconcile>) =>
  plan.environments.flatMap((p) =>
    p.decision.actions.filter((a) => a.type === 'create').map((a) => `${p.environment.account}/${p.environment.name}/${a.endpointKind}`),
  );
const orphanDeletions = (plan: ReturnType<typeof planReconcile>) =>
  plan.orphans.flatMap((o) => o.decision.actions.map((a) => (a.type === 'delete' ? a.endpointId : '')));

describe('planReconcile', () => {
  it('creates endpoints an event missed and removes orphans of environments that no longer exist', () => {
    const plan = planReconcile({
      accounts: [account(PARTICIPANT, [environment('missed', 'PENDING')]), account(OTHER_PARTICIPANT, [environment('fine')])],
      managedEndpoints: [
        managed('vpce-fine', OTHER_PARTICIPANT, 'fine'),
        managed('vpce-gone', PARTICIPANT, 'deleted-env'),
        managed('vpce-gone-web', PARTICIPANT, 'deleted-env', 'webserver'),
      ],
      validation: VALIDATION,
      endpoints,
    });
    expect(plan.complete).toBe(true);
    expect(creations(plan)).toEqual([`${PARTICIPANT}/missed/database`]);
    expect(orphanDeletions(plan)).toEqual(['vpce-gone', 'vpce-gone-web']);
    expect([...plan.liveQueues].sort()).toEqual([queueArn('fine-q'), queueArn('missed-q')]);
  });

  it('never removes anything of an account whose role could not be assumed, and is incomplete', () => {
    const plan = planReconcile({
      accounts: [account(PARTICIPANT, [], false), account(OTHER_PARTICIPANT, [])],
      managedEndpoints: [managed('vpce-unknown', PARTICIPANT, 'maybe-alive')],
      validation: VALIDATION,
      endpoints,
    });
    expect(plan.complete).toBe(false);
    expect(plan.orphans).toEqual([]);
    expect(plan.skipped).toContainEqual({
      account: PARTICIPANT,
      message: 'account not fully observed (AccessDenied); its removals are skipped',
    });
  });

  it('an account missing from the observations counts as not observed', () => {
    const plan = planReconcile({
      accounts: [account(PARTICIPANT, [])],
      managedEndpoints: [managed('vpce-x', OTHER_PARTICIPANT, 'e')],
      validation: VALIDATION,
      endpoints,
    });
    expect(plan.complete).toBe(false);
    expect(plan.orphans).toEqual([]);
  });

  it('still creates endpoints for what it could read of an incomplete account', () => {
    const plan = planReconcile({
      accounts: [account(PARTICIPANT, [environment('readable')], false, ['unreadable']), account(OTHER_PARTICIPANT, [])],
      managedEndpoints: [],
      validation: VALIDATION,
      endpoints,
    });
    expect(creations(plan)).toEqual([`${PARTICIPANT}/readable/database`]);
  });

  it('an environment listed but not readable is not an orphan', () => {
    const plan = planReconcile({
      accounts: [account(PARTICIPANT, [], true, ['listed-only']), account(OTHER_PARTICIPANT, [])],
      managedEndpoints: [managed('vpce-listed', PARTICIPANT, 'listed-only')],
      validation: VALIDATION,
      endpoints,
    });
    expect(plan.orphans).toEqual([]);
  });

  it('environments reported DELETED are orphans; DELETING and CREATE_FAILED keep their endpoints and queue', () => {
    const plan = planReconcile({
      accounts: [
        account(PARTICIPANT, [environment('dead', 'DELETED'), environment('dying', 'DELETING'), environment('failed', 'CREATE_FAILED')]),
        account(OTHER_PARTICIPANT, []),
      ],
      managedEndpoints: [managed('vpce-dead', PARTICIPANT, 'dead'), managed('vpce-dying', PARTICIPANT, 'dying')],
      validation: VALIDATION,
      endpoints,
    });
    expect(orphanDeletions(plan)).toEqual(['vpce-dead']);
    expect(creations(plan)).toEqual([]);
    expect([...plan.liveQueues].sort()).toEqual([queueArn('dying-q'), queueArn('failed-q')]);
  });

  it('ignores SERVICE-managed environments and environments outside the shared subnets', () => {
    const plan = planReconcile({
      accounts: [
        account(PARTICIPANT, [
          environment('service', 'AVAILABLE', {}, 'SERVICE'),
          environment('elsewhere', 'PENDING', { networkConfiguration: { subnetIds: [FOREIGN_SUBNET] } }),
        ]),
        account(OTHER_PARTICIPANT, []),
      ],
      managedEndpoints: [],
      validation: VALIDATION,
      endpoints,
    });
    expect(creations(plan)).toEqual([]);
    expect(plan.liveQueues.size).toBe(0);
    expect(plan.skipped).toContainEqual({
      account: PARTICIPANT,
      environmentName: 'elsewhere',
      message: 'environment is not in the shared subnets; ignored',
    });
  });

  it('skips, with the reasons, an environment whose data is invalid but keeps its valid queue live', () => {
    const plan = planReconcile({
      accounts: [
        account(PARTICIPANT, [environment('creating', 'CREATING', { databaseVpcEndpointService: undefined })]),
        account(OTHER_PARTICIPANT, []),
      ],
      managedEndpoints: [],
      validation: VALIDATION,
      endpoints,
    });
    expect(creations(plan)).toEqual([]);
    expect(plan.liveQueues).toEqual(new Set([queueArn('creating-q')]));
    expect(plan.skipped).toContainEqual({
      account: PARTICIPANT,
      environmentName: 'creating',
      message: 'not reconciled: databaseVpcEndpointService is missing',
    });
  });

  it('leaves endpoints of unregistered accounts and endpoints without identity tags to an operator', () => {
    const untagged: ObservedEndpoint = { ...managed('vpce-untagged', PARTICIPANT, 'x'), tags: { ManagedBy: MANAGED_BY } };
    const plan = planReconcile({
      accounts: [account(PARTICIPANT, []), account(OTHER_PARTICIPANT, [])],
      managedEndpoints: [managed('vpce-stranger', UNKNOWN_ACCOUNT, 'x'), untagged],
      validation: VALIDATION,
      endpoints,
    });
    expect(plan.orphans).toEqual([]);
    expect(plan.skipped).toEqual(
      expect.arrayContaining([
        {
          account: UNKNOWN_ACCOUNT,
          environmentName: 'x',
          message: 'managed endpoints of an account that is no longer registered; left for an operator',
        },
        { message: 'managed endpoint vpce-untagged lacks mwaa:account/mwaa:environment tags; left alone' },
      ]),
    );
  });

  it('prunes stale endpoints only for PENDING environments', () => {
    const stale = { ...managed('vpce-stale', PARTICIPANT, 'env', 'webserver') };
    const pending = planReconcile({
      accounts: [account(PARTICIPANT, [environment('env', 'PENDING')]), account(OTHER_PARTICIPANT, [])],
      managedEndpoints: [stale],
      validation: VALIDATION,
      endpoints,
    });
    const available = planReconcile({
      accounts: [account(PARTICIPANT, [environment('env', 'AVAILABLE')]), account(OTHER_PARTICIPANT, [])],
      managedEndpoints: [stale],
      validation: VALIDATION,
      endpoints,
    });
    expect(pending.environments[0]!.decision.actions.map((a) => a.type)).toEqual(['create', 'delete']);
    expect(available.environments[0]!.decision.actions.map((a) => a.type)).toEqual(['create']);
  });
});
