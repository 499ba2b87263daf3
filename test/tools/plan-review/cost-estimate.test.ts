/**
 * The cost estimate's edge cases with a small hand-made price table (prices.test.ts checks the committed table).
 */
import {
  deltaText,
  eksExtended,
  estimateStack,
  pricesCommand,
  range,
  signed,
  totalText,
  unpricedRegions,
  usd,
  type CostBlock,
  type PriceTable,
} from '../../../tools/plan-review/cost';

const p = (v: number | null) => ({ usd: v, source: 's' });
const table: PriceTable = {
  hoursPerMonth: 100,
  sources: {},
  mwaaIncluded: { workers: 1, schedulers: 2, webservers: 2 },
  eksStandardSupportEnd: { '1.30': '2026-07-23', '1.29': 'soon' },
  regions: {
    r: {
      mwaaEnvironmentHour: { 'mw1.small': p(1) },
      mwaaWorkerHour: { 'mw1.small': p(0.1) },
      mwaaSchedulerHour: { 'mw1.small': p(0.2) },
      mwaaWebserverHour: { 'mw1.small': p(0.3) },
      mwaaMetadataGbMonth: p(null),
      interfaceEndpointAzHour: p(0.01),
      eksClusterHour: p(0.1),
      eksExtendedClusterHour: p(0.6),
      ec2OnDemandHour: { default: p(0.05), 'm6i.large': p(0.1) },
      kmsKeyMonth: p(1),
    },
  },
};
const est = (blocks: CostBlock[], region: string | undefined = 'r', today = '2026-07-01') => estimateStack(blocks, table, region, today);
const row = (blocks: CostBlock[], today?: string) => est(blocks, 'r', today).lines.map((l) => [l.item, l.detail, l.min, l.max]);

describe('cost lines', () => {
  it('MWAA: defaults when settings are absent, numbers given as text, extra schedulers and webservers beyond the included ones', () => {
    expect(
      row([
        {
          address: 'aws_mwaa_environment.e',
          type: 'aws_mwaa_environment',
          props: { min_workers: '2', max_workers: 'lots', schedulers: 3, max_webservers: 3, webserver_access_mode: 'PUBLIC_ONLY' },
        },
      ]),
    ).toEqual([
      ['aws_mwaa_environment.e: mw1.small environment', '1 environment × 100 h × $1', 100, 100],
      // min 2 − 1 included; max 'lots' is not a number: the MWAA default of 10, − 1 included.
      ['aws_mwaa_environment.e: additional workers', '1–9 worker × 100 h × $0.1', 10, 90],
      ['aws_mwaa_environment.e: additional schedulers', '1 scheduler × 100 h × $0.2', 20, 20],
      ['aws_mwaa_environment.e: additional webservers', '0–1 webserver × 100 h × $0.3', 0, 30],
      ['aws_mwaa_environment.e: database endpoint (2 AZ)', '2 endpoint-AZ × 100 h × $0.01', 2, 2],
    ]);
    const priv = est([
      {
        address: 'a.e',
        type: 'aws_mwaa_environment',
        props: {
          name: 'n',
          min_workers: 1,
          max_workers: 1,
          webserver_access_mode: 'PRIVATE_ONLY',
          endpoint_management: 'CUSTOMER',
          network_configuration: [{ subnet_ids: ['a', 'b', 'c'] }],
        },
      },
    ]);
    expect(priv.lines.map((l) => l.item)).toEqual(['n: mw1.small environment', 'n: database + webserver endpoints (3 AZ)']);
    expect(priv.lines[1]).toEqual(expect.objectContaining({ min: 6, paidBy: 'owner account', environment: 'n', source: 's' }));
    expect(priv.lines[0].environment).toBe('n');
    // SERVICE-managed endpoints are in the environment's own bill.
    expect(
      est([{ address: 'a.e', type: 'aws_mwaa_environment', props: { name: 'n', endpoint_management: 'SERVICE' } }]).lines.at(-1)!.paidBy,
    ).toBeUndefined();
  });

  it('interface endpoints per subnet (one when unknown), gateway endpoints free', () => {
    expect(
      row([
        {
          address: 'aws_vpc_endpoint.s3',
          type: 'aws_vpc_endpoint',
          props: { vpc_endpoint_type: 'Gateway', service_name: 'com.amazonaws.r.s3' },
        },
        {
          address: 'aws_vpc_endpoint.sts',
          type: 'aws_vpc_endpoint',
          props: { vpc_endpoint_type: 'Interface', service_name: 'com.amazonaws.eu-west-1.sts', subnet_ids: ['a', 'b'] },
        },
        { address: 'aws_vpc_endpoint.x', type: 'aws_vpc_endpoint', props: { vpc_endpoint_type: 'Interface' } },
      ]),
    ).toEqual([
      ['interface endpoint sts (2 AZ)', '2 endpoint-AZ × 100 h × $0.01', 2, 2],
      ['interface endpoint aws_vpc_endpoint.x (1 AZ)', '1 endpoint-AZ × 100 h × $0.01', 1, 1],
    ]);
  });

  it('EKS: extended support only after the standard window ends; a version not in the table says so', () => {
    const eks = (version?: string) => [
      { address: 'aws_eks_cluster.c', type: 'aws_eks_cluster', props: { name: 'c', ...(version ? { version } : {}) } },
    ];
    expect(row(eks('1.30'), '2026-07-22')).toEqual([['EKS cluster c control plane (1.30)', '1 cluster × 100 h × $0.1', 10, 10]]);
    expect(row(eks('1.30'), '2026-07-23')).toEqual([
      ['EKS cluster c control plane (1.30)', '1 cluster × 100 h × $0.1', 10, 10],
      ['EKS extended support for 1.30 (past standard support)', '1 cluster × 100 h × $0.5', 50, 50],
    ]);
    expect(row(eks('1.31'))[1]).toEqual(['EKS 1.31: support window not in the price table', 'no price', null, null]);
    expect(row(eks())[0][0]).toBe('EKS cluster c control plane (default version)');
    expect(eksExtended('1.29', table, '2030-01-01')).toBeUndefined();
    // Billed from the start of the end-of-standard-support day (EKS release calendar).
    expect(eksExtended('1.30', table, '2026-07-22')).toBe(false);
    expect(eksExtended('1.30', table, '2026-07-23')).toBe(true);
    // Without the standard price the extra cannot be computed.
    const noStd = estimateStack(
      eks('1.30'),
      { ...table, regions: { r: { ...table.regions.r, eksClusterHour: p(null) } } },
      'r',
      '2027-01-01',
    );
    expect(noStd.lines.map((l) => l.min)).toEqual([null, null]);
  });

  it('node groups on demand by their first instance type (the default type when none), spot not estimated', () => {
    expect(
      row([
        {
          address: 'aws_eks_node_group.a',
          type: 'aws_eks_node_group',
          props: { node_group_name: 'a', instance_types: ['m6i.large', 'm5.large'], scaling_config: [{ min_size: 2, max_size: 4 }] },
        },
        { address: 'aws_eks_node_group.b', type: 'aws_eks_node_group', props: { scaling_config: { min_size: 1 } } },
        {
          address: 'aws_eks_node_group.c',
          type: 'aws_eks_node_group',
          props: { node_group_name: 'c', capacity_type: 'SPOT', instance_types: ['m6i.large'] },
        },
      ]),
    ).toEqual([
      ['node group a: m6i.large on demand', '2–4 instance × 100 h × $0.1', 20, 40],
      ['node group aws_eks_node_group.b: default on demand', '1 instance × 100 h × $0.05', 5, 5],
      ['node group c: spot m6i.large', 'spot prices vary; not estimated', null, null],
    ]);
  });

  it('KMS keys named by their address without the hash; totals leave out what has no price and count it', () => {
    const r = est([
      { address: 'aws_kms_key.secrets_0A1B2C3D', type: 'aws_kms_key', props: {} },
      { address: 'aws_eks_node_group.c', type: 'aws_eks_node_group', props: { capacity_type: 'SPOT' } },
      { address: 'aws_sqs_queue.q', type: 'aws_sqs_queue', props: {} },
    ]);
    expect(r.lines.map((l) => [l.item, l.detail, l.min])).toEqual([
      ['KMS key secrets', '1 key × $1', 1],
      ['node group aws_eks_node_group.c: spot default', 'spot prices vary; not estimated', null],
    ]);
    expect([r.min, r.max, r.unpriced, r.region]).toEqual([1, 1, 1, 'r']);
    const none = estimateStack([{ address: 'aws_kms_key.k', type: 'aws_kms_key', props: {} }], table, undefined, '2026-07-01');
    expect(none.lines).toEqual([{ item: 'KMS key k', detail: '1 key × no price', min: null, max: null }]);
    expect('region' in none).toBe(false);
  });

  it('counts from text only when it is a whole number; anything else takes the default', () => {
    const workers = (max_workers: unknown) =>
      est([{ address: 'a.e', type: 'aws_mwaa_environment', props: { name: 'n', max_workers } }]).lines.find(
        (l) => l.item === 'n: additional workers',
      )?.detail;
    expect(workers('12')).toBe('0–11 worker × 100 h × $0.1');
    for (const odd of [' 12', '12 ', '1.5', 'x12', '12x', '', true]) expect(workers(odd)).toBe('0–9 worker × 100 h × $0.1');
  });

  it('never counts fewer than no extra webservers when fewer than the included ones are configured', () => {
    const webservers = est([
      { address: 'a.e', type: 'aws_mwaa_environment', props: { name: 'n', min_webservers: 1, max_webservers: 3 } },
    ]).lines.find((l) => l.item === 'n: additional webservers');
    expect(webservers).toEqual(expect.objectContaining({ detail: '0–1 webserver × 100 h × $0.3', min: 0, max: 30 }));
  });

  it('a support end that is not a plain date is not in the table', () => {
    const dated = { ...table, eksStandardSupportEnd: { a: 'x2026-07-23', b: '2026-07-23x', c: '2026-07-23' } };
    expect([eksExtended('a', dated, '2027-01-01'), eksExtended('b', dated, '2027-01-01'), eksExtended('c', dated, '2027-01-01')]).toEqual([
      undefined,
      undefined,
      true,
    ]);
  });

  it('a region the table does not have: every resource is listed without a price, none is left out or counted as $0', () => {
    const r = estimateStack(
      [
        {
          address: 'aws_vpc_endpoint.sts',
          type: 'aws_vpc_endpoint',
          props: { vpc_endpoint_type: 'Interface', service_name: 'com.amazonaws.nowhere-1.sts' },
        },
        { address: 'aws_eks_cluster.c', type: 'aws_eks_cluster', props: { name: 'c', version: '1.30' } },
        { address: 'aws_eks_node_group.a', type: 'aws_eks_node_group', props: { node_group_name: 'a' } },
        { address: 'aws_kms_key', type: 'aws_kms_key', props: {} },
      ],
      table,
      'nowhere-1',
      '2027-01-01',
    );
    expect(r.lines).toEqual([
      { item: 'interface endpoint sts (1 AZ)', detail: '1 endpoint-AZ × 100 h × no price', min: null, max: null },
      { item: 'EKS cluster c control plane (1.30)', detail: '1 cluster × 100 h × no price', min: null, max: null },
      {
        item: 'EKS extended support for 1.30 (past standard support)',
        detail: '1 cluster × 100 h × no price',
        min: null,
        max: null,
        source: 'eks-extended',
      },
      { item: 'node group a: default on demand', detail: '1 instance × 100 h × no price', min: null, max: null },
      { item: 'KMS key', detail: '1 key × no price', min: null, max: null },
    ]);
    expect([r.min, r.max, r.unpriced]).toEqual([0, 0, 5]);
    expect(est([{ address: 'aws_kms_key.k', type: 'aws_kms_key', props: {} }]).lines).toEqual([
      { item: 'KMS key k', detail: '1 key × $1', min: 1, max: 1, source: 's' },
    ]);
  });

  it('money: two decimals with thousands separators, ranges, signed changes', () => {
    expect(usd(1234.5)).toBe('$1,234.50');
    expect(range(1, 1)).toBe('$1.00');
    expect(range(1, 2.345)).toBe('$1.00–$2.35');
    expect([signed(2), signed(-2), signed(0)]).toEqual(['+$2.00', '−$2.00', '$0.00']);
    // Rounded to cents.
    expect(
      est([{ address: 'a.v', type: 'aws_vpc_endpoint', props: { vpc_endpoint_type: 'Interface', subnet_ids: ['a', 'b', 'c'] } }], 'r')
        .lines[0].min,
    ).toBe(3);
  });
});

describe('totals with unpriced items: unknown is never zero', () => {
  const env = (cls: string, max = 1): CostBlock => ({
    address: `aws_mwaa_environment.${cls}`,
    type: 'aws_mwaa_environment',
    props: { name: 'e', environment_class: cls, min_workers: 1, max_workers: max, network_configuration: [{ subnet_ids: ['a', 'b'] }] },
  });
  const key: CostBlock = { address: 'aws_kms_key.k', type: 'aws_kms_key', props: {} };

  it('a total is the sum when all is priced, "≥ sum (N unpriced)" when some is, "unknown" when none is', () => {
    expect(totalText(0, 0, 0, 0)).toBe('$0.00');
    expect(totalText(10, 20, 2, 0, ' per month')).toBe('$10.00–$20.00 per month');
    expect(totalText(10, 20, 2, 1, ' per month')).toBe('≥ $10.00–$20.00 per month (1 item unpriced)');
    expect(totalText(0, 0, 0, 3)).toBe('unknown (3 items unpriced)');
  });

  it('a change is exact only when the unpriced lines are the same before and after', () => {
    // mw1.large has no figure in the table (region r): environment line unpriced; 100 h × 0.01 × 2 AZ = $2 endpoint.
    const before = est([env('mw1.large'), key]);
    const after = est([env('mw1.large'), key, key]);
    // A second (priced) key is added next to the unchanged unpriced environment: the change is exact.
    expect(deltaText([{ before, after }])).toBe('+$1.00 (1 item without a price, unchanged)');
    expect(deltaText([{ before, after: before }])).toBe('$0.00 (1 item without a price, unchanged)');
    const small = est([env('mw1.small', 1)]);
    const bigger = est([env('mw1.small', 3)]);
    // More workers at the maximum: the minimum, which the change is measured at, does not move.
    expect(deltaText([{ before: small, after: bigger }])).toBe('$0.00');
    expect(deltaText([{ before: est([env('mw1.small', 1)]), after: est([env('mw1.small', 1), key]) }])).toBe('+$1.00');
    // An unpriced line whose quantity changed is a change of unknown size.
    const workers = (max: number) =>
      estimateStack(
        [env('mw1.medium', max)],
        { ...table, regions: { r: { ...table.regions.r, mwaaEnvironmentHour: { 'mw1.medium': p(1) } } } },
        'r',
        '2026-07-01',
      );
    expect(deltaText([{ before: workers(2), after: workers(3) }])).toMatch(/^unknown \(priced items \$0\.00; 1 item without/);
  });

  it('the headline names the command for the regions whose missing figures a price table could hold', () => {
    const spot: CostBlock = {
      address: 'aws_eks_node_group.n',
      type: 'aws_eks_node_group',
      props: { capacity_type: 'SPOT', instance_types: ['m5.large'] },
    };
    expect(unpricedRegions([est([env('mw1.large')], 'r'), est([env('mw1.small')], 'q'), est([spot], 's')])).toEqual(['q', 'r']);
    expect(pricesCommand(['q', 'r'])).toBe('npm run prices -- --region q,r');
  });
});
