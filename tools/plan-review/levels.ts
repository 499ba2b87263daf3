/**
 * Risk levels of resource changes (docs/plan-review.md has the taxonomy):
 *   high   — data loss or outage of stateful/shared things, public exposure, cross-account or wildcard grants,
 *            the shared SQS endpoint policy, another team's resources, an Airflow version MWAA cannot move to in place;
 *   review — IAM and resource policies inside the stack's own account, security group rules, environment class/scaling;
 *   info   — everything else (the standard resources every team gets).
 * Pure: a change plus the synthesized configuration in, findings out.
 */
import {
  canonicalStatement,
  diffStatements,
  IDENTITY_POLICY_TYPES,
  isWildcardPrincipal,
  parsePolicyJson,
  STAR_ONLY_ACTIONS,
  type NormalizedPolicy,
  type NormalizedStatement,
} from '../rules';
import { airflowVersionChange } from '../../model/airflow-versions';
import { isReadOnlyAction, isWholeServiceAction } from '../../model/iam-actions';
import { canonical, changedAttributes, type Kind, type Obj, type ResourceChange } from './changes';
import { isUnknown } from './plan-json';
import { accountScopedName } from '../../contracts/account-scoped-names';
import { GITHUB_OIDC_HOST } from '../../contracts/bootstrap';
import { teamOfRecoveryStack } from '../../contracts/names';
import { policyOfValue, type SynthIndex } from './synth-index';

export type Level = 'high' | 'review' | 'info';
export const levelRank = (l: Level | 'none'): number => (l === 'high' ? 3 : l === 'review' ? 2 : l === 'info' ? 1 : 0);
export const maxLevel = (ls: ReadonlyArray<Level | 'none'>): Level | 'none' =>
  ls.reduce<Level | 'none'>((m, l) => (levelRank(l) > levelRank(m) ? l : m), 'none');

export interface Finding {
  readonly level: Level;
  /** Terraform address (shown on demand); empty for stack-level items. */
  readonly address: string;
  /** Readable name: construct path, or the address when there is none. */
  readonly name: string;
  /** One line of markdown. */
  readonly title: string;
  /** Markdown lines under the title (diff blocks). */
  readonly details: readonly string[];
}

export interface LevelContext {
  readonly stack: string;
  readonly team?: string;
  /** Platform name: resources it names once per account (contracts/account-scoped-names.ts) are no cross-team finding. */
  readonly platform?: string;
  /** Account the stack deploys into; grants to other accounts are cross-account. */
  readonly accountId?: string;
  /** The platform's own accounts (owner and teams): trust between them is review, trust beyond them high. */
  readonly platformAccounts?: readonly string[];
  readonly head: SynthIndex;
  /** Base configuration (offline `--base`); plan mode reads `before` from the plan. */
  readonly base?: SynthIndex;
  readonly teamOwns: (team: string, name: string) => boolean;
}

/** Replacing or deleting these loses data, breaks every team, or cuts the shared network. */
export const STATEFUL_TYPES: ReadonlySet<string> = new Set([
  'aws_mwaa_environment',
  'aws_s3_bucket',
  'aws_eks_cluster',
  'aws_vpc',
  'aws_subnet',
  'aws_vpc_endpoint',
  'aws_ram_resource_share',
  'aws_ram_resource_association',
  'aws_ram_principal_association',
  'aws_kms_key',
  'aws_cloudwatch_event_bus',
  'aws_dynamodb_table',
  'aws_eks_node_group',
  // A new topic has none of the subscriptions made outside Terraform: alarms would notify nobody.
  'aws_sns_topic',
  // Its value and replicas go with it, and its name stays taken for the recovery window.
  'aws_secretsmanager_secret',
]);

/** Only the owner stack may manage these; seeing them in a participant stack is cross-team by definition. */
export const OWNER_ONLY_TYPES: ReadonlySet<string> = new Set([
  'aws_vpc',
  'aws_subnet',
  'aws_vpc_endpoint',
  'aws_vpc_endpoint_policy',
  'aws_ram_resource_share',
  'aws_ram_resource_association',
  'aws_ram_principal_association',
  'aws_cloudwatch_event_bus',
  'aws_cloudwatch_event_bus_policy',
]);

/**
 * Resource policies and the attribute holding each: reviewed statement by statement like IAM policies, at the level
 * of the trust they grant (another platform account: review; beyond the platform or `*`: high).
 */
const RESOURCE_POLICY_ATTRIBUTES: Readonly<Record<string, string>> = {
  aws_s3_bucket_policy: 'policy',
  aws_sqs_queue_policy: 'policy',
  aws_sqs_queue: 'policy',
  aws_kms_key: 'policy',
  aws_kms_key_policy: 'policy',
  aws_cloudwatch_event_bus_policy: 'policy',
  aws_vpc_endpoint: 'policy',
  aws_vpc_endpoint_policy: 'policy',
  aws_sns_topic_policy: 'policy',
  aws_ecr_repository_policy: 'policy',
  aws_ecr_registry_policy: 'policy',
  aws_secretsmanager_secret_policy: 'policy',
  aws_codeartifact_domain_permissions_policy: 'policy_document',
  aws_codeartifact_repository_permissions_policy: 'policy_document',
};
/** Resource types whose policy the review reads statement by statement. */
export const RESOURCE_POLICY_TYPES: ReadonlySet<string> = new Set(Object.keys(RESOURCE_POLICY_ATTRIBUTES));
/** Types whose `policy` is optional and computed: the resource exists for more than its policy. */
const OPTIONAL_POLICY_TYPES = new Set(['aws_sqs_queue', 'aws_kms_key', 'aws_vpc_endpoint']);
const SG_RULE_TYPES = new Set(['aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_egress_rule', 'aws_security_group_rule']);
const MWAA_SCALING = ['environment_class', 'min_workers', 'max_workers', 'schedulers', 'min_webservers', 'max_webservers'] as const;

const code = (s: string): string => '`' + String(s).replace(/`/g, "'") + '`';
const WORLD = ['0.0.0.0/0', '::/0'];

const isUnknownAttr = (c: ResourceChange, attr: string): boolean => isUnknown(c.afterUnknown, attr);

/**
 * The resource's values after the change, readable: a plan's unknown attributes (and a config diff's references)
 * come from the configuration with references symbolic.
 */
export function afterView(c: ResourceChange, ctx: LevelContext): Obj | null {
  if (!c.after) return null;
  const config = ctx.head.blocks.get(c.address)?.props;
  if (c.source === 'config') return ctx.head.symbolize(c.after);
  if (!config) return c.after;
  const out: Record<string, unknown> = { ...c.after };
  for (const [k, v] of Object.entries(config))
    if (k !== '//' && (isUnknownAttr(c, k) || out[k] === undefined)) out[k] = ctx.head.symbolize(v);
  return out;
}

export function beforeView(c: ResourceChange, ctx: LevelContext): Obj | null {
  if (!c.before) return null;
  return c.source === 'config' && ctx.base ? ctx.base.symbolize(c.before) : c.before;
}

/** Policy document of `attr` before/after; `fromConfig` when the plan did not know it and the configuration did. */
function policies(
  c: ResourceChange,
  attr: string,
  ctx: LevelContext,
): { before?: NormalizedPolicy; after?: NormalizedPolicy; fromConfig: boolean; unknown: boolean } {
  let before: NormalizedPolicy | undefined;
  let after: NormalizedPolicy | undefined;
  let fromConfig = false;
  let unknown = false;
  if (c.before) {
    before =
      c.source === 'config' && ctx.base
        ? policyOfValue(c.before[attr], ctx.base.blocks, ctx.base.symbolize)
        : parsePolicyJson(c.before[attr]);
  }
  if (c.after) {
    if (c.source === 'config') after = ctx.head.policy(c.address, attr);
    else if (isUnknownAttr(c, attr)) {
      after = ctx.head.policy(c.address, attr);
      fromConfig = !!after;
      unknown = !after;
    } else after = parsePolicyJson(c.after[attr]);
  }
  return { before, after, fromConfig, unknown };
}

const principalText = (ps: NormalizedStatement['principals']): string =>
  (ps ?? []).map((p) => (p.type === '*' ? '*' : `${p.type}: ${p.identifiers.join(', ')}`)).join('; ');

/** `Allow s3:GetObject*, s3:List* on <dag-bucket>.arn/* to Service: airflow.amazonaws.com when StringEquals aws:SourceAccount=…` */
export function describeStatement(s: NormalizedStatement): string {
  const parts: string[] = [s.effect];
  if (s.actions) parts.push(s.actions.join(', '));
  if (s.notActions) parts.push(`every action except ${s.notActions.join(', ')}`);
  if (s.resources) parts.push(`on ${s.resources.join(', ')}`);
  if (s.notResources) parts.push(`on everything except ${s.notResources.join(', ')}`);
  if (s.principals) parts.push(`for ${principalText(s.principals)}`);
  if (s.notPrincipals) parts.push(`for everyone except ${principalText(s.notPrincipals)}`);
  if (s.conditions.length) parts.push(`when ${s.conditions.map((k) => `${k.test} ${k.variable}=${k.values.join('|')}`).join(' and ')}`);
  return parts.join(' ');
}

/** Statements added and removed (Sid, order and formatting ignored). */
function statementDiff(
  before: NormalizedPolicy | undefined,
  after: NormalizedPolicy | undefined,
): { added: NormalizedStatement[]; removed: NormalizedStatement[] } {
  const { added, removed } = diffStatements(before, after);
  const pick = (doc: NormalizedPolicy | undefined, texts: readonly string[]): NormalizedStatement[] => {
    const left = [...texts];
    return (doc?.statements ?? []).filter((s) => {
      const i = left.indexOf(canonicalStatement(s));
      if (i < 0) return false;
      left.splice(i, 1);
      return true;
    });
  };
  return { added: pick(after, added), removed: pick(before, removed) };
}

const accountsIn = (s: NormalizedStatement): string[] =>
  (s.principals ?? [])
    .filter((p) => p.type === 'AWS')
    .flatMap((p) => p.identifiers)
    .map((id) => /^(\d{12})$/.exec(id)?.[1] ?? /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(id)?.[1])
    .filter((a): a is string => !!a);

/** Why an added Allow statement is high: wildcard principal/action/resource or another account. */
function statementRisks(s: NormalizedStatement, ctx: LevelContext, identity: boolean): string[] {
  if (s.effect !== 'Allow') return [];
  const why: string[] = [];
  if (isWildcardPrincipal(s)) why.push('`*` principal');
  const foreign = [...new Set(accountsIn(s))].filter(
    (a) => ctx.accountId && a !== ctx.accountId && !(ctx.platformAccounts ?? []).includes(a),
  );
  if (foreign.length) why.push(`trust of an account outside the platform (${foreign.join(', ')})`);
  // A resource policy giving its own account's root everything is the documented "delegate to IAM" default.
  const ownRootOnly =
    !identity &&
    !!s.principals?.length &&
    s.principals.every(
      (p) =>
        p.type === 'AWS' &&
        p.identifiers.every((id) => ctx.accountId && new RegExp(`^(arn:aws[a-z-]*:iam::)?${ctx.accountId}(:root)?$`).test(id)),
    );
  if (!ownRootOnly && ((s.actions ?? []).some((a) => a === '*' || isWholeServiceAction(a)) || (s.notActions && identity)))
    why.push('wildcard action');
  if (identity && s.resources?.includes('*')) {
    const writes = (s.actions ?? []).filter((a) => !isReadOnlyAction(a) && !STAR_ONLY_ACTIONS.has(a));
    if (writes.length) why.push(`wildcard resource for ${writes.join(', ')}`);
  }
  return why;
}

const diffBlock = (added: readonly string[], removed: readonly string[]): string[] =>
  added.length + removed.length === 0 ? [] : ['```diff', ...removed.map((s) => `- ${s}`), ...added.map((s) => `+ ${s}`), '```'];

function policyFindings(c: ResourceChange, attr: string, label: string, ctx: LevelContext, identity: boolean, name: string): Finding[] {
  const p = policies(c, attr, ctx);
  if (p.unknown && !p.before) {
    return [
      {
        level: 'review',
        address: c.address,
        name,
        title: `${label}: known only after apply, not in the configuration either`,
        details: [],
      },
    ];
  }
  const d = statementDiff(p.before, p.after);
  if (!d.added.length && !d.removed.length) return [];
  const risks = [...new Set(d.added.flatMap((s) => statementRisks(s, ctx, identity)))];
  const platformTrust = [...new Set(d.added.flatMap(accountsIn))].filter(
    (a) => ctx.accountId && a !== ctx.accountId && (ctx.platformAccounts ?? []).includes(a),
  );
  const sqs = isSqsEndpoint(c);
  const level: Level = risks.length || sqs ? 'high' : 'review';
  const why =
    (sqs ? ' — **shared SQS endpoint policy**' : risks.length ? ` — **${risks.join(', ')}**` : '') +
    (platformTrust.length ? ` — trust of platform account(s) ${platformTrust.join(', ')}` : '');
  return [
    {
      level,
      address: c.address,
      name,
      title: `${label} (+${d.added.length} / −${d.removed.length} statements)${why}${p.fromConfig ? ' _(statements from the synthesized configuration; the plan knows them only after apply)_' : ''}`,
      details: diffBlock(d.added.map(describeStatement), d.removed.map(describeStatement)),
    },
  ];
}

const isSqsEndpoint = (c: ResourceChange): boolean => {
  if (c.type === 'aws_vpc_endpoint_policy') return /sqs/i.test(c.address);
  if (c.type !== 'aws_vpc_endpoint') return false;
  const svc = (c.after ?? c.before)?.service_name;
  return typeof svc === 'string' && /\.sqs$/.test(svc);
};

const BROAD_MANAGED_POLICY = /AdministratorAccess|PowerUserAccess|IAMFullAccess/;

/** Managed policies attached or detached through a list attribute (a role's managed_policy_arns, *_attachments_exclusive). */
function managedPolicyFindings(c: ResourceChange, attr: string, ctx: LevelContext, name: string): Finding[] {
  const arns = (side: Obj | null): string[] => (Array.isArray(side?.[attr]) ? (side![attr] as unknown[]).map(String) : []);
  const b = arns(beforeView(c, ctx));
  const a = arns(afterView(c, ctx));
  const added = a.filter((x) => !b.includes(x));
  const removed = b.filter((x) => !a.includes(x));
  if (!added.length && !removed.length) return [];
  const broad = added.some((x) => BROAD_MANAGED_POLICY.test(x));
  return [
    {
      level: broad ? 'high' : 'review',
      address: c.address,
      name,
      title: `managed policies (+${added.length} / −${removed.length})${broad ? ' — **broad AWS managed policy**' : ''}`,
      details: diffBlock(added, removed),
    },
  ];
}

function iamFindings(c: ResourceChange, ctx: LevelContext, name: string): Finding[] {
  const out: Finding[] = [];
  if (c.type === 'aws_iam_role') {
    out.push(...policyFindings(c, 'assume_role_policy', 'trust policy', ctx, false, name));
    out.push(...managedPolicyFindings(c, 'managed_policy_arns', ctx, name));
  } else if (IDENTITY_POLICY_TYPES.includes(c.type)) {
    out.push(...policyFindings(c, 'policy', 'permissions', ctx, true, name));
  } else if (/^aws_iam_(role|user|group)_policy_attachment$/.test(c.type) || c.type === 'aws_iam_policy_attachment') {
    if (c.kind === 'update') return out;
    const side = afterView(c, ctx) ?? beforeView(c, ctx) ?? {};
    const arn = String(side.policy_arn ?? '?');
    const what = c.kind === 'delete' ? 'detaches' : 'attaches';
    const admin = BROAD_MANAGED_POLICY.test(arn) && c.kind !== 'delete';
    out.push({
      level: admin ? 'high' : 'review',
      address: c.address,
      name,
      title: `${what} ${code(arn)}${admin ? ' — **broad AWS managed policy**' : ''}`,
      details: [],
    });
  } else if (/^aws_iam_(role|user|group)_policy_attachments_exclusive$/.test(c.type)) {
    // The provider's successor of a role's managed_policy_arns: the whole set of attached policies.
    out.push(...managedPolicyFindings(c, 'policy_arns', ctx, name));
  } else if (c.type === 'aws_iam_openid_connect_provider') {
    const url = (afterView(c, ctx) ?? beforeView(c, ctx) ?? {}).url;
    out.push({ level: 'review', address: c.address, name, title: `${c.kind} ${oidcProviderLabel(url)}`, details: [] });
  }
  return out;
}

/**
 * What an IAM OIDC provider lets sign in, from its URL: GitHub Actions' issuer is the CI roles' trust (bootstrap),
 * an EKS cluster's issuer is IRSA (pods assuming roles); an EKS issuer is only known after apply, so the plan shows
 * the configuration's reference to the cluster's `identity` instead.
 */
export function oidcProviderLabel(url: unknown): string {
  const u = typeof url === 'string' ? url : '';
  if (u.includes(GITHUB_OIDC_HOST)) return 'GitHub Actions OIDC provider (federated trust for the CI deploy and plan roles)';
  if (/oidc\.eks\.[a-z0-9-]+\.amazonaws\.com/.test(u) || /identity(\[0\])?\.oidc(\[0\])?\.issuer/.test(u))
    return 'EKS cluster OIDC provider (federated trust for IRSA: service accounts assuming IAM roles)';
  return u ? `IAM OIDC provider (federated trust for ${code(u)})` : 'IAM OIDC provider (federated trust; URL known after apply)';
}

/** One-line description of a security group rule; "itself" when it references its own group. */
export function describeSgRule(direction: string, r: Obj, ctx: LevelContext): string {
  const proto = String(r.protocol ?? r.ip_protocol ?? '?');
  const ports =
    proto === '-1' || proto === 'all'
      ? 'all ports'
      : r.from_port === r.to_port || r.to_port === undefined
        ? `port ${r.from_port}`
        : `ports ${r.from_port}-${r.to_port}`;
  const own = String(r.security_group_id ?? '');
  const group = (g: unknown): string => {
    const s = String(g);
    if (s === own || r.self === true) return 'itself';
    const m = /^<(.+)>\.id$/.exec(s);
    return m ? `group ${m[1]}` : `group ${s}`;
  };
  const peers = [
    ...((r.cidr_blocks as string[]) ?? []),
    ...((r.ipv6_cidr_blocks as string[]) ?? []),
    ...((r.prefix_list_ids as string[]) ?? []).map((p) => `prefix list ${p}`),
    ...[r.cidr_ipv4, r.cidr_ipv6].filter((x): x is string => typeof x === 'string' && x !== ''),
    ...[r.prefix_list_id].filter((x): x is string => typeof x === 'string' && x !== '').map((p) => `prefix list ${p}`),
    ...[r.referenced_security_group_id, r.source_security_group_id].filter((x) => typeof x === 'string' && x !== '').map(group),
    ...((r.security_groups as string[]) ?? []).map(group),
    ...(r.self === true ? ['itself'] : []),
  ];
  void ctx;
  const dir = direction === 'ingress' ? 'from' : 'to';
  return `${direction} ${proto === '-1' ? 'all protocols' : proto} ${ports} ${dir} ${[...new Set(peers)].join(', ') || '(nothing)'}`;
}

const opensWorld = (direction: string, r: Obj): boolean =>
  direction === 'ingress' && [r.cidr_blocks, r.ipv6_cidr_blocks, r.cidr_ipv4, r.cidr_ipv6].flat().some((x) => WORLD.includes(x as string));

function sgFindings(c: ResourceChange, ctx: LevelContext, name: string): Finding[] {
  const before = beforeView(c, ctx);
  const after = afterView(c, ctx);
  const added: string[] = [];
  const removed: string[] = [];
  let world = false;
  if (c.type === 'aws_security_group') {
    for (const direction of ['ingress', 'egress']) {
      const b = ((before?.[direction] as Obj[] | undefined) ?? []).filter((x) => x && typeof x === 'object');
      const a = ((after?.[direction] as Obj[] | undefined) ?? []).filter((x) => x && typeof x === 'object');
      const bk = b.map((r) => canonical({ ...r, description: undefined }));
      const ak = a.map((r) => canonical({ ...r, description: undefined }));
      a.forEach((r, i) => {
        if (!bk.includes(ak[i])) {
          added.push(describeSgRule(direction, r, ctx));
          world ||= opensWorld(direction, r);
        }
      });
      b.forEach((r, i) => !ak.includes(bk[i]) && removed.push(describeSgRule(direction, r, ctx)));
    }
  } else if (SG_RULE_TYPES.has(c.type)) {
    const dirOf = (s: Obj): string =>
      c.type === 'aws_security_group_rule' ? String(s.type) : c.type.endsWith('ingress_rule') ? 'ingress' : 'egress';
    if (before) removed.push(describeSgRule(dirOf(before), before, ctx));
    if (after) {
      added.push(describeSgRule(dirOf(after), after, ctx));
      world = opensWorld(dirOf(after), after);
    }
    if (c.kind === 'update' && added[0] === removed[0]) return [];
  } else return [];
  if (!added.length && !removed.length) return [];
  // Rules are named by their group, so one group's rules read as one item.
  const groupName = SG_RULE_TYPES.has(c.type) && name.includes(' / ') ? name.split(' / ').slice(0, -1).join(' / ') : name;
  return [
    {
      level: world ? 'high' : 'review',
      address: c.address,
      name: groupName,
      title: `security group rules${world ? ' — **opens ingress to the internet**' : ''}`,
      details: diffBlock(added, removed),
    },
  ];
}

function mwaaFindings(c: ResourceChange, ctx: LevelContext, name: string): Finding[] {
  if (c.type !== 'aws_mwaa_environment' || c.kind === 'delete') return [];
  const before = beforeView(c, ctx);
  const after = afterView(c, ctx) ?? {};
  const out: Finding[] = [];
  const env = String(after.name ?? name);
  if (after.webserver_access_mode === 'PUBLIC_ONLY' && before?.webserver_access_mode !== 'PUBLIC_ONLY') {
    out.push({
      level: 'high',
      address: c.address,
      name,
      title: `**public webserver** (\`PUBLIC_ONLY\`): the Airflow UI of ${code(env)} is reachable from the internet (sign-in still required)`,
      details: [],
    });
  }
  // The version verdict also for a replacement: a plan from state turns 2.x → 3.x into one (the provider forces
  // a new environment on a major bump), and the reviewer needs to know whether MWAA could keep the environment.
  if (before) {
    const fromV = String(before.airflow_version ?? '');
    const toV = String(after.airflow_version ?? '');
    if (fromV && toV && fromV !== toV) {
      // The model's one answer to "what does MWAA do with this version change" (validation uses it too).
      const change = airflowVersionChange(fromV, toV, env);
      const high = change.kind === 'new-environment' || (change.kind === 'in-place' && change.terraformReplaces);
      // A replacement for another reason already reads as REPLACES; a minor change inside it adds nothing.
      if (change.kind !== 'none' && (high || c.kind !== 'replace')) {
        out.push({
          level: high ? 'high' : 'review',
          address: c.address,
          name,
          title: high
            ? `**Airflow ${fromV} → ${toV}: not an in-place change here** — ${change.message}`
            : `Airflow ${fromV} → ${toV}: in-place ${change.direction} (the environment is unavailable while MWAA updates it)`,
          details: [],
        });
      }
    }
  }
  if (before && c.kind !== 'replace') {
    const changed = MWAA_SCALING.filter((k) => canonical(before[k] ?? null) !== canonical(after[k] ?? null));
    if (changed.length) {
      out.push({
        level: 'review',
        address: c.address,
        name,
        title: `class/scaling: ${changed.map((k) => `${k} ${before[k] ?? '—'} → ${after[k] ?? '—'}`).join(', ')}`,
        details: [],
      });
    }
  }
  return out;
}

function eksFindings(c: ResourceChange, ctx: LevelContext, name: string): Finding[] {
  if (c.type !== 'aws_eks_cluster' || c.kind === 'delete') return [];
  const vpc = (side: Obj | null): Obj | undefined => {
    const v = side?.vpc_config;
    return (Array.isArray(v) ? v[0] : v) as Obj | undefined;
  };
  const pub = (side: Obj | null): boolean => {
    const v = vpc(side);
    return (
      v?.endpoint_public_access === true ||
      v?.endpoint_public_access === 'true' ||
      (v !== undefined && v.endpoint_public_access === undefined && c.source === 'config')
    );
  };
  if (pub(afterView(c, ctx)) && !pub(beforeView(c, ctx))) {
    const cidrs = (vpc(afterView(c, ctx))?.public_access_cidrs as string[] | undefined) ?? ['0.0.0.0/0'];
    return [{ level: 'high', address: c.address, name, title: `**public EKS API endpoint** (from ${cidrs.join(', ')})`, details: [] }];
  }
  return [];
}

function destructiveFindings(c: ResourceChange, name: string): Finding[] {
  if (!STATEFUL_TYPES.has(c.type) || (c.kind !== 'replace' && c.kind !== 'delete')) return [];
  const why = c.replacePaths?.length
    ? ` (forced by ${c.replacePaths.map((p) => code(p.join('.'))).join(', ')})`
    : c.actionReason
      ? ` (${c.actionReason})`
      : '';
  return [
    {
      level: 'high',
      address: c.address,
      name,
      title: `**${c.kind === 'replace' ? 'REPLACES' : 'DELETES'}** ${code(c.type)}${why}`,
      details: [],
    },
  ];
}

const NAME_ATTRS = ['name', 'name_prefix', 'bucket', 'cluster_name', 'function_name', 'role', 'rule', 'queue_name'];
const SCOPED_NAME_TYPES = new Set([
  'aws_iam_role_policy',
  'aws_eks_addon',
  'aws_eks_access_policy_association',
  'aws_iam_role_policy_attachment',
]);

function crossTeamFindings(c: ResourceChange, ctx: LevelContext, name: string): Finding[] {
  const team = ctx.team;
  if (!team) return [];
  const side = (c.kind === 'delete' ? c.before : c.after) ?? {};
  const reasons: string[] = [];
  if (OWNER_ONLY_TYPES.has(c.type)) reasons.push(`${code(c.type)} belongs to the platform (owner stack)`);
  const teamTag = ['tags_all', 'tags']
    .map((a) => (side[a] as Obj | null | undefined)?.Team)
    .find((t): t is string => typeof t === 'string' && !t.includes('${'));
  if (teamTag !== undefined && teamTag !== team) reasons.push(`tag ${code(`Team=${teamTag}`)} (stack team is ${code(team)})`);
  for (const attr of teamTag === undefined ? NAME_ATTRS : []) {
    if (attr === 'name' && SCOPED_NAME_TYPES.has(c.type)) continue;
    const v = side[attr];
    if (typeof v !== 'string' || v === '' || v.includes('${') || isUnknownAttr(c, attr)) continue;
    // Named once per account by design: every team of the account (or the one holding it) declares this name.
    if (ctx.platform !== undefined && accountScopedName(c.type, attr, v, ctx.platform)) continue;
    if (!ctx.teamOwns(team, v)) reasons.push(`${attr} ${code(v)} does not carry the team name`);
  }
  return reasons.length
    ? [{ level: 'high', address: c.address, name, title: `may belong to another team: ${reasons.join('; ')}`, details: [] }]
    : [];
}

function resourcePolicyFindings(c: ResourceChange, ctx: LevelContext, name: string): Finding[] {
  const attr = RESOURCE_POLICY_ATTRIBUTES[c.type];
  if (!attr) return [];
  // On create, an unknown `policy` of a larger resource (queue, key, endpoint) is its computed default.
  const computedDefault =
    OPTIONAL_POLICY_TYPES.has(c.type) &&
    c.kind === 'create' &&
    c.source === 'plan' &&
    isUnknownAttr(c, attr) &&
    !ctx.head.policy(c.address, attr);
  return computedDefault ? [] : policyFindings(c, attr, 'resource policy', ctx, false, name);
}

/** An account id, or the account of an ARN (`arn:aws:iam::123456789012:root`); undefined for an organization or OU. */
const accountOfPrincipal = (p: string): string | undefined => /^\d{12}$/.exec(p)?.[0] ?? /^arn:aws[a-z-]*:iam::(\d{12}):/.exec(p)?.[1];

/** RAM: a principal association shares the owner's resources with an account, an organization or an OU. */
function ramFindings(c: ResourceChange, ctx: LevelContext, name: string): Finding[] {
  if (c.type === 'aws_ram_principal_association') {
    // An update changes nothing shared; a removal is already DELETES (high, destructiveFindings).
    if (c.kind === 'update' || c.kind === 'delete') return [];
    const principal = String(afterView(c, ctx)?.principal ?? '?');
    const account = accountOfPrincipal(principal);
    if (account === undefined && (principal.includes('${') || principal.startsWith('<')))
      return [
        {
          level: 'review',
          address: c.address,
          name,
          title: `RAM share with a principal known after apply (${code(principal)})`,
          details: [],
        },
      ];
    const inPlatform = account !== undefined && (account === ctx.accountId || (ctx.platformAccounts ?? []).includes(account));
    const what = account === undefined ? 'an organization or OU' : `account ${account}`;
    return [
      {
        level: inPlatform ? 'review' : 'high',
        address: c.address,
        name,
        title: `RAM share with ${what} (${code(principal)})${inPlatform ? ' — trust of a platform account' : " — **trust beyond the platform's accounts**"}`,
        details: [],
      },
    ];
  }
  if (c.type === 'aws_ram_resource_share') {
    const before = beforeView(c, ctx);
    const after = afterView(c, ctx);
    const external = (o: Obj | null): boolean => o?.allow_external_principals === true || o?.allow_external_principals === 'true';
    if (after && external(after) && !external(before))
      return [
        {
          level: 'high',
          address: c.address,
          name,
          title: '**RAM share allows principals outside the organization** (`allow_external_principals`)',
          details: [],
        },
      ];
  }
  return [];
}

/** Every finding for one change; an empty list means the change is info. */
const REPLICATION_TYPE = 'aws_s3_bucket_replication_configuration';

interface ReplicationRule {
  readonly id: string;
  readonly enabled: boolean;
  readonly destination: string;
  readonly deleteMarkers: boolean;
}

/** The rules of a replication configuration as the review reads them (destination bucket, status, delete markers). */
function replicationRules(v: Obj | null): ReplicationRule[] {
  const rules = Array.isArray(v?.rule) ? (v.rule as Obj[]) : [];
  const one = (x: unknown): Obj => ((Array.isArray(x) ? x[0] : x) as Obj | undefined) ?? {};
  return rules.map((r) => ({
    id: String(r.id ?? ''),
    enabled: r.status === 'Enabled',
    destination: String(one(r.destination).bucket ?? '?').replace(/^arn:aws[a-z-]*:s3:::/, ''),
    deleteMarkers: one(r.delete_marker_replication).status === 'Enabled',
  }));
}

const ruleText = (r: ReplicationRule): string =>
  `${code(r.destination)}${r.enabled ? '' : ' (disabled)'}${r.deleteMarkers ? '' : ' without delete markers'}`;

/**
 * Replication into the recovery region (participant stacks): new replication is review (objects leave the region);
 * replication that stops — deleted, a rule disabled, a destination dropped, delete markers no longer replicated — is
 * high: nothing fails, but a failover would start from stale DAGs and backups.
 */
function replicationFindings(c: ResourceChange, ctx: LevelContext, name: string): Finding[] {
  if (c.type !== REPLICATION_TYPE) return [];
  const source = String((afterView(c, ctx) ?? beforeView(c, ctx))?.bucket ?? name);
  const before = replicationRules(beforeView(c, ctx));
  const after = replicationRules(afterView(c, ctx));
  const finding = (level: Level, title: string): Finding[] => [{ level, address: c.address, name, title, details: [] }];
  if (c.kind === 'delete')
    return finding(
      'high',
      `**replication to the recovery region stops**: new objects of ${code(source)} no longer reach ${before.map(ruleText).join(', ') || 'their replica'}; a failover would start from what the replica holds now`,
    );
  const working = (rs: readonly ReplicationRule[]) => rs.filter((r) => r.enabled).map((r) => `${r.destination}|${r.deleteMarkers}`);
  const lost = working(before).filter((r) => !working(after).includes(r));
  if (lost.length > 0 && c.kind !== 'create')
    return finding(
      'high',
      `**replication to the recovery region reduced**: ${before.map(ruleText).join(', ')} → ${after.map(ruleText).join(', ') || 'no rule'}; a failover would miss what no longer replicates`,
    );
  if (c.kind === 'create' || JSON.stringify(before) !== JSON.stringify(after))
    return finding('review', `replicates ${code(source)} to ${after.map(ruleText).join(', ')}: its objects leave this region`);
  return [];
}

/**
 * An environment of a recovery stack (a warm standby, or a backup-restore one being failed over) must keep its DAGs
 * paused until failover unpauses them: otherwise it runs the primary's schedules a second time, against the same
 * external systems.
 */
function recoveryEnvironmentFindings(c: ResourceChange, ctx: LevelContext, name: string): Finding[] {
  if (c.type !== 'aws_mwaa_environment' || c.kind === 'delete' || teamOfRecoveryStack(ctx.stack) === undefined) return [];
  const after = afterView(c, ctx) ?? {};
  const options = (after.airflow_configuration_options ?? {}) as Obj;
  const paused = options['core.dags_are_paused_at_creation'];
  if (String(paused).toLowerCase() === 'true') return [];
  return [
    {
      level: 'high',
      address: c.address,
      name,
      title: `**recovery environment ${code(String(after.name ?? name))} would run its DAGs**: \`core.dags_are_paused_at_creation\` is ${paused === undefined ? 'unset' : code(String(paused))}, so it would run the primary's schedules a second time`,
      details: [],
    },
  ];
}

export function findingsFor(c: ResourceChange, ctx: LevelContext): Finding[] {
  const name = ctx.head.blocks.has(c.address)
    ? ctx.head.name(c.address)
    : ctx.base?.blocks.has(c.address)
      ? ctx.base.name(c.address)
      : c.address;
  const out = [
    ...destructiveFindings(c, name),
    ...mwaaFindings(c, ctx, name),
    ...recoveryEnvironmentFindings(c, ctx, name),
    ...replicationFindings(c, ctx, name),
    ...eksFindings(c, ctx, name),
    ...iamFindings(c, ctx, name),
    // On create, an unknown `policy` of a larger resource (queue, key, endpoint) is its computed default.
    ...resourcePolicyFindings(c, ctx, name),
    ...ramFindings(c, ctx, name),
    ...sgFindings(c, ctx, name),
    ...crossTeamFindings(c, ctx, name),
  ];
  return out;
}

/** Attribute-level diff lines of an update (symbolic references), for info/review detail. */
export function attributeDiff(c: ResourceChange, ctx: LevelContext): string[] {
  const b = beforeView(c, ctx);
  const a = afterView(c, ctx);
  const show = (v: unknown): string => (v === undefined || v === null ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
  const clip = (s: string): string => (s.length > 160 ? `${s.slice(0, 157)}…` : s);
  return changedAttributes({ ...c, before: b, after: a }).map(
    ({ attr }) =>
      `${attr}: ${clip(show(b?.[attr]))} → ${clip(show(isUnknownAttr(c, attr) && c.source === 'plan' && a?.[attr] === undefined ? '(known after apply)' : a?.[attr]))}`,
  );
}

export type { Kind };
