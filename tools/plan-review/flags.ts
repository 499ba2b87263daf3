/**
 * Risk detectors over one `resource_changes[]` entry. Each returns zero or more flags; every flag makes the
 * review "risky" (exit code 4 with --detailed-exitcode), because each one is a change a platform reviewer must look at: data-loss or
 * outage (destructive), who-can-do-what (IAM / resource policies / security groups / the shared SQS endpoint
 * policy) or blast radius beyond the team (cross-team).
 */
import { diffStatements, parsePolicyJson } from '../rules/policy';
import { changeKind, isUnknown, type ChangeKind, type PlanResourceChange } from './plan-json';

export type FlagKind = 'destructive' | 'iam' | 'resource-policy' | 'security-group' | 'sqs-endpoint-policy' | 'cross-team';

export interface Flag {
  readonly kind: FlagKind;
  readonly address: string;
  /** One line, markdown. */
  readonly title: string;
  /** Markdown lines shown under the title (code blocks included). */
  readonly details: readonly string[];
}

export interface FlagContext {
  readonly team?: string;
  readonly teamOwns: (team: string, name: string) => boolean;
}

/** Replacing or deleting these loses data, breaks every team, or cuts the shared network. */
export const DESTRUCTIVE_TYPES: ReadonlySet<string> = new Set([
  'aws_mwaa_environment',
  'aws_s3_bucket',
  'aws_eks_cluster',
  'aws_vpc_endpoint',
  'aws_ram_resource_share',
  'aws_ram_resource_association',
  'aws_ram_principal_association',
  'aws_vpc',
  'aws_subnet',
  'aws_kms_key',
  'aws_cloudwatch_event_bus',
]);

/** Resource types only the owner stack may manage; seeing them in a participant stack is cross-team by definition. */
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

const IDENTITY_POLICY_TYPES = new Set(['aws_iam_role_policy', 'aws_iam_policy', 'aws_iam_user_policy', 'aws_iam_group_policy']);
const ATTACHMENT_TYPES: Readonly<Record<string, string>> = {
  aws_iam_role_policy_attachment: 'role',
  aws_iam_user_policy_attachment: 'user',
  aws_iam_group_policy_attachment: 'group',
};
/** Types whose `policy` is an optional, computed attribute (the resource exists for more than its policy). */
const OPTIONAL_POLICY_TYPES = new Set(['aws_sqs_queue', 'aws_kms_key', 'aws_vpc_endpoint']);
const RESOURCE_POLICY_TYPES = new Set([
  'aws_s3_bucket_policy',
  'aws_sqs_queue_policy',
  'aws_sqs_queue',
  'aws_kms_key',
  'aws_cloudwatch_event_bus_policy',
  'aws_vpc_endpoint',
  'aws_vpc_endpoint_policy',
  'aws_lambda_permission',
]);

type Obj = Readonly<Record<string, unknown>>;

const code = (s: string): string => '`' + s.replace(/`/g, "'") + '`';
const diffBlock = (added: readonly string[], removed: readonly string[]): string[] =>
  added.length + removed.length === 0 ? [] : ['```diff', ...removed.map((s) => `- ${s}`), ...added.map((s) => `+ ${s}`), '```'];

/** Semantic diff of a policy attribute; undefined when the policy did not change. */
export function policyAttrDiff(
  rc: PlanResourceChange,
  attr: string,
): { readonly added: readonly string[]; readonly removed: readonly string[]; readonly note?: string; readonly unknown?: boolean } | undefined {
  const kind = changeKind(rc.change.actions);
  const before = kind === 'create' ? undefined : rc.change.before?.[attr];
  const afterUnknown = kind !== 'delete' && isUnknown(rc.change.after_unknown, attr);
  const after = kind === 'delete' ? undefined : rc.change.after?.[attr];
  if (!afterUnknown && norm(before) === norm(after)) return undefined;
  const b = parsePolicyJson(before);
  const a = parsePolicyJson(after);
  const { added, removed } = diffStatements(b, a);
  if (afterUnknown) return { added: [], removed, note: 'new policy is known only after apply', unknown: true };
  if (after && !a) return { added: [String(after)], removed, note: 'new policy is not parseable JSON; shown raw' };
  if (added.length + removed.length === 0 && kind === 'update') return undefined; // formatting-only
  return { added, removed };
}

const norm = (v: unknown): string => (v === undefined || v === null || v === '' ? '' : typeof v === 'string' ? v : JSON.stringify(v));

function sets(before: unknown, after: unknown): { added: string[]; removed: string[] } {
  const b = Array.isArray(before) ? before.map(String) : [];
  const a = Array.isArray(after) ? after.map(String) : [];
  return { added: a.filter((x) => !b.includes(x)), removed: b.filter((x) => !a.includes(x)) };
}

function iamFlags(rc: PlanResourceChange, kind: ChangeKind): Flag[] {
  const { before, after } = rc.change;
  const verb = kind === 'create' ? 'new' : kind === 'delete' ? 'removed' : kind === 'replace' ? 'replaced' : 'changed';
  const flags: Flag[] = [];
  if (rc.type === 'aws_iam_role') {
    const trust = policyAttrDiff(rc, 'assume_role_policy');
    if (trust) flags.push(policyFlag('iam', rc, `${verb} trust policy of IAM role ${code(rc.address)}`, trust));
    const inline = new Map<string, [unknown, unknown]>();
    for (const [i, side] of [before, after].entries()) {
      const blocks = (side && kind !== (i === 0 ? 'create' : 'delete') ? (side.inline_policy as Obj[] | undefined) : undefined) ?? [];
      for (const p of blocks) {
        const e = inline.get(String(p.name)) ?? [undefined, undefined];
        e[i] = p.policy;
        inline.set(String(p.name), e);
      }
    }
    for (const [name, [b, a]] of inline) {
      if (norm(b) === norm(a)) continue;
      const d = diffStatements(parsePolicyJson(b), parsePolicyJson(a));
      if (d.added.length + d.removed.length) flags.push(policyFlag('iam', rc, `inline policy ${code(name)} of IAM role ${code(rc.address)}`, d));
    }
    const managed = sets(kind === 'create' ? [] : before?.managed_policy_arns, kind === 'delete' ? [] : after?.managed_policy_arns);
    if (managed.added.length + managed.removed.length) {
      flags.push({
        kind: 'iam',
        address: rc.address,
        title: `managed policies of IAM role ${code(rc.address)} changed`,
        details: diffBlock(managed.added, managed.removed),
      });
    }
  } else if (IDENTITY_POLICY_TYPES.has(rc.type)) {
    const d = policyAttrDiff(rc, 'policy');
    if (d || kind === 'delete' || kind === 'create') {
      flags.push(policyFlag('iam', rc, `${verb} IAM policy ${code(rc.address)}`, d ?? { added: [], removed: [] }));
    }
  } else if (rc.type in ATTACHMENT_TYPES && kind !== 'update') {
    const principalAttr = ATTACHMENT_TYPES[rc.type];
    const side = after ?? before ?? {};
    const arn = isUnknown(rc.change.after_unknown, 'policy_arn') ? '(known after apply)' : String(side.policy_arn ?? '?');
    const who = side[principalAttr] === undefined ? '(known after apply)' : String(side[principalAttr]);
    const what = kind === 'delete' ? 'detaches' : kind === 'replace' ? 're-attaches' : 'attaches';
    flags.push({ kind: 'iam', address: rc.address, title: `${what} ${code(arn)} to ${principalAttr} ${code(who)}`, details: [] });
  } else if (rc.type === 'aws_iam_policy_attachment' || rc.type === 'aws_iam_role_policy_attachments_exclusive' || rc.type === 'aws_iam_role_policies_exclusive') {
    const attr = rc.type === 'aws_iam_role_policies_exclusive' ? 'policy_names' : rc.type === 'aws_iam_policy_attachment' ? 'roles' : 'policy_arns';
    const d = sets(kind === 'create' ? [] : before?.[attr], kind === 'delete' ? [] : after?.[attr]);
    if (d.added.length + d.removed.length || kind !== 'update') {
      flags.push({ kind: 'iam', address: rc.address, title: `${verb} policy attachments ${code(rc.address)}`, details: diffBlock(d.added, d.removed) });
    }
  } else if (rc.type === 'aws_iam_openid_connect_provider') {
    flags.push({
      kind: 'iam',
      address: rc.address,
      title: `${verb} IAM OIDC provider ${code(rc.address)} (federated trust for IRSA)`,
      details: [],
    });
  }
  return flags;
}

function policyFlag(
  kind: FlagKind,
  rc: PlanResourceChange,
  title: string,
  d: { readonly added: readonly string[]; readonly removed: readonly string[]; readonly note?: string; readonly unknown?: boolean },
): Flag {
  const counts = d.unknown ? `(policy known after apply; -${d.removed.length} statements)` : `(+${d.added.length} / -${d.removed.length} statements)`;
  return {
    kind,
    address: rc.address,
    title: `${title} ${counts}`,
    details: [...(d.note ? [`_${d.note}_`] : []), ...diffBlock(d.added, d.removed)],
  };
}

const isSqsEndpoint = (rc: PlanResourceChange): boolean => {
  if (rc.type === 'aws_vpc_endpoint_policy') return /sqs/i.test(rc.name);
  if (rc.type !== 'aws_vpc_endpoint') return false;
  const svc = (rc.change.after ?? rc.change.before)?.service_name;
  return typeof svc === 'string' && svc.endsWith('.sqs');
};

/** Queue ARNs named in Resource of a policy's statements (what the endpoint lets through). */
function policyResources(text: unknown): string[] {
  return [...new Set((parsePolicyJson(text)?.statements ?? []).flatMap((s) => s.resources ?? []))].sort();
}

function resourcePolicyFlags(rc: PlanResourceChange, kind: ChangeKind): Flag[] {
  if (!RESOURCE_POLICY_TYPES.has(rc.type)) return [];
  const d = policyAttrDiff(rc, 'policy');
  // On create, an unknown `policy` of a larger resource is usually the computed default, not a policy we set.
  if (kind === 'create' && d?.unknown && OPTIONAL_POLICY_TYPES.has(rc.type)) return [];
  if (rc.type === 'aws_lambda_permission') {
    if (kind === 'update' || kind === 'no-op') return [];
    const s = rc.change.after ?? rc.change.before ?? {};
    return [
      {
        kind: 'resource-policy',
        address: rc.address,
        title: `${kind} Lambda permission: ${code(String(s.principal ?? '?'))} may ${code(String(s.action ?? '?'))} on ${code(String(s.function_name ?? '?'))}`,
        details: [],
      },
    ];
  }
  if (!d) return [];
  if (isSqsEndpoint(rc)) {
    const q = sets(kind === 'create' ? [] : policyResources(rc.change.before?.policy), kind === 'delete' ? [] : policyResources(rc.change.after?.policy));
    const after = rc.change.after?.policy;
    const size = typeof after === 'string' ? [`Policy size after change: ${after.length} characters (VPC endpoint policy limit 20,480).`] : [];
    return [
      {
        kind: 'sqs-endpoint-policy',
        address: rc.address,
        title: `SQS interface endpoint policy ${code(rc.address)} changes (+${q.added.length} / -${q.removed.length} queue resources)`,
        details: [...size, ...(d.note ? [`_${d.note}_`] : []), ...diffBlock(d.added, d.removed)],
      },
    ];
  }
  return [policyFlag('resource-policy', rc, `resource policy of ${code(rc.address)} changes`, d)];
}

/** One-line description of a security group rule in any of the three Terraform shapes. */
export function describeSgRule(direction: string, r: Obj): string {
  const proto = String(r.protocol ?? r.ip_protocol ?? '?');
  const from = r.from_port;
  const to = r.to_port;
  const ports = proto === '-1' || proto === 'all' ? 'all ports' : from === to || to === undefined ? `port ${from}` : `ports ${from}-${to}`;
  const peers = [
    ...((r.cidr_blocks as string[]) ?? []),
    ...((r.ipv6_cidr_blocks as string[]) ?? []),
    ...((r.prefix_list_ids as string[]) ?? []),
    ...((r.security_groups as string[]) ?? []),
    ...[r.cidr_ipv4, r.cidr_ipv6, r.prefix_list_id, r.referenced_security_group_id, r.source_security_group_id].filter(
      (x): x is string => typeof x === 'string' && x !== '',
    ),
    ...(r.self === true ? ['self'] : []),
  ];
  const dir = direction === 'ingress' ? 'from' : 'to';
  return `${direction} ${proto === '-1' ? 'all protocols' : proto} ${ports} ${dir} ${peers.join(', ') || '(none)'}`;
}

const WORLD = ['0.0.0.0/0', '::/0'];
const opensWorld = (direction: string, r: Obj): boolean =>
  direction === 'ingress' &&
  [...((r.cidr_blocks as string[]) ?? []), ...((r.ipv6_cidr_blocks as string[]) ?? []), r.cidr_ipv4, r.cidr_ipv6].some((c) => WORLD.includes(c as string));

function canonicalRule(r: Obj): string {
  const sorted = Object.fromEntries(
    Object.entries(r)
      .filter(([k]) => k !== 'description')
      .map(([k, v]): [string, unknown] => [k, Array.isArray(v) ? [...v].map(String).sort() : v])
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  return JSON.stringify(sorted);
}

function securityGroupFlags(rc: PlanResourceChange, kind: ChangeKind): Flag[] {
  const { before, after } = rc.change;
  const lines: { added: string[]; removed: string[] } = { added: [], removed: [] };
  let world = false;
  if (rc.type === 'aws_security_group') {
    for (const direction of ['ingress', 'egress']) {
      const b = ((kind === 'create' ? [] : before?.[direction]) as Obj[] | undefined) ?? [];
      const a = ((kind === 'delete' ? [] : after?.[direction]) as Obj[] | undefined) ?? [];
      const bk = b.map(canonicalRule);
      const ak = a.map(canonicalRule);
      for (const r of a.filter((_, i) => !bk.includes(ak[i]))) {
        lines.added.push(describeSgRule(direction, r));
        world ||= opensWorld(direction, r);
      }
      for (const r of b.filter((_, i) => !ak.includes(bk[i]))) lines.removed.push(describeSgRule(direction, r));
    }
    if (lines.added.length + lines.removed.length === 0 && !isUnknown(rc.change.after_unknown, 'ingress')) return [];
  } else if (
    rc.type === 'aws_vpc_security_group_ingress_rule' ||
    rc.type === 'aws_vpc_security_group_egress_rule' ||
    rc.type === 'aws_security_group_rule'
  ) {
    const dirOf = (s: Obj): string =>
      rc.type === 'aws_security_group_rule' ? String(s.type) : rc.type.endsWith('ingress_rule') ? 'ingress' : 'egress';
    if (before && kind !== 'create') lines.removed.push(describeSgRule(dirOf(before), before));
    if (after && kind !== 'delete') {
      lines.added.push(describeSgRule(dirOf(after), after));
      world = opensWorld(dirOf(after), after);
    }
    if (kind === 'update' && lines.added[0] === lines.removed[0]) return []; // description/tags only
  } else {
    return [];
  }
  const sg = String((after ?? before)?.security_group_id ?? rc.address);
  return [
    {
      kind: 'security-group',
      address: rc.address,
      title: `security group rules change on ${code(sg)}${world ? ' — **opens ingress to the internet**' : ''}`,
      details: diffBlock(lines.added, lines.removed),
    },
  ];
}

const NAME_ATTRS = ['name', 'name_prefix', 'bucket', 'cluster_name', 'function_name', 'role', 'rule', 'queue_name'];
/** `name` of these is scoped inside a parent the `role`/`cluster_name` check already covers. */
const SCOPED_NAME_TYPES = new Set(['aws_iam_role_policy', 'aws_eks_addon', 'aws_eks_access_policy_association', 'aws_iam_role_policy_attachment']);

function crossTeamFlags(rc: PlanResourceChange, kind: ChangeKind, ctx: FlagContext): Flag[] {
  const team = ctx.team;
  if (!team) return [];
  const side = (kind === 'delete' ? rc.change.before : rc.change.after) ?? {};
  const reasons: string[] = [];
  if (OWNER_ONLY_TYPES.has(rc.type)) reasons.push(`${code(rc.type)} is owned by the platform (owner stack)`);
  // The Team tag (from the provider's default_tags) is authoritative; names are the fallback for untaggable types.
  const teamTag = ['tags_all', 'tags']
    .map((a) => (side[a] as Obj | null | undefined)?.Team)
    .find((t): t is string => typeof t === 'string' && !t.includes('${'));
  if (teamTag !== undefined && teamTag !== team) reasons.push(`tag ${code(`Team=${teamTag}`)} (stack team is ${code(team)})`);
  for (const attr of teamTag === undefined ? NAME_ATTRS : []) {
    if (attr === 'name' && SCOPED_NAME_TYPES.has(rc.type)) continue;
    const v = side[attr];
    if (typeof v !== 'string' || v === '' || v.includes('${') || isUnknown(rc.change.after_unknown, attr)) continue;
    if (!ctx.teamOwns(team, v)) reasons.push(`${attr} ${code(v)} does not carry the team name`);
  }
  return reasons.length
    ? [{ kind: 'cross-team', address: rc.address, title: `${code(rc.address)} may belong to another team: ${reasons.join('; ')}`, details: [] }]
    : [];
}

function destructiveFlags(rc: PlanResourceChange, kind: ChangeKind): Flag[] {
  if (!DESTRUCTIVE_TYPES.has(rc.type) || (kind !== 'replace' && kind !== 'delete')) return [];
  const why = rc.change.replace_paths?.length
    ? ` (forced by ${rc.change.replace_paths.map((p) => code(p.join('.'))).join(', ')})`
    : rc.action_reason
      ? ` (${rc.action_reason})`
      : '';
  return [
    {
      kind: 'destructive',
      address: rc.address,
      title: `**${kind === 'replace' ? 'REPLACES' : 'DELETES'}** ${code(rc.type)} ${code(rc.address)}${why}`,
      details: [],
    },
  ];
}

/** Every flag for one resource change (none for no-op/read). */
export function flagsFor(rc: PlanResourceChange, ctx: FlagContext): Flag[] {
  const kind = changeKind(rc.change.actions);
  if (kind === 'no-op' || kind === 'read' || kind === 'forget' || rc.mode === 'data') return [];
  return [
    ...destructiveFlags(rc, kind),
    ...iamFlags(rc, kind),
    ...resourcePolicyFlags(rc, kind),
    ...securityGroupFlags(rc, kind),
    ...crossTeamFlags(rc, kind, ctx),
  ];
}

/** Default ownership test: the team name appears as a whole token (`mwaa-marketing-dags`, `alias/marketing`). */
export function nameCarriesTeam(team: string, name: string): boolean {
  const esc = team.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9])${esc}([^a-z0-9]|$)`).test(name.toLowerCase());
}
