import type { ConfigProblem } from '../errors';
import { isWholeServiceAction } from '../iam-actions';
import { partitionOf } from '../model';
import type { PlatformFile } from '../schema/platform';
import type { TeamFile } from '../schema/team';
import { IAM_ROLE_NAME_MAX, effectiveServiceAccounts, irsaRoleName, teamOwnedBuckets, type IrsaStatement } from '../schema/eks';

/** Services whose ARNs carry no region (the account still must be the team's). */
const GLOBAL_SERVICES = new Set(['iam']);

/** Shortest reason accepted for a "*" resource: long enough to say which API cannot be scoped and why. */
export const MIN_WILDCARD_REASON = 20;

const ACTION = /^[a-z0-9-]+:[A-Za-z0-9*?]+$/;
const ARN = /^arn:([^:]*):([^:]*):([^:]*):([^:]*):(.+)$/;

/**
 * Checks what a team's EKS service accounts may do, before anything is synthesized:
 * - every declared (namespace, name) is unique and yields an IAM role name IAM accepts;
 * - Allow statements name no "*" action and no whole-service "svc:*" action;
 * - a "*" resource needs `allowWildcardResourceReason` (and the reason needs a "*" resource);
 * - every other resource is an ARN in the platform's partition, the team's account and the platform's
 *   region (no region for IAM); account-less S3 ARNs must name a bucket the team owns in config.
 * Deny statements only narrow permissions, so they get the format checks but not the scope checks.
 * `file` is the team file; paths point at the offending field.
 */
export function validateIrsa(platform: PlatformFile, team: TeamFile & { file: string }): ConfigProblem[] {
  if (!team.eks) return [];
  const problems: ConfigProblem[] = [];
  const partition = partitionOf(platform.region);
  const owned = teamOwnedBuckets(team, platform);
  const push = (path: string, message: string) => problems.push({ file: team.file, path, message });

  const accounts = effectiveServiceAccounts(team, platform, partition);
  const seen = new Map<string, string>();
  let declaredIndex = 0;
  for (const sa of accounts) {
    // Generated accounts (sample pipeline) are reported against the switch that created them.
    const base = sa.generated ? 'eks.samplePipeline' : `eks.serviceAccounts[${declaredIndex++}]`;
    const key = `${sa.namespace}/${sa.name}`;
    const previous = seen.get(key);
    if (previous) {
      push(
        `${base}.name`,
        `service account "${key}" is already declared by ${previous}; each namespace/name pair gets exactly one IAM role`,
      );
    } else {
      seen.set(key, sa.generated ? 'the sample pipeline (eks.samplePipeline)' : base);
    }
    const roleName = irsaRoleName(platform.platform, team.team, sa.namespace, sa.name);
    if (roleName.length > IAM_ROLE_NAME_MAX) {
      push(
        `${base}.name`,
        `the IAM role name "${roleName}" would be ${roleName.length} characters; IAM allows ${IAM_ROLE_NAME_MAX} (shorten the service account or namespace name)`,
      );
    }
    if (sa.generated) continue;
    sa.statements.forEach((statement, s) => checkStatement(statement, `${base}.statements[${s}]`));
  }
  return problems;

  function checkStatement(statement: IrsaStatement, path: string): void {
    const allow = statement.effect === 'Allow';
    statement.actions.forEach((action, a) => {
      const at = `${path}.actions[${a}]`;
      if (action === '*') {
        if (allow) push(at, '"*" allows every AWS API; list the actions the pod needs, such as s3:GetObject');
        return;
      }
      if (!ACTION.test(action)) {
        push(at, `"${action}" is not an IAM action; write service:Action, such as s3:GetObject`);
        return;
      }
      if (allow && isWholeServiceAction(action))
        push(at, `"${action}" allows every ${action.split(':')[0]} API; list the actions the pod needs`);
    });

    const hasWildcard = statement.resources.includes('*');
    const reason = statement.allowWildcardResourceReason?.trim();
    if (reason !== undefined && !hasWildcard) {
      push(
        `${path}.allowWildcardResourceReason`,
        'allowWildcardResourceReason is only for a "*" resource, and this statement has none; remove it',
      );
    }
    statement.resources.forEach((resource, r) => {
      const at = `${path}.resources[${r}]`;
      if (resource === '*') {
        if (!allow) return;
        if (reason === undefined) {
          push(
            at,
            '"*" is not allowed as a resource; name ARNs, or set allowWildcardResourceReason if the actions support no resource-level permissions',
          );
        } else if (reason.length < MIN_WILDCARD_REASON) {
          push(
            `${path}.allowWildcardResourceReason`,
            `give a reason of at least ${MIN_WILDCARD_REASON} characters for the "*" resource (which API cannot be scoped, and why)`,
          );
        }
        return;
      }
      const arn = ARN.exec(resource);
      if (!arn) {
        push(at, `"${resource}" is not an ARN; write arn:${partition}:service:${platform.region}:${team.accountId}:resource`);
        return;
      }
      if (!allow) return;
      const [, arnPartition, service, region, account, rest] = arn;
      if (arnPartition !== partition) {
        push(at, `partition "${arnPartition}" is not this platform's partition "${partition}"`);
        return;
      }
      if (service === 's3' && region === '' && account === '') {
        const bucket = rest.split('/')[0];
        if (!owned.includes(bucket)) {
          const ownedList = owned.length > 0 ? owned.join(', ') : 'none';
          push(
            at,
            `bucket "${bucket}" is not owned by team ${team.team} in config (owned buckets: ${ownedList}); name only the team's buckets`,
          );
        }
        return;
      }
      if (account !== team.accountId) {
        push(
          at,
          `account "${account}" is not team ${team.team}'s account ${team.accountId}; service accounts may only reach their own account`,
        );
      }
      if (GLOBAL_SERVICES.has(service)) {
        if (region !== '') push(at, `${service} ARNs have no region; write arn:${partition}:${service}::${team.accountId}:...`);
      } else if (region !== platform.region) {
        push(at, `region "${region}" is not the platform region ${platform.region}`);
      }
    });
  }
}
