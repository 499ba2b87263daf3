/**
 * Wiring of pure decisions and the AWS adapter for the two invocation kinds: MWAA status-change
 * events and the scheduled reconcile. Rejections return a result (a retry cannot fix them); AWS
 * failures throw so Lambda's async retry (and, at worst, the next reconcile) completes the work.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { describeError, type AwsPort } from './aws';
import {
  createAction,
  isDeadEndpointState,
  decideDeletedEnvironment,
  decideEnvironmentEndpoints,
  type EndpointAction,
  type EndpointContext,
  type EndpointDecision,
} from './decide';
import { validateEvent, type EnvironmentRef, type EnvironmentSpec, type Rejection, type ValidationContext } from './event';
import { partitionOfArn } from './names';
import {
  addQueuesToPolicy,
  isQueueAllowed,
  parseSqsEndpointPolicy,
  policyForLiveQueues,
  removeQueueFromPolicy,
  type PolicyScope,
  type PolicyUpdate,
} from './policy';
import { planReconcile } from './reconcile-plan';
import type { Settings } from './settings';

export interface HandlerDependencies {
  readonly settings: Settings;
  readonly aws: AwsPort;
  readonly logger: Logger;
}

export type HandlerResult =
  | {
      readonly outcome: 'rejected';
      readonly account?: string;
      readonly environmentName?: string;
      readonly reasons: readonly Rejection[];
    }
  | { readonly outcome: 'ignored'; readonly account: string; readonly environmentName: string; readonly status: string }
  | {
      readonly outcome: 'applied';
      readonly account: string;
      readonly environmentName: string;
      readonly status: string;
      readonly createdEndpointIds: readonly string[];
      readonly deletedEndpointIds: readonly string[];
      readonly policyChanged: boolean;
    }
  | {
      readonly outcome: 'reconciled';
      /** Every registered account observed completely (queue entries could be pruned). */
      readonly complete: boolean;
      readonly createdEndpointIds: readonly string[];
      readonly deletedEndpointIds: readonly string[];
      readonly policyChanged: boolean;
      readonly errors: readonly string[];
    };

type PolicyOutcome = { readonly update: PolicyUpdate; readonly written: boolean };

export function createHandler(deps: HandlerDependencies) {
  const { settings, aws, logger } = deps;
  const endpointContext: EndpointContext = {
    vpcId: settings.sharedVpcId,
    securityGroupIds: { database: settings.endpointSecurityGroupId, webserver: settings.webserverSecurityGroupId },
    managedBy: settings.managedBy,
  };

  /** Read-modify-write of the SQS endpoint policy, re-read right before every modify. */
  async function updatePolicy(scope: PolicyScope, change: (resources: readonly string[]) => PolicyUpdate): Promise<PolicyOutcome> {
    const parsed = parseSqsEndpointPolicy(await aws.readSqsEndpointPolicy(), scope);
    if (!parsed.ok) return { update: { ok: false, reason: parsed.reason }, written: false };
    const update = change(parsed.resources);
    if (update.ok && update.changed) {
      await aws.writeSqsEndpointPolicy(update.document);
      return { update, written: true };
    }
    return { update, written: false };
  }

  function logPolicyUpdate(log: Logger, update: Extract<PolicyUpdate, { readonly ok: true }>, written: boolean, what: string): void {
    if (update.compactedAccounts.length > 0) {
      log.warn('SQS endpoint policy near its size limit: compacted queue-owner accounts into airflow-celery-* wildcards', {
        compactedAccounts: update.compactedAccounts,
        policyLength: update.document.length,
        policySizeLimit: settings.policySizeLimit,
      });
    }
    if (update.keptWildcards.length > 0) {
      log.info('Queue is covered by a compacted wildcard that other live queues may need; kept until a complete reconcile', {
        keptWildcards: update.keptWildcards,
      });
    }
    log.info(written ? `SQS endpoint policy updated: ${what}` : `SQS endpoint policy already up to date: ${what}`, {
      policyLength: update.document.length,
    });
  }

  /** Applies endpoint actions in order; creations whose ClientToken returns a dead endpoint get one fresh attempt. */
  async function applyEndpointActions(log: Logger, actions: readonly EndpointAction[]) {
    const created: string[] = [];
    const deletions = actions.filter((a) => a.type === 'delete');
    for (const action of actions) {
      if (action.type !== 'create') continue;
      let result = await aws.createEndpoint(action.request);
      if (isDeadEndpointState(result.state)) {
        log.warn('ClientToken returned an earlier dead endpoint; creating a replacement', { endpointId: result.id, state: result.state });
        const deadIds = [...action.deadEndpointIds, result.id];
        const retry = createAction(
          action.environment,
          action.endpointKind,
          action.request.serviceName,
          action.request.subnetIds,
          endpointContext,
          deadIds,
        );
        result = await aws.createEndpoint(retry.request);
      }
      created.push(result.id);
      log.info('Created VPC endpoint', {
        endpointKind: action.endpointKind,
        endpointId: result.id,
        serviceName: action.request.serviceName,
        state: result.state,
      });
    }
    // Stryker disable next-line ConditionalExpression,EqualityOperator: the adapter's deleteEndpoints([]) makes no call, and the loop below is then empty
    if (deletions.length > 0) {
      await aws.deleteEndpoints(deletions.map((d) => d.endpointId));
      for (const deletion of deletions) {
        log.info('Deleted VPC endpoint', { endpointKind: deletion.endpointKind, endpointId: deletion.endpointId, reason: deletion.reason });
      }
    }
    return { created, deleted: deletions.map((d) => d.endpointId) };
  }

  function logDecisionNotes(log: Logger, decision: EndpointDecision): void {
    for (const note of decision.notes) log.info(note);
  }

  async function onPending(log: Logger, environment: EnvironmentSpec, scope: PolicyScope): Promise<HandlerResult> {
    const base = { account: environment.account, environmentName: environment.name, status: environment.status };
    // Queue first: once the endpoints exist MWAA resumes, and its workers need SQS straight away.
    const policy = await updatePolicy(scope, (resources) =>
      addQueuesToPolicy(resources, [environment.celeryExecutorQueue], scope, settings.policySizeLimit),
    );
    if (!policy.update.ok) {
      log.error('Rejected environment: its Celery queue cannot be added to the SQS endpoint policy; no endpoint created', {
        reason: policy.update.reason,
        celeryExecutorQueue: environment.celeryExecutorQueue,
      });
      return {
        outcome: 'rejected',
        account: environment.account,
        environmentName: environment.name,
        reasons: [{ code: 'policy-not-updatable', message: policy.update.reason }],
      };
    }
    logPolicyUpdate(log, policy.update, policy.written, `allow ${environment.celeryExecutorQueue}`);

    const observed = await aws.describeManagedEndpoints(environment);
    const decision = decideEnvironmentEndpoints(environment, observed, endpointContext, { pruneStale: true });
    logDecisionNotes(log, decision);
    const applied = await applyEndpointActions(log, decision.actions);
    return {
      outcome: 'applied',
      ...base,
      createdEndpointIds: applied.created,
      deletedEndpointIds: applied.deleted,
      policyChanged: policy.written,
    };
  }

  async function onDeleted(
    log: Logger,
    environment: EnvironmentRef,
    queue: string | undefined,
    endpointServices: readonly string[],
    scope: PolicyScope,
  ): Promise<HandlerResult> {
    const observed = await aws.describeManagedEndpoints(environment);
    const decision = decideDeletedEnvironment(environment, observed, endpointContext, endpointServices);
    logDecisionNotes(log, decision);
    const applied = await applyEndpointActions(log, decision.actions);

    let policyChanged = false;
    if (queue === undefined) {
      log.warn('DELETED event names no celeryExecutorQueue; its policy entry is left for the next complete reconcile');
    } else {
      const policy = await updatePolicy(scope, (resources) => removeQueueFromPolicy(resources, queue, scope, settings.policySizeLimit));
      if (policy.update.ok) logPolicyUpdate(log, policy.update, policy.written, `remove ${queue}`);
      else
        log.error('Could not remove the queue from the SQS endpoint policy', { reason: policy.update.reason, celeryExecutorQueue: queue });
      policyChanged = policy.written;
    }
    return {
      outcome: 'applied',
      account: environment.account,
      environmentName: environment.name,
      status: 'DELETED',
      createdEndpointIds: applied.created,
      deletedEndpointIds: applied.deleted,
      policyChanged,
    };
  }

  async function reconcile(scope: PolicyScope, validation: ValidationContext): Promise<HandlerResult> {
    const log = logger.createChild({ persistentKeys: { operation: 'reconcile' } });
    // Stryker disable next-line ArrayDeclaration: planReconcile looks observations up by account id; a stray element matches no participant
    const accounts = [];
    for (const account of [...settings.participantAccounts].sort()) {
      const observation = await aws.observeAccount(account, scope.partition);
      if (!observation.complete)
        log.warn('Participant account not fully observed; its removals are skipped', { account, error: observation.error });
      accounts.push(observation);
    }
    const managedEndpoints = await aws.describeManagedEndpoints();
    const plan = planReconcile({ accounts, managedEndpoints, validation, endpoints: endpointContext });
    for (const skip of plan.skipped) {
      log.info(skip.message, {
        ...(skip.account ? { account: skip.account } : {}),
        ...(skip.environmentName ? { environmentName: skip.environmentName } : {}),
      });
    }

    const errors: string[] = [];
    const policy = await updatePolicy(scope, (resources) =>
      plan.complete
        ? policyForLiveQueues(resources, plan.liveQueues, scope, settings.policySizeLimit)
        : addQueuesToPolicy(resources, [...plan.liveQueues], scope, settings.policySizeLimit),
    );
    let allowed: readonly string[];
    if (policy.update.ok) {
      allowed = policy.update.resources;
      logPolicyUpdate(
        log,
        policy.update,
        policy.written,
        plan.complete ? 'exactly the live queues' : 'add missing live queues (incomplete data: no pruning)',
      );
    } else {
      errors.push(policy.update.reason);
      log.error('SQS endpoint policy not updated; environments whose queue is not allowed get no endpoints', {
        reason: policy.update.reason,
      });
      const current = parseSqsEndpointPolicy(await aws.readSqsEndpointPolicy(), scope);
      // Stryker disable next-line ArrayDeclaration: a stray entry that is no queue ARN allows no queue (isQueueAllowed), as the empty list does
      allowed = current.ok ? current.resources : [];
    }

    const created: string[] = [];
    const deleted: string[] = [];
    for (const { environment, decision } of plan.environments) {
      const envLog = logger.createChild({
        persistentKeys: { operation: 'reconcile', account: environment.account, environmentName: environment.name },
      });
      logDecisionNotes(envLog, decision);
      if (decision.actions.length === 0) continue;
      if (!isQueueAllowed(allowed, environment.celeryExecutorQueue, scope)) {
        envLog.error("Skipping endpoint changes: the environment's queue is not allowed by the SQS endpoint policy", {
          celeryExecutorQueue: environment.celeryExecutorQueue,
        });
        continue;
      }
      try {
        const applied = await applyEndpointActions(envLog, decision.actions);
        created.push(...applied.created);
        deleted.push(...applied.deleted);
      } catch (error) {
        errors.push(`${environment.account}/${environment.name}: ${describeError(error)}`);
        envLog.error('Reconcile of environment failed; retried on the next schedule', { error: describeError(error) });
      }
    }
    for (const { environment, decision } of plan.orphans) {
      const envLog = logger.createChild({
        persistentKeys: { operation: 'reconcile', account: environment.account, environmentName: environment.name },
      });
      logDecisionNotes(envLog, decision);
      try {
        const applied = await applyEndpointActions(envLog, decision.actions);
        deleted.push(...applied.deleted);
      } catch (error) {
        errors.push(`${environment.account}/${environment.name}: ${describeError(error)}`);
        envLog.error('Removing orphaned endpoints failed; retried on the next schedule', { error: describeError(error) });
      }
    }
    const result: HandlerResult = {
      outcome: 'reconciled',
      complete: plan.complete,
      createdEndpointIds: created,
      deletedEndpointIds: deleted,
      policyChanged: policy.written,
      errors,
    };
    log.info('Reconcile finished', { ...result });
    return result;
  }

  return async function handle(event: unknown, context?: Pick<Context, 'invokedFunctionArn'>): Promise<HandlerResult> {
    const partition = partitionOfArn(context?.invokedFunctionArn) ?? settings.partition;
    const scope: PolicyScope = { region: settings.region, partition };
    const validation: ValidationContext = {
      region: settings.region,
      partition,
      participantAccounts: settings.participantAccounts,
      sharedSubnetIds: settings.sharedSubnetIds,
    };
    const validated = validateEvent(event, validation);
    if (!validated.ok) {
      const keys = {
        ...(validated.environment.account ? { account: validated.environment.account } : {}),
        ...(validated.environment.name ? { environmentName: validated.environment.name } : {}),
      };
      logger.createChild({ persistentKeys: keys }).error('Rejected event; no AWS change made', {
        reasons: validated.reasons,
        reasonCodes: validated.reasons.map((r) => r.code),
      });
      return { outcome: 'rejected', ...keys, reasons: validated.reasons };
    }

    const parsed = validated.event;
    if (parsed.type === 'scheduled') return reconcile(scope, validation);

    const log = logger.createChild({ persistentKeys: { account: parsed.environment.account, environmentName: parsed.environment.name } });
    try {
      switch (parsed.type) {
        case 'pending':
          log.info('Environment is PENDING: creating its endpoints', { status: parsed.environment.status });
          return await onPending(log, parsed.environment, scope);
        case 'deleted':
          log.info('Environment was DELETED: removing its endpoints and queue', { status: 'DELETED' });
          return await onDeleted(log, parsed.environment, parsed.celeryExecutorQueue, parsed.endpointServices, scope);
        case 'other-status':
          log.info('No endpoint change for this status', { status: parsed.status });
          return {
            outcome: 'ignored',
            account: parsed.environment.account,
            environmentName: parsed.environment.name,
            status: parsed.status,
          };
      }
    } catch (error) {
      log.error('Processing failed; the invocation will be retried', { error: describeError(error) });
      throw error;
    }
  };
}
