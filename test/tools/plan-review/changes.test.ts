/**
 * Change detection: which resources a plan or a configuration diff changes, and how (create, update, replace,
 * delete); the synthesized configuration's names and symbolic references; team file and environment diffs.
 */
import fc from 'fast-check';
import type { StackJson } from '../../../tools/rules/types';
import {
  canonical,
  changedAttributes,
  changesFromConfigs,
  changesFromPlan,
  FORCE_NEW,
  sameStack,
  type ResourceChange,
} from '../../../tools/plan-review/changes';
import { changeKind, isUnknown, type PlanAction, type TerraformPlanJson } from '../../../tools/plan-review/plan-json';
import { indexStack } from '../../../tools/plan-review/synth-index';
import { diffTeamFiles } from '../../../tools/plan-review/team-files';
import { environmentRows, envCell } from '../../../tools/plan-review/environments';

describe('plan actions', () => {
  it('maps every action list Terraform writes to one kind', () => {
    const cases: Array<[PlanAction[], string]> = [
      [['create'], 'create'],
      [['update'], 'update'],
      [['delete'], 'delete'],
      [['read'], 'read'],
      [['forget'], 'forget'],
      [['no-op'], 'no-op'],
      [['delete', 'create'], 'replace'],
      [['create', 'delete'], 'replace'],
      [['create', 'update'], 'no-op'],
      [[], 'no-op'],
    ];
    expect(cases.map(([a]) => changeKind(a))).toEqual(cases.map(([, k]) => k));
  });

  it('unknown values: the whole object, or the attribute marked true; nested markers and other values are not the attribute', () => {
    expect(isUnknown(true, 'a')).toBe(true);
    expect(isUnknown({ a: true }, 'a')).toBe(true);
    expect(isUnknown({ a: [true] }, 'a')).toBe(false);
    expect(isUnknown({ a: 'true' }, 'a')).toBe(false);
    expect(isUnknown({ b: true }, 'a')).toBe(false);
    expect(isUnknown(false, 'a')).toBe(false);
    expect(isUnknown(undefined, 'a')).toBe(false);
    expect(isUnknown('a', 'a')).toBe(false);
  });

  it('keeps managed changes only, with the sides that exist, replace paths and reasons when Terraform gives them', () => {
    const rc = (address: string, actions: PlanAction[], extra: object = {}) => ({
      address,
      type: address.split('.')[0],
      name: 'x',
      mode: 'managed' as const,
      change: { actions, before: { v: 1 }, after: { v: 2 }, after_unknown: { v: true } },
      ...extra,
    });
    const plan: TerraformPlanJson = {
      format_version: '1.2',
      resource_changes: [
        rc('aws_s3_bucket.c', ['create']),
        rc('aws_s3_bucket.u', ['update']),
        rc('aws_s3_bucket.r', ['delete', 'create'], { action_reason: 'replace_because_cannot_update' }),
        {
          ...rc('aws_s3_bucket.p', ['create', 'delete']),
          change: { actions: ['create', 'delete'], before: { v: 1 }, after: { v: 2 }, replace_paths: [['bucket']] },
        },
        { ...rc('aws_s3_bucket.e', ['update']), change: { actions: ['update'], before: { v: 1 }, after: { v: 2 }, replace_paths: [] } },
        rc('aws_s3_bucket.d', ['delete']),
        rc('aws_s3_bucket.n', ['no-op']),
        rc('aws_s3_bucket.f', ['forget']),
        rc('aws_s3_bucket.rd', ['read']),
        rc('data.aws_iam_policy_document.x', ['update'], { mode: 'data' }),
      ],
    };
    const out = changesFromPlan(plan);
    expect(out.map((c) => `${c.kind} ${c.address}`)).toEqual([
      'create aws_s3_bucket.c',
      'update aws_s3_bucket.u',
      'replace aws_s3_bucket.r',
      'replace aws_s3_bucket.p',
      'update aws_s3_bucket.e',
      'delete aws_s3_bucket.d',
    ]);
    const by = (a: string) => out.find((c) => c.address === a)!;
    expect(by('aws_s3_bucket.c')).toEqual({
      address: 'aws_s3_bucket.c',
      type: 'aws_s3_bucket',
      kind: 'create',
      before: null,
      after: { v: 2 },
      afterUnknown: { v: true },
      source: 'plan',
    });
    expect(by('aws_s3_bucket.d')).toEqual(expect.objectContaining({ before: { v: 1 }, after: null }));
    expect(by('aws_s3_bucket.u')).toEqual(expect.objectContaining({ before: { v: 1 }, after: { v: 2 } }));
    expect(by('aws_s3_bucket.r').actionReason).toBe('replace_because_cannot_update');
    expect(by('aws_s3_bucket.p').replacePaths).toEqual([['bucket']]);
    expect('replacePaths' in by('aws_s3_bucket.e')).toBe(false);
    expect('actionReason' in by('aws_s3_bucket.u')).toBe(false);
    expect(changesFromPlan({ format_version: '1.2' })).toEqual([]);
  });
});

describe('configuration diffs (--base)', () => {
  const meta = (path: string) => ({ '//': { metadata: { path } } });

  it('canonical text: key order and metadata do not matter, array order and values do', () => {
    expect(canonical({ b: 1, a: { d: [1, 2], c: null }, '//': { x: 1 } })).toBe('{"a":{"c":null,"d":[1,2]},"b":1}');
    expect(canonical({ a: [2, 1] })).not.toBe(canonical({ a: [1, 2] }));
    expect(canonical(undefined)).toBe('null');
    expect(canonical('x')).toBe('"x"');
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 4 }), fc.jsonValue({ maxDepth: 2 })), (o) => {
        const reversed = Object.fromEntries(Object.entries(o).reverse());
        expect(canonical(reversed)).toBe(canonical(o));
        // Canonical text is JSON of the same value (metadata aside).
        const { ['//']: _, ...rest } = o;
        void _;
        expect(JSON.parse(canonical(o))).toEqual(JSON.parse(JSON.stringify(rest)));
      }),
      { numRuns: 50 },
    );
  });

  it('same stack: construct paths and depends_on ignored; resources, providers, backends and outputs compared', () => {
    const s = (over: Partial<StackJson> = {}, props: object = {}): StackJson => ({
      resource: { aws_sqs_queue: { q: { name: 'q', ...props } } },
      provider: { aws: [{ region: 'eu-west-1' }] },
      terraform: { backend: { s3: { key: 'k' } } },
      output: { o: { value: 1 } },
      ...over,
    });
    expect(sameStack(s(), s({}, { ...meta('a/b'), depends_on: ['x'] }))).toBe(true);
    expect(sameStack(s(), s({}, { name: 'q2' }))).toBe(false);
    expect(sameStack(s(), s({ provider: { aws: [{ region: 'us-east-1' }] } }))).toBe(false);
    expect(sameStack(s(), s({ terraform: { backend: { s3: { key: 'other' } } } }))).toBe(false);
    expect(sameStack(s(), s({ output: { o: { value: 2 } } }))).toBe(false);
    expect(sameStack(s(), s({ resource: { aws_sqs_queue: { q: { name: 'q' } }, aws_sns_topic: { t: {} } } }))).toBe(false);
  });

  it('property: changing a force-new argument predicts a replacement naming it; any other argument an update', () => {
    // ForceNew arguments in hashicorp/terraform-provider-aws 5.100.0's schemas, written out so that one dropped fails.
    const forceNew: Record<string, string[]> = {
      aws_mwaa_environment: ['name'],
      aws_s3_bucket: ['bucket', 'bucket_prefix'],
      aws_eks_cluster: ['name'],
      aws_vpc: ['cidr_block'],
      aws_subnet: ['cidr_block', 'availability_zone', 'vpc_id'],
      aws_vpc_endpoint: ['service_name', 'vpc_id', 'vpc_endpoint_type'],
      aws_iam_role: ['name', 'name_prefix', 'path'],
      aws_security_group: ['name', 'vpc_id'],
      aws_sqs_queue: ['name', 'fifo_queue'],
      aws_cloudwatch_log_group: ['name'],
      aws_kms_alias: ['name'],
      aws_eks_node_group: ['node_group_name', 'subnet_ids', 'instance_types', 'capacity_type', 'ami_type'],
      aws_sns_topic: ['name', 'name_prefix', 'fifo_topic'],
      aws_sns_topic_policy: ['arn'],
      aws_secretsmanager_secret: ['name', 'name_prefix'],
      aws_s3_bucket_replication_configuration: ['bucket'],
    };
    expect(FORCE_NEW).toEqual(forceNew);
    const pairs = Object.entries(forceNew).flatMap(([type, attrs]) => attrs.map((attr) => [type, attr] as const));
    fc.assert(
      fc.property(fc.constantFrom(...pairs), ([type, attr]) => {
        const cfg = (props: object): StackJson => ({ resource: { [type]: { x: { [attr]: 'one', other: 'a', ...props } } } });
        expect(changesFromConfigs(cfg({}), cfg({ [attr]: 'two' }))).toEqual([
          {
            address: `${type}.x`,
            type,
            kind: 'replace',
            before: { [attr]: 'one', other: 'a' },
            after: { [attr]: 'two', other: 'a' },
            replacePaths: [[attr]],
            source: 'config',
          },
        ]);
        const upd = changesFromConfigs(cfg({}), cfg({ other: 'b' }));
        expect(upd.map((c) => [c.kind, 'replacePaths' in c])).toEqual([['update', false]]);
      }),
    );
    // A secret's replica regions are added and removed in place (ReplicateSecretToRegions, RemoveRegionsFromReplication).
    const secret = (replica: object[]): StackJson => ({
      resource: { aws_secretsmanager_secret: { s: { name: 'airflow/connections/x', replica } } },
    });
    expect(changesFromConfigs(secret([]), secret([{ region: 'us-west-2' }])).map((c) => c.kind)).toEqual(['update']);
    // Types not in the table never predict a replacement.
    expect(
      changesFromConfigs(
        { resource: { aws_unlisted_type: { t: { name: 'a' } } } },
        { resource: { aws_unlisted_type: { t: { name: 'b' } } } },
      )[0].kind,
    ).toBe('update');
  });

  it('data sources are not changes; a stack the change adds is all creates, one it removes all deletes', () => {
    const cfg: StackJson = {
      resource: { aws_sqs_queue: { q: { ...meta('s/q'), name: 'q' } } },
      data: { aws_iam_policy_document: { d: { statement: [] } } },
    } as StackJson;
    expect(changesFromConfigs(undefined, cfg)).toEqual([
      { address: 'aws_sqs_queue.q', type: 'aws_sqs_queue', kind: 'create', before: null, after: { name: 'q' }, source: 'config' },
    ]);
    expect(changesFromConfigs(cfg, undefined)).toEqual([
      { address: 'aws_sqs_queue.q', type: 'aws_sqs_queue', kind: 'delete', before: { name: 'q' }, after: null, source: 'config' },
    ]);
    expect(changesFromConfigs(cfg, { ...cfg, data: {} } as StackJson)).toEqual([]);
  });

  it('changed attributes: only those that differ, tags_all never, id and arn only when they come from a configuration', () => {
    const c = (over: Partial<ResourceChange>): ResourceChange => ({
      address: 'a.b',
      type: 'a',
      kind: 'update',
      before: { x: 1, y: [1], tags_all: { a: '1' }, id: 'i', arn: 'a1' },
      after: { x: 2, y: [1], tags_all: { a: '2' }, id: 'j', arn: 'a2' },
      source: 'plan',
      ...over,
    });
    expect(changedAttributes(c({}))).toEqual([{ attr: 'x', before: 1, after: 2 }]);
    expect(changedAttributes(c({ source: 'config' })).map((a) => a.attr)).toEqual(['arn', 'id', 'x']);
    expect(changedAttributes(c({ kind: 'create' }))).toEqual([]);
    expect(changedAttributes(c({ kind: 'delete' }))).toEqual([]);
    expect(changedAttributes(c({ kind: 'replace' })).map((a) => a.attr)).toEqual(['x']);
    // Unknown after apply: listed even when the plan shows no value yet.
    expect(changedAttributes(c({ afterUnknown: { y: true } }))).toEqual([
      { attr: 'x', before: 1, after: 2 },
      { attr: 'y', before: [1], after: '(known after apply)' },
    ]);
    // An attribute only on one side; null and absent are the same.
    expect(changedAttributes(c({ before: { z: null }, after: { w: 1 } }))).toEqual([{ attr: 'w', before: undefined, after: 1 }]);
  });
});

describe('the synthesized configuration as the review names it', () => {
  const json: StackJson = {
    provider: { aws: [{ alias: 'x' }, { region: 'eu-central-1' }] },
    resource: {
      aws_s3_bucket: { dags: { '//': { metadata: { path: 'participant-a/mwaa/environment-a-prod/dag-bucket/bucket' } }, bucket: 'b' } },
      aws_iam_role: {
        exec: { '//': { metadata: { path: 'participant-a/mwaa/environment-a-prod/execution-role' } }, name: 'r' },
        bare: { name: 'r2' },
      },
      aws_sqs_queue: { two: { '//': { metadata: { path: 'participant-a/queue' } }, name: 'q' } },
      aws_kms_key: { k_ABCDEF12: { description: 'k' } },
    },
    data: {
      aws_iam_policy_document: {
        doc: {
          '//': { metadata: { path: 'participant-a/mwaa/policy-document' } },
          statement: [{ effect: 'Allow', actions: ['s3:GetObject'], resources: ['${aws_s3_bucket.dags.arn}/*'] }],
        },
      },
    },
  } as StackJson;
  let index: ReturnType<typeof indexStack>;
  // In beforeAll, not at collection: Stryker would take every mutant indexStack reaches for a static one.
  beforeAll(() => (index = indexStack('participant-a', json)));

  it.each(['bucket', 'role', 'sg', 'environment', 'key', 'cluster', 'function', 'queue', 'resource', 'default', 'this', 'policy-document'])(
    'a leaf "%s" only repeats its parent and is dropped from the name; other leaves stay',
    (leaf) => {
      const stack = (path: string): StackJson => ({ resource: { aws_sqs_queue: { q: { '//': { metadata: { path } } } } } });
      expect(indexStack('participant-a', stack(`participant-a/mwaa/dag-store/${leaf}`)).name('aws_sqs_queue.q')).toBe(
        'participant-a / mwaa / dag-store',
      );
      expect(indexStack('participant-a', stack(`participant-a/mwaa/dag-store/${leaf}s`)).name('aws_sqs_queue.q')).toBe(
        `participant-a / mwaa / dag-store / ${leaf}s`,
      );
    },
  );

  it('names by construct path: generic leaves dropped, environment- prefixes read as the name; the address without metadata', () => {
    expect(index.name('aws_s3_bucket.dags')).toBe('participant-a / mwaa / a-prod / dag-bucket');
    expect(index.name('aws_iam_role.exec')).toBe('participant-a / mwaa / a-prod / execution-role');
    // Two segments: the leaf stays even when generic.
    expect(index.name('aws_sqs_queue.two')).toBe('participant-a / queue');
    expect(index.name('aws_iam_role.bare')).toBe('aws_iam_role.bare');
    expect(index.name('aws_nothing.here')).toBe('aws_nothing.here');
    expect(index.region).toBe('eu-central-1');
    expect(indexStack('s', { resource: {} }).region).toBeUndefined();
    expect('region' in indexStack('s', undefined)).toBe(false);
  });

  it('references read as the referenced construct; unknown references stay as written', () => {
    expect(index.symbolize('${aws_s3_bucket.dags.arn}/*')).toBe('<dag-bucket>.arn/*');
    expect(index.symbolize({ a: ['${aws_iam_role.exec.arn}', 1, null], '//': 'x', b: '${aws_iam_role.bare.name}' })).toEqual({
      a: ['<execution-role>.arn', 1, null],
      b: '<bare>.name',
    });
    expect(index.symbolize('${aws_kms_key.k_ABCDEF12.arn}')).toBe('<k>.arn');
    expect(index.symbolize('${aws_sqs_queue.two.arn}')).toBe('<queue>.arn');
    expect(index.symbolize('${data.aws_iam_policy_document.doc.json}')).toBe('<mwaa>.json');
    expect(index.symbolize('${aws_iam_role.other.arn} and ${var.x}')).toBe('${aws_iam_role.other.arn} and ${var.x}');
    expect(index.symbolize('${aws_iam_role.exec[0].arn}')).toBe('<execution-role>[0].arn');
    expect(index.symbol('aws_iam_role.bare')).toBe('bare');
    expect(index.symbol('data.aws_x.y_0123ABCD')).toBe('y');
  });

  it('edges of names and references: an inner "environment-", one path segment, "data." inside a type, long indexes and attribute paths', () => {
    const edge = indexStack('participant-a', {
      provider: { aws: [{ alias: 'no-region' }] },
      resource: {
        aws_sqs_queue: {
          q: { '//': { metadata: { path: 'participant-a/my-environment-x/queue-store' } } },
          solo: { '//': { metadata: { path: 'solo-construct' } } },
        },
        aws_iam_role: { exec: { name: 'r' } },
      },
    } as StackJson);
    expect(edge.name('aws_sqs_queue.q')).toBe('participant-a / my-environment-x / queue-store');
    expect(edge.symbol('aws_sqs_queue.solo')).toBe('solo');
    expect(edge.name('aws_sqs_queue.solo')).toBe('solo-construct');
    expect(edge.symbol('aws_metadata.x_0123ABCD')).toBe('x');
    expect(edge.symbol('aws_kms_key.k_0123ABCDx')).toBe('k_0123ABCDx');
    expect(edge.symbolize('${aws_iam_role.exec[10].arn}')).toBe('<exec>[10].arn');
    expect(edge.symbolize('${aws_iam_role.exec.tags.team}')).toBe('<exec>.tags.team');
    expect(edge.region).toBeUndefined();
  });

  it('a policy is a document data source only when the reference is the whole value', () => {
    const withPolicy = (policy: unknown) =>
      indexStack('participant-a', { ...json, resource: { ...json.resource, aws_iam_role_policy: { p: { policy } } } } as StackJson).policy(
        'aws_iam_role_policy.p',
        'policy',
      );
    expect(withPolicy('x${data.aws_iam_policy_document.doc.json}')).toBeUndefined();
    expect(withPolicy('${data.aws_iam_policy_document.doc.json}x')).toBeUndefined();
  });

  it('policies from the configuration: JSON text with references, or a policy document data source; anything else is no policy', () => {
    const withPolicy = (policy: unknown) =>
      indexStack('participant-a', { ...json, resource: { ...json.resource, aws_iam_role_policy: { p: { policy } } } } as StackJson).policy(
        'aws_iam_role_policy.p',
        'policy',
      );
    expect(withPolicy('${data.aws_iam_policy_document.doc.json}')?.statements.map((s) => s.resources)).toEqual([['<dag-bucket>.arn/*']]);
    expect(withPolicy(' ${data.aws_iam_policy_document.doc.json} ')?.statements).toHaveLength(1);
    expect(withPolicy('${data.aws_iam_policy_document.missing.json}')).toBeUndefined();
    expect(
      withPolicy(JSON.stringify({ Statement: { Effect: 'Allow', Action: 's3:*', Resource: '${aws_s3_bucket.dags.arn}' } }))?.statements.map(
        (s) => s.resources,
      ),
    ).toEqual([['<dag-bucket>.arn']]);
    expect(withPolicy('${jsonencode(local.x)}')).toBeUndefined();
    expect(withPolicy('')).toBeUndefined();
    expect(withPolicy(42)).toBeUndefined();
    // A document whose source documents are unresolved references cannot be read.
    const unresolved = indexStack('s', {
      resource: { aws_iam_role_policy: { p: { policy: '${data.aws_iam_policy_document.d.json}' } } },
      data: { aws_iam_policy_document: { d: { source_policy_documents: ['${data.aws_iam_policy_document.o.json}'] } } },
    } as StackJson);
    expect(unresolved.policy('aws_iam_role_policy.p', 'policy')).toBeUndefined();
  });
});

describe('team files', () => {
  it('property: a file changed from a to b counts the lines b adds and a loses (as multisets)', () => {
    const text = fc.array(fc.constantFrom('a', 'b', 'c', ''), { maxLength: 6 }).map((ls) => ls.join('\n'));
    fc.assert(
      fc.property(text, text, (a, b) => {
        const [d] = diffTeamFiles(new Map([['f', a]]), new Map([['f', b]]));
        if (a === b) return expect(d).toBeUndefined();
        const ls = (s: string) => (s === '' ? [] : s.replace(/\n$/, '').split('\n'));
        const left = [...ls(a)];
        let added = 0;
        for (const l of ls(b)) {
          const i = left.indexOf(l);
          if (i >= 0) left.splice(i, 1);
          else added++;
        }
        expect(d).toEqual({ path: 'f', status: 'modified', added, removed: left.length });
      }),
    );
  });

  it('added and removed files count their lines (a final newline is no extra line), sorted by path', () => {
    expect(
      diffTeamFiles(
        new Map([
          ['z', 'a\nb\n'],
          ['e', ''],
        ]),
        new Map([
          ['b', 'x\n'],
          ['a', 'p\nq'],
          ['e', ''],
        ]),
      ),
    ).toEqual([
      { path: 'a', status: 'added', added: 2, removed: 0 },
      { path: 'b', status: 'added', added: 1, removed: 0 },
      { path: 'z', status: 'removed', added: 0, removed: 2 },
    ]);
  });
});

describe('environment rows', () => {
  it('compares every column; values absent read as —; modes are public/private or as written', () => {
    const e = (over: object) => ({
      name: 'x',
      environment_class: 'mw1.small',
      airflow_version: '2.10.3',
      min_workers: 1,
      max_workers: 2,
      schedulers: 2,
      min_webservers: 2,
      max_webservers: 2,
      webserver_access_mode: 'PRIVATE_ONLY',
      ...over,
    });
    for (const [k, v] of [
      ['environment_class', 'mw1.large'],
      ['airflow_version', '2.11.0'],
      ['min_workers', 2],
      ['max_workers', 3],
      ['schedulers', 3],
      ['min_webservers', 1],
      ['max_webservers', 5],
      ['webserver_access_mode', 'PUBLIC_ONLY'],
    ] as const) {
      expect(environmentRows([e({})], [e({ [k]: v })])[0].status).toBe('changed');
    }
    expect(environmentRows([e({})], [e({ tags: { a: 1 } })])[0].status).toBe('unchanged');
    const [row] = environmentRows([], [{ name: 'n', webserver_access_mode: '', min_workers: null }]);
    expect(row).toEqual({
      name: 'n',
      status: 'new',
      after: { name: 'n', class: '—', version: '—', workers: '—–—', schedulers: '—', webservers: '—–—', mode: '—' },
    });
    expect(environmentRows([], [e({ webserver_access_mode: 'OTHER' })])[0].after!.mode).toBe('OTHER');
    expect(environmentRows([e({ name: 'b' }), e({ name: 'a' })], [e({ name: 'c' })]).map((r) => `${r.name}:${r.status}`)).toEqual([
      'a:removed',
      'b:removed',
      'c:new',
    ]);
    const changed = environmentRows([e({})], [e({ max_workers: 5 })])[0];
    expect([envCell(changed, 'workers'), envCell(changed, 'class')]).toEqual(['1–2 → **1–5**', 'mw1.small']);
  });
});
