/**
 * Review levels, change by change: each case is one planned (or synthesized) change and the review item a reviewer
 * reads for it — level, title and diff lines. Plans are built inline (the shape of `terraform show -json`).
 */
import fc from 'fast-check';
import type { StackJson } from '../../../tools/rules/types';
import { maxLevel, levelRank, STATEFUL_TYPES, OWNER_ONLY_TYPES, type Level } from '../../../tools/plan-review/levels';
import { reviewPlans, type StackInput, type TerraformPlanJson } from '../../../tools/plan-review/review';
import type { PlanAction } from '../../../tools/plan-review/plan-json';

const ACCOUNT = '111111111111';
const PLATFORM = '222222222222';
const FOREIGN = '999999999999';

interface Rc {
  readonly address: string;
  readonly actions?: readonly PlanAction[];
  readonly before?: Record<string, unknown> | null;
  readonly after?: Record<string, unknown> | null;
  readonly after_unknown?: unknown;
  readonly replace_paths?: ReadonlyArray<ReadonlyArray<string>>;
  readonly action_reason?: string;
}

const typeOf = (address: string): string => address.split('.')[0];
const planOf = (...rcs: Rc[]): TerraformPlanJson => ({
  format_version: '1.2',
  resource_changes: rcs.map((rc) => ({
    address: rc.address,
    mode: 'managed' as const,
    type: typeOf(rc.address),
    name: rc.address.split('.')[1],
    ...(rc.action_reason ? { action_reason: rc.action_reason } : {}),
    change: {
      actions: rc.actions ?? (rc.before && rc.after ? ['update'] : rc.after ? ['create'] : ['delete']),
      before: rc.before ?? null,
      after: rc.after ?? null,
      after_unknown: rc.after_unknown ?? {},
      ...(rc.replace_paths ? { replace_paths: rc.replace_paths } : {}),
    },
  })),
});

const input = (extra: Partial<StackInput>): StackInput => ({
  stack: 'participant-data',
  team: 'data',
  accountId: ACCOUNT,
  platformAccounts: [ACCOUNT, PLATFORM],
  ...extra,
});
/** The review of one participant stack whose plan holds these changes. */
const reviewOf = (rcs: Rc[], extra: Partial<StackInput> = {}) => reviewPlans([input({ plan: planOf(...rcs), ...extra })]).stacks[0];
const items = (rcs: Rc[], extra: Partial<StackInput> = {}) =>
  reviewOf(rcs, extra).findings.map((f) => ({ level: f.level, title: f.title, details: f.details }));
const lines = (rcs: Rc[], extra: Partial<StackInput> = {}) => reviewOf(rcs, extra).findings.map((f) => `${f.level}: ${f.title}`);
const diff = (...ls: string[]) => ['```diff', ...ls, '```'];

const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
const READONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';

describe('managed policies of a role', () => {
  const role = (arns: string[] | undefined) => ({
    name: 'acme-data-exec',
    assume_role_policy: '{"Statement":[]}',
    ...(arns ? { managed_policy_arns: arns } : {}),
  });

  it('adding a broad AWS managed policy is high and names it', () => {
    expect(items([{ address: 'aws_iam_role.exec', before: role([READONLY]), after: role([READONLY, ADMIN]) }])).toEqual([
      { level: 'high', title: 'managed policies (+1 / −0) — **broad AWS managed policy**', details: diff(`+ ${ADMIN}`) },
    ]);
  });

  it.each(['PowerUserAccess', 'IAMFullAccess'])('%s is as broad as AdministratorAccess', (p) => {
    expect(lines([{ address: 'aws_iam_role.exec', before: role([]), after: role([`arn:aws:iam::aws:policy/${p}`]) }])).toEqual([
      'high: managed policies (+1 / −0) — **broad AWS managed policy**',
    ]);
  });

  it('removing one, or adding a narrow one, is review with the diff; reordering is no change', () => {
    expect(items([{ address: 'aws_iam_role.exec', before: role([ADMIN, READONLY]), after: role([READONLY]) }])).toEqual([
      { level: 'review', title: 'managed policies (+0 / −1)', details: diff(`- ${ADMIN}`) },
    ]);
    expect(items([{ address: 'aws_iam_role.exec', before: role(undefined), after: role([READONLY]) }])).toEqual([
      { level: 'review', title: 'managed policies (+1 / −0)', details: diff(`+ ${READONLY}`) },
    ]);
    expect(reviewOf([{ address: 'aws_iam_role.exec', before: role([ADMIN, READONLY]), after: role([READONLY, ADMIN]) }]).findings).toEqual(
      [],
    );
  });

  it('offline (--base), the managed policies come from both configurations', () => {
    const cfg = (arns: string[]): StackJson => ({ resource: { aws_iam_role: { exec: role(arns) } } });
    const r = reviewPlans([input({ baseConfig: cfg([READONLY]), config: cfg([ADMIN]) })]).stacks[0];
    expect(r.findings.map((f) => [f.level, f.title, f.details])).toEqual([
      ['high', 'managed policies (+1 / −1) — **broad AWS managed policy**', diff(`- ${READONLY}`, `+ ${ADMIN}`)],
    ]);
  });
});

describe('exclusive managed policy attachments (the successor of managed_policy_arns)', () => {
  it.each(['role', 'user', 'group'])('aws_iam_%s_policy_attachments_exclusive: each policy added or removed, a broad one high', (kind) => {
    const type = `aws_iam_${kind}_policy_attachments_exclusive`;
    const side = (arns: string[]) => ({ [`${kind}_name`]: 'acme-data-x', policy_arns: arns });
    expect(items([{ address: `${type}.x`, after: side([READONLY, ADMIN]) }])).toEqual([
      { level: 'high', title: 'managed policies (+2 / −0) — **broad AWS managed policy**', details: diff(`+ ${READONLY}`, `+ ${ADMIN}`) },
    ]);
    expect(items([{ address: `${type}.x`, before: side([READONLY, ADMIN]), after: side([READONLY]) }])).toEqual([
      { level: 'review', title: 'managed policies (+0 / −1)', details: diff(`- ${ADMIN}`) },
    ]);
    expect(reviewOf([{ address: `${type}.x`, before: side([ADMIN, READONLY]), after: side([READONLY, ADMIN]) }]).findings).toEqual([]);
  });
});

describe('policy attachments and OIDC providers', () => {
  it('an attachment whose policy is known only after apply says so with ?', () => {
    expect(
      lines([{ address: 'aws_iam_role_policy_attachment.a', after: { role: 'acme-data-exec' }, after_unknown: { policy_arn: true } }]),
    ).toEqual(['review: attaches `?`']);
  });

  it.each([
    'aws_iam_role_policy_attachment',
    'aws_iam_user_policy_attachment',
    'aws_iam_group_policy_attachment',
    'aws_iam_policy_attachment',
  ])('%s: attaching is review, a broad policy high, detaching review', (type) => {
    expect(lines([{ address: `${type}.a`, after: { role: 'acme-data-exec', policy_arn: READONLY } }])).toEqual([
      `review: attaches \`${READONLY}\``,
    ]);
    expect(lines([{ address: `${type}.a`, after: { role: 'acme-data-exec', policy_arn: ADMIN } }])).toEqual([
      `high: attaches \`${ADMIN}\` — **broad AWS managed policy**`,
    ]);
    expect(lines([{ address: `${type}.a`, before: { role: 'acme-data-exec', policy_arn: ADMIN } }])).toEqual([
      `review: detaches \`${ADMIN}\``,
    ]);
  });

  it('an in-place update of an attachment (tags, timeouts) is info', () => {
    const r = reviewOf([
      {
        address: 'aws_iam_role_policy_attachment.a',
        before: { role: 'acme-data-exec', policy_arn: ADMIN },
        after: { role: 'acme-data-exec', policy_arn: ADMIN, x: 1 },
      },
    ]);
    expect(r.findings).toEqual([]);
    expect(r.level).toBe('info');
  });

  it('a backtick in an ARN cannot break the markdown code span', () => {
    expect(
      lines([{ address: 'aws_iam_role_policy_attachment.a', after: { role: 'acme-data-exec', policy_arn: 'arn:aws:iam::1:policy/a`b' } }]),
    ).toEqual(["review: attaches `arn:aws:iam::1:policy/a'b`"]);
  });

  it('an OIDC provider (federated trust) is review', () => {
    expect(
      lines([
        {
          address: 'aws_iam_openid_connect_provider.eks',
          after: { url: 'https://oidc.eks.us-east-1.amazonaws.com/id/X', client_id_list: ['sts.amazonaws.com'] },
        },
      ]),
    ).toEqual(['review: create EKS cluster OIDC provider (federated trust for IRSA: service accounts assuming IAM roles)']);
  });
});

describe('security group rules', () => {
  const sg = (ingress: object[], egress: object[]) => ({ name: 'acme-data-sg', vpc_id: 'vpc-1', ingress, egress });
  const tcp = (port: number, extra: object) => ({ protocol: 'tcp', from_port: port, to_port: port, description: 'd', ...extra });

  it('egress to the internet is review, never reported as ingress', () => {
    expect(
      items([{ address: 'aws_security_group.s', before: sg([], []), after: sg([], [tcp(443, { cidr_blocks: ['0.0.0.0/0'] })]) }]),
    ).toEqual([{ level: 'review', title: 'security group rules', details: diff('+ egress tcp port 443 to 0.0.0.0/0') }]);
    for (const type of ['aws_vpc_security_group_egress_rule', 'aws_security_group_rule']) {
      const rule = {
        security_group_id: 'sg-1',
        ip_protocol: '-1',
        cidr_ipv4: '0.0.0.0/0',
        ...(type === 'aws_security_group_rule' ? { type: 'egress', protocol: '-1', cidr_blocks: ['0.0.0.0/0'] } : {}),
      };
      expect(items([{ address: `${type}.out`, after: rule }])).toEqual([
        { level: 'review', title: 'security group rules', details: diff('+ egress all protocols all ports to 0.0.0.0/0') },
      ]);
    }
  });

  it('ingress from anywhere (IPv4 or IPv6, group or rule resources) is high', () => {
    const world = ' — **opens ingress to the internet**';
    expect(
      lines([{ address: 'aws_security_group.s', before: sg([], []), after: sg([tcp(22, { ipv6_cidr_blocks: ['::/0'] })], []) }]),
    ).toEqual([`high: security group rules${world}`]);
    expect(
      items([
        {
          address: 'aws_vpc_security_group_ingress_rule.in',
          after: { security_group_id: 'sg-1', ip_protocol: 'tcp', from_port: 80, to_port: 90, cidr_ipv6: '::/0' },
        },
      ]),
    ).toEqual([{ level: 'high', title: `security group rules${world}`, details: diff('+ ingress tcp ports 80-90 from ::/0') }]);
    expect(
      lines([
        {
          address: 'aws_security_group_rule.in',
          after: {
            type: 'ingress',
            security_group_id: 'sg-1',
            protocol: 'tcp',
            from_port: 443,
            to_port: 443,
            cidr_blocks: ['10.0.0.0/8', '0.0.0.0/0'],
          },
        },
      ]),
    ).toEqual([`high: security group rules${world}`]);
    // Private ranges are review.
    expect(
      lines([
        {
          address: 'aws_security_group_rule.in',
          after: { type: 'ingress', security_group_id: 'sg-1', protocol: 'tcp', from_port: 443, to_port: 443, cidr_blocks: ['10.0.0.0/8'] },
        },
      ]),
    ).toEqual(['review: security group rules']);
  });

  it('property: an egress rule is never high, an ingress rule is high exactly when a peer is the whole internet', () => {
    const cidr = fc.oneof(
      fc.constantFrom('0.0.0.0/0', '::/0', '10.0.0.0/8', '0.0.0.0/1', '::/1', '192.168.0.0/16'),
      fc.ipV4().map((ip) => `${ip}/32`),
    );
    fc.assert(
      fc.property(
        fc.constantFrom('ingress', 'egress'),
        fc.array(cidr, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 65535 }),
        (direction, cidrs, port) => {
          const rule = { type: direction, security_group_id: 'sg-1', protocol: 'tcp', from_port: port, to_port: port, cidr_blocks: cidrs };
          const [f] = reviewOf([{ address: 'aws_security_group_rule.r', after: rule }]).findings;
          const world = cidrs.some((c) => c === '0.0.0.0/0' || c === '::/0');
          expect(f.level).toBe(direction === 'ingress' && world ? 'high' : 'review');
          expect(f.details).toEqual(
            diff(`+ ${direction} tcp port ${port} ${direction === 'ingress' ? 'from' : 'to'} ${[...new Set(cidrs)].join(', ')}`),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('describes every kind of peer: prefix lists, other groups, itself, nothing', () => {
    const one = (extra: object) =>
      reviewOf([
        {
          address: 'aws_security_group_rule.r',
          after: { type: 'ingress', security_group_id: 'sg-own', protocol: 'tcp', from_port: 5432, to_port: 5432, ...extra },
        },
      ]).findings[0].details[1];
    expect(one({ prefix_list_ids: ['pl-1'] })).toBe('+ ingress tcp port 5432 from prefix list pl-1');
    expect(one({ source_security_group_id: 'sg-other' })).toBe('+ ingress tcp port 5432 from group sg-other');
    expect(one({ source_security_group_id: 'sg-own' })).toBe('+ ingress tcp port 5432 from itself');
    expect(one({ self: true })).toBe('+ ingress tcp port 5432 from itself');
    expect(one({})).toBe('+ ingress tcp port 5432 from (nothing)');
    expect(one({ cidr_blocks: [], ipv6_cidr_blocks: ['fd00::/8'] })).toBe('+ ingress tcp port 5432 from fd00::/8');
    const vpcRule = (extra: object) =>
      reviewOf([
        {
          address: 'aws_vpc_security_group_ingress_rule.r',
          after: { security_group_id: 'sg-own', ip_protocol: 'tcp', from_port: 443, to_port: 443, ...extra },
        },
      ]).findings[0].details[1];
    expect(vpcRule({ prefix_list_id: 'pl-2' })).toBe('+ ingress tcp port 443 from prefix list pl-2');
    expect(vpcRule({ referenced_security_group_id: 'sg-peer', cidr_ipv4: '' })).toBe('+ ingress tcp port 443 from group sg-peer');
    expect(vpcRule({ cidr_ipv4: '10.1.0.0/16', prefix_list_id: '' })).toBe('+ ingress tcp port 443 from 10.1.0.0/16');
    // A group's inline rules: other groups by id, `to_port` absent = one port.
    const inline = reviewOf([
      {
        address: 'aws_security_group.s',
        before: sg([], []),
        after: sg([{ protocol: 'udp', from_port: 53, security_groups: ['sg-a', 'sg-b'] }], []),
      },
    ]).findings[0];
    expect(inline.details).toEqual(diff('+ ingress udp port 53 from group sg-a, group sg-b'));
  });

  it('in a synthesized configuration, references read as the group they name, and rules are listed under their group', () => {
    const cfg = (ports: number[]): StackJson => ({
      resource: {
        aws_security_group: {
          g: { '//': { metadata: { path: 'participant-data/mwaa/sg' } }, name: 'acme-data-sg' },
          peer: { '//': { metadata: { path: 'participant-data/endpoints/peer-sg' } }, name: 'acme-data-peer' },
        },
        aws_vpc_security_group_ingress_rule: Object.fromEntries(
          ports.map((p) => [
            `r${p}`,
            {
              '//': { metadata: { path: `participant-data/mwaa/sg/in-${p}` } },
              security_group_id: '${aws_security_group.g.id}',
              referenced_security_group_id: '${aws_security_group.peer.id}',
              ip_protocol: 'tcp',
              from_port: p,
              to_port: p,
            },
          ]),
        ),
      },
    });
    const r = reviewPlans([input({ baseConfig: cfg([443]), config: cfg([443, 5432]) })]);
    const f = r.stacks[0].findings;
    expect(f.map((x) => [x.level, x.name, x.details])).toEqual([
      ['review', 'participant-data / mwaa / sg', diff('+ ingress tcp port 5432 from group peer-sg')],
    ]);
    // Removing it lists the removal.
    expect(reviewPlans([input({ baseConfig: cfg([443, 5432]), config: cfg([443]) })]).stacks[0].findings[0].details).toEqual(
      diff('- ingress tcp port 5432 from group peer-sg'),
    );
  });

  it('a removed inline rule is listed with a minus; a description-only edit of a group is no change', () => {
    expect(
      items([{ address: 'aws_security_group.s', before: sg([tcp(443, { cidr_blocks: ['10.0.0.0/8'] })], []), after: sg([], []) }]),
    ).toEqual([{ level: 'review', title: 'security group rules', details: diff('- ingress tcp port 443 from 10.0.0.0/8') }]);
    expect(
      reviewOf([
        {
          address: 'aws_security_group.s',
          before: sg([tcp(443, { cidr_blocks: ['10.0.0.0/8'] })], []),
          after: sg([tcp(443, { cidr_blocks: ['10.0.0.0/8'], description: 'new words' })], []),
        },
      ]).findings,
    ).toEqual([]);
    // A rule resource updated in place to a different peer shows both sides.
    const rule = (cidr: string) => ({
      type: 'ingress',
      security_group_id: 'sg-1',
      protocol: 'tcp',
      from_port: 443,
      to_port: 443,
      cidr_blocks: [cidr],
    });
    expect(items([{ address: 'aws_security_group_rule.r', before: rule('10.0.0.0/8'), after: rule('10.1.0.0/16') }])[0].details).toEqual(
      diff('- ingress tcp port 443 from 10.0.0.0/8', '+ ingress tcp port 443 from 10.1.0.0/16'),
    );
    // A rule resource whose description alone changes is no change either.
    expect(
      reviewOf([
        {
          address: 'aws_security_group_rule.r',
          before: { ...rule('10.0.0.0/8'), description: 'a' },
          after: { ...rule('10.0.0.0/8'), description: 'b' },
        },
      ]).findings,
    ).toEqual([]);
  });
});

describe('policy statements', () => {
  const rolePolicy = (statements: object[]) => ({
    name: 'p',
    role: 'acme-data-exec',
    policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
  });
  const added = (statement: object, address = 'aws_iam_role_policy.p') =>
    reviewOf([{ address, after: rolePolicy([statement]) }]).findings[0];

  it('renders every part of a statement: effect, not-action, not-resource, not-principal, conditions', () => {
    expect(
      added({
        Effect: 'Deny',
        NotAction: ['s3:Get*', 's3:List*'],
        NotResource: 'arn:aws:s3:::b/*',
        Condition: { StringEquals: { 'aws:PrincipalTag/team': ['data', 'ops'] }, Bool: { 'aws:SecureTransport': 'false' } },
      }).details,
    ).toEqual(
      diff(
        '+ Deny every action except s3:Get*, s3:List* on everything except arn:aws:s3:::b/* when Bool aws:SecureTransport=false and StringEquals aws:PrincipalTag/team=data|ops',
      ),
    );
    const bucket = reviewOf([
      {
        address: 'aws_s3_bucket_policy.b',
        after: {
          bucket: 'acme-data-b',
          policy: JSON.stringify({
            Statement: [{ Effect: 'Deny', NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:role/x` }, Action: 's3:*', Resource: '*' }],
          }),
        },
      },
    ]).findings[0];
    expect(bucket.details).toEqual(diff(`+ Deny s3:* on * for everyone except AWS: arn:aws:iam::${ACCOUNT}:role/x`));
    expect(bucket.level).toBe('review');
  });

  it('principals by type, * as itself; several excluded resources; a statement with no principal names none', () => {
    const bucket = (statement: object) =>
      reviewOf([
        { address: 'aws_s3_bucket_policy.b', after: { bucket: 'acme-data-b', policy: JSON.stringify({ Statement: [statement] }) } },
      ]).findings[0].details;
    expect(
      bucket({
        Effect: 'Allow',
        Principal: { AWS: [`arn:aws:iam::${ACCOUNT}:role/a`, `arn:aws:iam::${ACCOUNT}:role/b`], Service: 'airflow.amazonaws.com' },
        Action: 's3:GetObject',
        NotResource: ['arn:aws:s3:::x/*', 'arn:aws:s3:::y/*'],
      }),
    ).toEqual(
      diff(
        `+ Allow s3:GetObject on everything except arn:aws:s3:::x/*, arn:aws:s3:::y/* for AWS: arn:aws:iam::${ACCOUNT}:role/a, arn:aws:iam::${ACCOUNT}:role/b; Service: airflow.amazonaws.com`,
      ),
    );
    expect(bucket({ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::acme-data-b/*' })).toEqual(
      diff('+ Deny s3:* on arn:aws:s3:::acme-data-b/* for *'),
    );
  });

  it("trust is judged by AWS principals only, and only when the stack's account is known", () => {
    const trust = (principal: object, extra: Partial<StackInput> = {}) =>
      lines(
        [
          {
            address: 'aws_iam_role.r',
            after: {
              name: 'acme-data-r',
              assume_role_policy: JSON.stringify({
                Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRoleWithWebIdentity' }],
              }),
            },
          },
        ],
        extra,
      );
    // An OIDC provider is federated trust, not trust of the account that holds it.
    expect(trust({ Federated: `arn:aws:iam::${FOREIGN}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/X` })).toEqual([
      'review: trust policy (+1 / −0 statements)',
    ]);
    expect(trust({ AWS: `arn:aws:iam::${FOREIGN}:root` })).toEqual([
      `high: trust policy (+1 / −0 statements) — **trust of an account outside the platform (${FOREIGN})**`,
    ]);
    // Without the stack's account nothing can be called foreign.
    expect(trust({ AWS: `arn:aws:iam::${FOREIGN}:root` }, { accountId: undefined })).toEqual(['review: trust policy (+1 / −0 statements)']);
  });

  it('offline (--base), statements compare with their references resolved in each revision: only the new one is listed', () => {
    const statement = (action: string) => ({ Effect: 'Allow', Action: action, Resource: '${aws_s3_bucket.dags.arn}/*' });
    const cfg = (statements: object[]): StackJson => ({
      resource: {
        aws_s3_bucket: { dags: { '//': { metadata: { path: 'participant-data/mwaa/dag-bucket/bucket' } }, bucket: 'acme-data-dags' } },
        aws_iam_role_policy: { p: { name: 'p', role: 'acme-data-exec', policy: JSON.stringify({ Statement: statements }) } },
      },
    });
    const r = reviewPlans([
      input({ baseConfig: cfg([statement('s3:GetObject')]), config: cfg([statement('s3:GetObject'), statement('s3:PutObject')]) }),
    ]).stacks[0];
    expect(r.findings.map((f) => [f.level, f.title, f.details])).toEqual([
      ['review', 'permissions (+1 / −0 statements)', diff('+ Allow s3:PutObject on <dag-bucket>.arn/*')],
    ]);
  });

  it('the title counts added and removed statements, Sid renames ignored', () => {
    const s = (action: string, sid: string) => ({ Sid: sid, Effect: 'Allow', Action: action, Resource: 'arn:aws:s3:::b/*' });
    const f = reviewOf([
      {
        address: 'aws_iam_role_policy.p',
        before: rolePolicy([s('s3:GetObject', 'A'), s('s3:DeleteObject', 'B')]),
        after: rolePolicy([s('s3:GetObject', 'Renamed'), s('s3:PutObject', 'C')]),
      },
    ]).findings;
    expect(f.map((x) => [x.level, x.title, x.details])).toEqual([
      [
        'review',
        'permissions (+1 / −1 statements)',
        diff('- Allow s3:DeleteObject on arn:aws:s3:::b/*', '+ Allow s3:PutObject on arn:aws:s3:::b/*'),
      ],
    ]);
    // Two identical statements, one removed: one removal.
    expect(
      reviewOf([
        {
          address: 'aws_iam_role_policy.p',
          before: rolePolicy([s('s3:GetObject', 'A'), s('s3:GetObject', 'B')]),
          after: rolePolicy([s('s3:GetObject', 'A')]),
        },
      ]).findings[0].title,
    ).toBe('permissions (+0 / −1 statements)');
  });

  it('wildcard actions: `*` and `service:*` are high, a prefix like `s3:Get*` is not; NotAction in an identity policy is a wildcard', () => {
    const level = (s: object) => added(s).level;
    expect(added({ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b' }).title).toBe(
      'permissions (+1 / −0 statements) — **wildcard action**',
    );
    expect(level({ Effect: 'Allow', Action: 'ec2:*', Resource: 'arn:aws:ec2:::x' })).toBe('high');
    expect(level({ Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::b/*' })).toBe('review');
    expect(level({ Effect: 'Allow', Action: 's3:*Object', Resource: 'arn:aws:s3:::b/*' })).toBe('review');
    expect(added({ Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:aws:s3:::b' }).title).toContain('**wildcard action**');
    // IAM matches action names case-insensitively: `S3:*` is `s3:*`, and `S3:GETOBJECT` reads nothing more than `s3:GetObject`.
    expect(level({ Effect: 'Allow', Action: 'S3:*', Resource: 'arn:aws:s3:::b' })).toBe('high');
    for (const whole of ['s3:**', 's3:?*', 'iam:*?'])
      expect(level({ Effect: 'Allow', Action: whole, Resource: 'arn:aws:s3:::b' })).toBe('high');
    expect(added({ Effect: 'Allow', Action: ['S3:GETOBJECT', 'ec2:describeinstances'], Resource: '*' }).title).toBe(
      'permissions (+1 / −0 statements)',
    );
    expect(added({ Effect: 'Allow', Action: ['S3:PUTOBJECT'], Resource: '*' }).title).toBe(
      'permissions (+1 / −0 statements) — **wildcard resource for S3:PUTOBJECT**',
    );
    // Only a whole action name is read-only: a Get prefix inside another word is not.
    expect(added({ Effect: 'Allow', Action: ['my.s3:GetObject', 's3:GetObject/x'], Resource: '*' }).title).toBe(
      'permissions (+1 / −0 statements) — **wildcard resource for my.s3:GetObject, s3:GetObject/x**',
    );
    // A Deny restricts: never high, whatever it names.
    expect(level({ Effect: 'Deny', Action: '*', Resource: '*' })).toBe('review');
    // NotAction in a resource policy to the own account is not a wildcard grant by itself.
    const bucket = reviewOf([
      {
        address: 'aws_s3_bucket_policy.b',
        after: {
          bucket: 'acme-data-b',
          policy: JSON.stringify({
            Statement: [
              {
                Effect: 'Allow',
                Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/x` },
                NotAction: 's3:Delete*',
                Resource: 'arn:aws:s3:::acme-data-b/*',
              },
            ],
          }),
        },
      },
    ]).findings[0];
    expect(bucket.level).toBe('review');
  });

  it('wildcard resources are high for writes only, and the title names the writes', () => {
    expect(
      added({
        Effect: 'Allow',
        Action: [
          's3:PutObject',
          'ec2:DescribeInstances',
          'logs:GetLogEvents',
          'sqs:ListQueues',
          'ecr:BatchGetImage',
          's3:HeadObject',
          'ec2:ViewX',
        ],
        Resource: '*',
      }).title,
    ).toBe('permissions (+1 / −0 statements) — **wildcard resource for s3:PutObject**');
    // Read-only means the verb is the whole prefix of the action name.
    expect(added({ Effect: 'Allow', Action: ['ec2:CreateTags', 'ec2:XDescribe'], Resource: '*' }).title).toContain(
      'wildcard resource for ec2:CreateTags, ec2:XDescribe',
    );
    expect(added({ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/*' }).level).toBe('review');
  });

  it('trust: another account is high, a platform account review with its id, the own account review; ids in any ARN form', () => {
    const trust = (aws: string | string[]) => ({
      name: 'acme-data-r',
      assume_role_policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: aws } }] }),
    });
    const t = (aws: string | string[]) => lines([{ address: 'aws_iam_role.r', after: trust(aws) }]);
    expect(t(FOREIGN)).toEqual([`high: trust policy (+1 / −0 statements) — **trust of an account outside the platform (${FOREIGN})**`]);
    expect(t(`arn:aws:sts::${FOREIGN}:assumed-role/x/y`)).toEqual([
      `high: trust policy (+1 / −0 statements) — **trust of an account outside the platform (${FOREIGN})**`,
    ]);
    expect(t(`arn:aws-cn:iam::${FOREIGN}:root`)[0]).toContain(`outside the platform (${FOREIGN})`);
    expect(t([`arn:aws:iam::${FOREIGN}:root`, `arn:aws:iam::${FOREIGN}:role/a`])[0]).toContain(`outside the platform (${FOREIGN})**`);
    expect(t(`arn:aws:iam::${PLATFORM}:root`)).toEqual([
      `review: trust policy (+1 / −0 statements) — trust of platform account(s) ${PLATFORM}`,
    ]);
    expect(t(`arn:aws:iam::${ACCOUNT}:role/ci`)).toEqual(['review: trust policy (+1 / −0 statements)']);
    // Not account ids: 13 digits, or an ARN that is not IAM/STS.
    expect(t('1234567890123')).toEqual(['review: trust policy (+1 / −0 statements)']);
    expect(t(`arn:aws:s3:::${FOREIGN}`)).toEqual(['review: trust policy (+1 / −0 statements)']);
    // Without the stack's account nothing is cross-account.
    expect(lines([{ address: 'aws_iam_role.r', after: trust(FOREIGN) }], { accountId: undefined })).toEqual([
      'review: trust policy (+1 / −0 statements)',
    ]);
    // Trust of the own account's root (delegation to IAM) is not a wildcard grant, whatever the sts actions.
    const own = {
      name: 'acme-data-r',
      assume_role_policy: JSON.stringify({
        Statement: [{ Effect: 'Allow', Action: 'sts:*', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }],
      }),
    };
    expect(lines([{ address: 'aws_iam_role.r', after: own }])).toEqual(['review: trust policy (+1 / −0 statements)']);
    // Services are not accounts.
    const svc = {
      name: 'acme-data-r',
      assume_role_policy: JSON.stringify({
        Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'airflow.amazonaws.com' } }],
      }),
    };
    expect(items([{ address: 'aws_iam_role.r', after: svc }])).toEqual([
      {
        level: 'review',
        title: 'trust policy (+1 / −0 statements)',
        details: diff('+ Allow sts:AssumeRole for Service: airflow.amazonaws.com'),
      },
    ]);
  });

  it('a resource policy giving only the own account root everything is the default (review); anyone else with `*` actions is high', () => {
    const key = (principal: object) =>
      reviewOf([
        {
          address: 'aws_kms_key.k',
          after: {
            description: 'k',
            policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: principal, Action: 'kms:*', Resource: '*' }] }),
          },
        },
      ]).findings[0];
    expect(key({ AWS: `arn:aws:iam::${ACCOUNT}:root` }).level).toBe('review');
    expect(key({ AWS: ACCOUNT }).level).toBe('review');
    expect(key({ AWS: `arn:aws-us-gov:iam::${ACCOUNT}:root` }).level).toBe('review');
    expect(key({ AWS: `arn:aws:iam::${ACCOUNT}:role/admin` }).title).toContain('**wildcard action**');
    expect(key({ AWS: `arn:aws:iam::${ACCOUNT}:rootx` }).level).toBe('high');
    expect(key({ AWS: `x${ACCOUNT}` }).level).toBe('high');
    expect(key({ AWS: [`arn:aws:iam::${ACCOUNT}:root`, `arn:aws:iam::${PLATFORM}:root`] }).title).toBe(
      `resource policy (+1 / −0 statements) — **wildcard action** — trust of platform account(s) ${PLATFORM}`,
    );
    expect(key({ Service: 'logs.amazonaws.com' }).level).toBe('high');
    // The own root next to a service is not the default: the service gets everything too.
    expect(key({ AWS: `arn:aws:iam::${ACCOUNT}:root`, Service: 'logs.amazonaws.com' }).title).toBe(
      'resource policy (+1 / −0 statements) — **wildcard action**',
    );
    expect(key({ AWS: '*' }).title).toBe('resource policy (+1 / −0 statements) — **`*` principal, wildcard action**');
    // Without the stack's account the own root cannot be recognised.
    expect(
      reviewOf(
        [
          {
            address: 'aws_kms_key.k',
            after: {
              policy: JSON.stringify({
                Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
              }),
            },
          },
        ],
        { accountId: undefined },
      ).findings[0].level,
    ).toBe('high');
  });

  it('deleting the shared SQS endpoint removes its policy: high, judged by what the endpoint was', () => {
    const before = {
      service_name: 'com.amazonaws.eu-west-1.sqs',
      vpc_endpoint_type: 'Interface',
      policy: JSON.stringify({
        Statement: [
          { Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:eu-west-1:111111111111:q' },
        ],
      }),
    };
    expect(lines([{ address: 'aws_vpc_endpoint.sqs', before }], { stack: 'owner', team: undefined })).toEqual([
      'high: **DELETES** `aws_vpc_endpoint`',
      'high: resource policy (+0 / −1 statements) — **shared SQS endpoint policy**',
    ]);
  });

  it('the shared SQS endpoint policy is high whatever it says; other endpoints review', () => {
    const ep = (service: string) => ({
      service_name: service,
      vpc_endpoint_type: 'Interface',
      policy: JSON.stringify({
        Statement: [
          { Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:eu-west-1:111111111111:q' },
        ],
      }),
    });
    const before = (service: string) => ({ ...ep(service), policy: '{"Statement":[]}' });
    expect(
      lines(
        [{ address: 'aws_vpc_endpoint.sqs', before: before('com.amazonaws.eu-west-1.sqs'), after: ep('com.amazonaws.eu-west-1.sqs') }],
        { stack: 'owner', team: undefined },
      ),
    ).toEqual(['high: resource policy (+1 / −0 statements) — **shared SQS endpoint policy**']);
    expect(
      lines(
        [{ address: 'aws_vpc_endpoint.logs', before: before('com.amazonaws.eu-west-1.sqsx'), after: ep('com.amazonaws.eu-west-1.sqsx') }],
        { stack: 'owner', team: undefined },
      ),
    ).toEqual(['review: resource policy (+1 / −0 statements)']);
    const pol = { vpc_endpoint_id: 'vpce-1', policy: ep('x').policy };
    expect(lines([{ address: 'aws_vpc_endpoint_policy.sqs', after: pol }], { stack: 'owner', team: undefined })).toEqual([
      'high: resource policy (+1 / −0 statements) — **shared SQS endpoint policy**',
    ]);
    expect(lines([{ address: 'aws_vpc_endpoint_policy.ecr', after: pol }], { stack: 'owner', team: undefined })).toEqual([
      'review: resource policy (+1 / −0 statements)',
    ]);
  });

  it("a queue, key or endpoint created with its computed default policy is info; a policy resource's unknown policy is review", () => {
    const unknown = { policy: true };
    expect(reviewOf([{ address: 'aws_sqs_queue.q', after: { name: 'acme-data-q' }, after_unknown: unknown }]).findings).toEqual([]);
    expect(reviewOf([{ address: 'aws_kms_key.k', after: {}, after_unknown: unknown }]).findings).toEqual([]);
    expect(lines([{ address: 'aws_sqs_queue_policy.q', after: { queue_url: 'u' }, after_unknown: unknown }])).toEqual([
      'review: resource policy: known only after apply, not in the configuration either',
    ]);
    // Known after apply but written in the configuration: the configuration's statements, and the title says so.
    const config: StackJson = {
      resource: {
        aws_sqs_queue_policy: {
          q: {
            queue_url: 'u',
            policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: '*' }] }),
          },
        },
      },
    };
    const f = reviewOf([{ address: 'aws_sqs_queue_policy.q', after: { queue_url: 'u' }, after_unknown: unknown }], { config }).findings[0];
    expect(f.title).toBe(
      'resource policy (+1 / −0 statements) — **`*` principal** _(statements from the synthesized configuration; the plan knows them only after apply)_',
    );
    // A queue created whose configuration has a policy is reviewed.
    const qc: StackJson = {
      resource: {
        aws_sqs_queue: {
          q: {
            name: 'acme-data-q',
            policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sqs:*', Resource: '*' }] }),
          },
        },
      },
    };
    expect(
      reviewOf([{ address: 'aws_sqs_queue.q', after: { name: 'acme-data-q' }, after_unknown: unknown }], { config: qc }).findings[0].level,
    ).toBe('high');
    // Everything unknown (after_unknown: true) counts as unknown too.
    expect(lines([{ address: 'aws_sqs_queue_policy.q', after: { queue_url: 'u' }, after_unknown: true }])).toEqual([
      'review: resource policy: known only after apply, not in the configuration either',
    ]);
  });
});

describe('which resources carry a policy (docs/plan-review.md, review level)', () => {
  const owner = { stack: 'owner', team: undefined };
  const identity = JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::acme-data-b/*' }] });
  const resource = JSON.stringify({
    Statement: [
      {
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/x` },
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::acme-data-b/*',
      },
    ],
  });

  it.each(['aws_iam_role_policy', 'aws_iam_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'])(
    '%s: its statements are permissions',
    (type) => {
      expect(lines([{ address: `${type}.p`, after: { name: 'acme-data-p', policy: identity } }], owner)).toEqual([
        'review: permissions (+1 / −0 statements)',
      ]);
    },
  );

  it.each([
    'aws_s3_bucket_policy',
    'aws_sqs_queue_policy',
    'aws_sqs_queue',
    'aws_kms_key',
    'aws_cloudwatch_event_bus_policy',
    'aws_vpc_endpoint',
    'aws_vpc_endpoint_policy',
    'aws_sns_topic_policy',
    'aws_ecr_repository_policy',
  ])('%s: its statements are a resource policy', (type) => {
    expect(lines([{ address: `${type}.p`, after: { name: 'acme-data-p', policy: resource } }], owner)).toEqual([
      'review: resource policy (+1 / −0 statements)',
    ]);
  });

  it('a policy attribute of any other resource is not reviewed as a policy', () => {
    expect(lines([{ address: 'aws_lambda_function.f', after: { function_name: 'acme-data-f', policy: resource } }], owner)).toEqual([]);
  });

  it.each(['aws_sqs_queue', 'aws_kms_key', 'aws_vpc_endpoint'])(
    '%s created with a computed policy is its default; a policy resource with one is not',
    (type) => {
      expect(lines([{ address: `${type}.p`, after: { name: 'acme-data-p' }, after_unknown: { policy: true } }], owner)).toEqual([]);
      expect(lines([{ address: 'aws_sns_topic_policy.p', after: { arn: 'a' }, after_unknown: { policy: true } }], owner)).toEqual([
        'review: resource policy: known only after apply, not in the configuration either',
      ]);
    },
  );
});

describe('MWAA, EKS and destructive changes', () => {
  const env = (over: object = {}) => ({
    name: 'data-prod',
    airflow_version: '2.10.3',
    environment_class: 'mw1.small',
    webserver_access_mode: 'PRIVATE_ONLY',
    min_workers: 1,
    max_workers: 2,
    schedulers: 2,
    ...over,
  });

  it('a webserver that was already public, a replacement, or a deletion says nothing about scaling', () => {
    expect(
      lines([
        {
          address: 'aws_mwaa_environment.e',
          before: env({ webserver_access_mode: 'PUBLIC_ONLY' }),
          after: env({ webserver_access_mode: 'PUBLIC_ONLY', max_workers: 3 }),
        },
      ]),
    ).toEqual(['review: class/scaling: max_workers 2 → 3']);
    // Replaced for another reason: a minor version change inside it adds nothing to REPLACES.
    expect(
      lines([
        {
          address: 'aws_mwaa_environment.e',
          actions: ['delete', 'create'],
          before: env(),
          after: env({ airflow_version: '2.11.0', max_workers: 4 }),
          replace_paths: [['network_configuration', '0', 'subnet_ids']],
        },
      ]),
    ).toEqual(['high: **REPLACES** `aws_mwaa_environment` (forced by `network_configuration.0.subnet_ids`)']);
    expect(lines([{ address: 'aws_mwaa_environment.e', before: env() }])).toEqual(['high: **DELETES** `aws_mwaa_environment`']);
    // Deleting a public environment closes the webserver: only the deletion is an item.
    expect(lines([{ address: 'aws_mwaa_environment.e', before: env({ webserver_access_mode: 'PUBLIC_ONLY' }) }])).toEqual([
      'high: **DELETES** `aws_mwaa_environment`',
    ]);
    // A version first set (the state had none) is no version change.
    expect(lines([{ address: 'aws_mwaa_environment.e', before: env({ airflow_version: undefined }), after: env() }])).toEqual([]);
    // Created public: high, with the environment's name.
    expect(lines([{ address: 'aws_mwaa_environment.e', after: env({ webserver_access_mode: 'PUBLIC_ONLY' }) }])).toEqual([
      'high: **public webserver** (`PUBLIC_ONLY`): the Airflow UI of `data-prod` is reachable from the internet (sign-in still required)',
    ]);
  });

  // A plan from state: hashicorp/aws forces a new environment when the major version rises (CustomizeDiff
  // ForceNewIf on airflow_version), so 2.x → 3.x arrives as delete+create with replace_paths [["airflow_version"]].
  it('a replacement forced by an Airflow major bump says whether MWAA could upgrade in place (plan from state)', () => {
    const replaced = (from: string, to: string) =>
      lines([
        {
          address: 'aws_mwaa_environment.e',
          actions: ['delete', 'create'],
          before: env({ airflow_version: from }),
          after: env({ airflow_version: to }),
          replace_paths: [['airflow_version']],
        },
      ]);
    expect(replaced('2.10.3', '3.0.6')).toEqual([
      'high: **REPLACES** `aws_mwaa_environment` (forced by `airflow_version`)',
      'high: **Airflow 2.10.3 → 3.0.6: not an in-place change here** — data-prod: Airflow 2.10.3 → 3.0.6 cannot be done in place (MWAA upgrades 2.x to 3.x in place only from 2.11.x; upgrade to 2.11.0 first): create a new environment with 3.0.6 and migrate to it, or remove the version change',
    ]);
    expect(replaced('2.11.0', '3.0.6')).toEqual([
      'high: **REPLACES** `aws_mwaa_environment` (forced by `airflow_version`)',
      'high: **Airflow 2.11.0 → 3.0.6: not an in-place change here** — data-prod: MWAA upgrades Airflow 2.11.0 → 3.0.6 in place, but the Terraform AWS provider plans a major-version change as a replacement (a new, empty environment): first run `aws mwaa update-environment --name data-prod --airflow-version 3.0.6`, wait until it is AVAILABLE, then change airflowVersion',
    ]);
  });

  it('scaling changes list every changed setting, absent values as —', () => {
    expect(
      lines([
        {
          address: 'aws_mwaa_environment.e',
          before: env(),
          after: env({ schedulers: 3, min_webservers: 2, max_webservers: 4, min_workers: 2 }),
        },
      ]),
    ).toEqual(['review: class/scaling: min_workers 1 → 2, schedulers 2 → 3, min_webservers — → 2, max_webservers — → 4']);
    expect(reviewOf([{ address: 'aws_mwaa_environment.e', before: env(), after: env({ tags: { a: 'b' } }) }]).findings).toEqual([]);
  });

  it('EKS: a public endpoint names its CIDRs (all of the internet by default); private, unchanged or deleted is not high', () => {
    const eks = (vpc: object) => ({ name: 'acme-data', vpc_config: [vpc] });
    expect(
      lines([
        {
          address: 'aws_eks_cluster.c',
          before: eks({ endpoint_public_access: false }),
          after: eks({ endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] }),
        },
      ]),
    ).toEqual(['high: **public EKS API endpoint** (from 203.0.113.0/24)']);
    expect(lines([{ address: 'aws_eks_cluster.c', after: eks({ endpoint_public_access: 'true' }) }])).toEqual([
      'high: **public EKS API endpoint** (from 0.0.0.0/0)',
    ]);
    expect(
      lines([
        {
          address: 'aws_eks_cluster.c',
          before: eks({ endpoint_public_access: true }),
          after: eks({ endpoint_public_access: true, public_access_cidrs: ['1.2.3.4/32'] }),
        },
      ]),
    ).toEqual([]);
    expect(lines([{ address: 'aws_eks_cluster.c', after: eks({ endpoint_public_access: false }) }])).toEqual([]);
    expect(lines([{ address: 'aws_eks_cluster.c', after: eks({}) }])).toEqual([]);
    expect(lines([{ address: 'aws_eks_cluster.c', before: eks({ endpoint_public_access: false }) }])).toEqual([
      'high: **DELETES** `aws_eks_cluster`',
    ]);
    expect(lines([{ address: 'aws_eks_cluster.c', before: eks({ endpoint_public_access: true }) }])).toEqual([
      'high: **DELETES** `aws_eks_cluster`',
    ]);
    // In a configuration the provider's default applies: no endpoint_public_access means public.
    const cfg = (vpc: object): StackJson => ({ resource: { aws_eks_cluster: { c: { name: 'acme-data', vpc_config: vpc } } } });
    expect(
      reviewPlans([
        input({ baseConfig: cfg({ endpoint_public_access: false }), config: cfg({ subnet_ids: ['a'] }) }),
      ]).stacks[0].findings.map((f) => f.title),
    ).toEqual(['**public EKS API endpoint** (from 0.0.0.0/0)']);
  });

  it('property: replacing or deleting any stateful type is high; other types are not', () => {
    // The list itself is documented from the code (npm run docs, docs/plan-review.md; its staleness check is in
    // test/tools/dev/docs.test.ts), so a dropped type shows in the reviewed docs diff; here: what each listed type does.
    const stateful = [...STATEFUL_TYPES];
    const others = [
      'aws_cloudwatch_log_group',
      'aws_iam_role_policy',
      'aws_lambda_function',
      'aws_sqs_queue',
      'aws_vpc_endpoint_policy',
      'aws_s3_bucket_policy',
      '',
    ];
    expect(stateful.length).toBeGreaterThan(0);
    expect(stateful.filter((t) => others.includes(t))).toEqual([]);
    fc.assert(
      fc.property(
        fc.constantFrom(...stateful, ...others),
        fc.constantFrom<readonly PlanAction[]>(['delete', 'create'], ['create', 'delete'], ['delete']),
        (type, actions) => {
          const r = reviewOf([{ address: `${type}.x`, actions, before: { tags: {} }, after: actions.length > 1 ? { tags: {} } : null }], {
            stack: 'owner',
            team: undefined,
          });
          const destructive = r.findings.filter((f) => /REPLACES|DELETES/.test(f.title));
          expect(destructive.map((f) => f.level)).toEqual(stateful.includes(type) ? ['high'] : []);
          if (stateful.includes(type)) expect(destructive[0].title).toBe(`**${actions.length > 1 ? 'REPLACES' : 'DELETES'}** \`${type}\``);
        },
      ),
    );
    expect(
      lines(
        [
          {
            address: 'aws_s3_bucket.b',
            actions: ['delete', 'create'],
            before: { bucket: 'a' },
            after: { bucket: 'b' },
            action_reason: 'replace_because_cannot_update',
          },
        ],
        { stack: 'owner', team: undefined },
      ),
    ).toEqual(['high: **REPLACES** `aws_s3_bucket` (replace_because_cannot_update)']);
    expect(
      lines(
        [
          {
            address: 'aws_subnet.a',
            actions: ['delete', 'create'],
            before: { cidr_block: 'a' },
            after: { cidr_block: 'b' },
            replace_paths: [['cidr_block'], ['tags', 'Name']],
          },
        ],
        { stack: 'owner', team: undefined },
      ),
    ).toEqual(['high: **REPLACES** `aws_subnet` (forced by `cidr_block`, `tags.Name`)']);
  });
});

describe('cross-team changes in a participant stack', () => {
  const cross = (address: string, side: Record<string, unknown>, extra: Partial<Rc> = {}) =>
    reviewOf([{ address, after: side, ...extra }])
      .findings.filter((f) => f.title.startsWith('may belong'))
      .map((f) => `${f.level}: ${f.title}`);

  it('property: every platform-owned type in a participant stack is high; in the owner stack it is not', () => {
    const ownerOnly = [
      'aws_vpc',
      'aws_subnet',
      'aws_vpc_endpoint',
      'aws_vpc_endpoint_policy',
      'aws_ram_resource_share',
      'aws_ram_resource_association',
      'aws_ram_principal_association',
      'aws_cloudwatch_event_bus',
      'aws_cloudwatch_event_bus_policy',
    ];
    expect([...OWNER_ONLY_TYPES].sort()).toEqual([...ownerOnly].sort());
    // A team's own kinds of resources are not platform-owned.
    for (const type of ['aws_s3_bucket', 'aws_mwaa_environment', 'aws_security_group', 'aws_cloudwatch_event_rule']) {
      expect(cross(`${type}.x`, { tags: { Team: 'data' } })).toEqual([]);
    }
    fc.assert(
      fc.property(fc.constantFrom(...ownerOnly), (type) => {
        expect(cross(`${type}.x`, { tags: { Team: 'data' } })).toEqual([
          `high: may belong to another team: \`${type}\` belongs to the platform (owner stack)`,
        ]);
        const owner = reviewPlans([{ stack: 'owner', plan: planOf({ address: `${type}.x`, after: { tags: { Team: 'data' } } }) }])
          .stacks[0];
        expect(owner.findings.filter((f) => f.title.startsWith('may belong'))).toEqual([]);
      }),
    );
  });

  it("another team's Team tag, in tags or tags_all, is high; the own tag or an unresolved one is not", () => {
    expect(cross('aws_s3_bucket.b', { bucket: 'acme-data-b', tags_all: { Team: 'finance' } })).toEqual([
      'high: may belong to another team: tag `Team=finance` (stack team is `data`)',
    ]);
    expect(cross('aws_s3_bucket.b', { bucket: 'acme-data-b', tags: { Team: 'finance' } })).toHaveLength(1);
    expect(cross('aws_s3_bucket.b', { bucket: 'acme-finance-b', tags: { Team: 'data' } })).toEqual([]);
    // An unresolved tag gives no answer: the names decide.
    expect(cross('aws_s3_bucket.b', { bucket: 'acme-finance-b', tags: { Team: '${var.team}' } })).toEqual([
      'high: may belong to another team: bucket `acme-finance-b` does not carry the team name',
    ]);
  });

  it('property: a name attribute without the team name is high, with the attribute named', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('name', 'name_prefix', 'bucket', 'cluster_name', 'function_name', 'role', 'rule', 'queue_name'),
        (attr) => {
          expect(cross('aws_lambda_function.f', { [attr]: 'acme-finance-x' })).toEqual([
            `high: may belong to another team: ${attr} \`acme-finance-x\` does not carry the team name`,
          ]);
          expect(cross('aws_lambda_function.f', { [attr]: 'acme-data-x' })).toEqual([]);
          // Unknown, unresolved or empty names are not evidence.
          expect(cross('aws_lambda_function.f', { [attr]: '${aws_iam_role.x.name}' })).toEqual([]);
          expect(cross('aws_lambda_function.f', { [attr]: '' })).toEqual([]);
          expect(cross('aws_lambda_function.f', { [attr]: 'acme-finance-x' }, { after_unknown: { [attr]: true } })).toEqual([]);
        },
      ),
      { numRuns: 16 },
    );
  });

  it("scoped names (a role policy's own name) are not team names; a deletion is judged by what it deletes", () => {
    for (const type of ['aws_iam_role_policy', 'aws_eks_addon', 'aws_eks_access_policy_association', 'aws_iam_role_policy_attachment']) {
      expect(cross(`${type}.x`, { name: 'vpc-cni' })).toEqual([]);
    }
    expect(cross('aws_iam_role_policy.x', { name: 'vpc-cni', role: 'acme-finance-r' })).toEqual([
      'high: may belong to another team: role `acme-finance-r` does not carry the team name',
    ]);
    const del = reviewOf([{ address: 'aws_sqs_queue.q', before: { name: 'acme-finance-q' } }]).findings.map((f) => f.title);
    expect(del).toEqual(['may belong to another team: name `acme-finance-q` does not carry the team name']);
    // An update is judged by the result.
    expect(reviewOf([{ address: 'aws_sqs_queue.q', before: { name: 'acme-finance-q' }, after: { name: 'acme-data-q' } }]).findings).toEqual(
      [],
    );
    // No team (the owner stack): no cross-team check.
    expect(
      reviewOf([{ address: 'aws_sqs_queue.q', after: { name: 'acme-finance-q' } }], { team: undefined, stack: 'owner' }).findings,
    ).toEqual([]);
    // Several reasons in one item.
    expect(cross('aws_vpc_endpoint.x', { tags: { Team: 'finance' } })).toEqual([
      'high: may belong to another team: `aws_vpc_endpoint` belongs to the platform (owner stack); tag `Team=finance` (stack team is `data`)',
    ]);
  });
});

describe('info lines: attribute diffs of updates', () => {
  const info = (rc: Rc, extra: Partial<StackInput> = {}) =>
    reviewPlans([input({ plan: planOf(rc), ...extra })])
      .full.split('\n')
      .filter((l) => l.startsWith('- 🟢 update'));

  it('shows each changed attribute before → after, long values clipped, unknown values as known after apply', () => {
    const long = 'x'.repeat(200);
    expect(
      info({
        address: 'aws_cloudwatch_log_group.l',
        before: { name: 'acme-data-l', retention_in_days: 7, kms_key_id: null, tags: { a: '1' } },
        after: { name: 'acme-data-l', retention_in_days: 30, kms_key_id: long, tags: { a: '2' } },
      }),
    ).toEqual([
      `- 🟢 update **aws_cloudwatch_log_group.l**: \`kms_key_id: — → ${'x'.repeat(157)}…\`; \`retention_in_days: 7 → 30\`; \`tags: {"a":"1"} → {"a":"2"}\``,
    ]);
    expect(
      info({
        address: 'aws_cloudwatch_log_group.l',
        before: { name: 'acme-data-l', arn: 'a', kms_key_id: 'k1' },
        after: { name: 'acme-data-l' },
        after_unknown: { kms_key_id: true, arn: true },
      }),
    ).toEqual(['- 🟢 update **aws_cloudwatch_log_group.l**: `kms_key_id: k1 → (known after apply)`']);
    // Exactly 160 characters are shown whole.
    const exact = 'y'.repeat(160);
    expect(
      info({
        address: 'aws_cloudwatch_log_group.l',
        before: { name: 'acme-data-l', kms_key_id: 'k' },
        after: { name: 'acme-data-l', kms_key_id: exact },
      })[0],
    ).toContain(`→ ${exact}\``);
  });
});

describe('levels', () => {
  const level = fc.constantFrom<Level | 'none'>('high', 'review', 'info', 'none');
  it('property: the result is the highest level present, in the order high > review > info > none', () => {
    const order = ['none', 'info', 'review', 'high'];
    fc.assert(
      fc.property(fc.array(level, { maxLength: 6 }), (ls) => {
        const want = ls.reduce((m, l) => (order.indexOf(l) > order.indexOf(m) ? l : m), 'none' as Level | 'none');
        expect(maxLevel(ls)).toBe(want);
      }),
    );
    expect(['none', 'info', 'review', 'high'].map((l) => levelRank(l as Level))).toEqual([0, 1, 2, 3]);
  });
});
