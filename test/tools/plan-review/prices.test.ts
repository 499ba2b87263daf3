/**
 * The committed price table (tools/plan-review/prices.json): every figure is sourced, and the example's environments
 * cost what the table's figures give by hand. Expected values are written as the arithmetic on the table's figures.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StackJson } from '../../../tools/rules/types';
import { estimateStack, type Price, type PriceTable } from '../../../tools/plan-review/cost';
import { reviewPlans } from '../../../tools/plan-review/review';
import pricesJson from '../../../tools/plan-review/prices.json';
import { EKS_VERSIONS } from '../../../model/eks-versions';

const prices = pricesJson as unknown as PriceTable;
const example = (name: string): StackJson => JSON.parse(readFileSync(join(__dirname, 'fixtures', 'example', name), 'utf8')) as StackJson;
/** A recorded stack (these fixtures are eu-west-1) with its AWS provider moved to another region. */
const inRegion = (stack: StackJson, region: string): StackJson => {
  const copy = JSON.parse(JSON.stringify(stack)) as { provider: { aws: Array<{ region?: string }> } };
  for (const p of copy.provider.aws) p.region = region;
  return copy as unknown as StackJson;
};
const CLASSES = ['mw1.micro', 'mw1.small', 'mw1.medium', 'mw1.large', 'mw1.xlarge', 'mw1.2xlarge'];
const TODAY = '2026-12-01';
const round = (n: number) => Math.round(n * 100) / 100;

/** Every figure of the table with where it sits. */
function figures(): Array<[string, Price]> {
  const out: Array<[string, Price]> = [];
  for (const [region, r] of Object.entries(prices.regions)) {
    for (const [key, v] of Object.entries(r as unknown as Record<string, Price | Record<string, Price>>)) {
      if ('usd' in v) out.push([`${region}.${key}`, v as Price]);
      else for (const [k, p] of Object.entries(v as Record<string, Price>)) out.push([`${region}.${key}.${k}`, p]);
    }
  }
  return out;
}

describe('price table (tools/plan-review/prices.json)', () => {
  it('names, for every figure, a source with a URL and the date it was read; a null figure may say "not-found"', () => {
    const problems: string[] = [];
    for (const [where, p] of figures()) {
      const src = prices.sources[p.source];
      if (!src) problems.push(`${where}: unknown source ${p.source}`);
      else if (!/^\d{4}-\d{2}-\d{2}$/.test(src.readOn)) problems.push(`${where}: source ${p.source} has no read date`);
      else if (p.usd !== null && !/^https:\/\//.test(src.url)) problems.push(`${where}: figure ${p.usd} without a URL`);
      if (p.usd !== null && !(typeof p.usd === 'number' && p.usd > 0)) problems.push(`${where}: ${String(p.usd)} is not a positive price`);
    }
    expect(problems).toEqual([]);
  });

  it('lists every environment class in every region of the table, a missing price as an explicit null', () => {
    expect(Object.keys(prices.regions).sort()).toEqual(['eu-west-1', 'us-east-1', 'us-west-2']);
    for (const r of Object.values(prices.regions))
      for (const table of [r.mwaaEnvironmentHour, r.mwaaWorkerHour, r.mwaaSchedulerHour, r.mwaaWebserverHour])
        expect(Object.keys(table).sort()).toEqual([...CLASSES].sort());
  });

  it('marks every figure not read by `npm run prices` as entered by hand, so the next run keeps it only where AWS has none', () => {
    const unmarked = figures()
      .filter(([, p]) => p.usd !== null && !p.source.startsWith('price-list/') && p.hand !== true)
      .map(([where]) => where);
    expect(unmarked).toEqual([]);
  });

  const usdOf = (t: Readonly<Record<string, Price>>) => Object.fromEntries(CLASSES.map((c) => [c, t[c].usd]));
  const sourceOf = (t: Readonly<Record<string, Price>>) => Object.fromEntries(CLASSES.map((c) => [c, t[c].source]));

  it('holds the us-east-1 figures of the sources (Price List reads quoted by climate-indices, Infracost)', () => {
    const r = prices.regions['us-east-1'];
    expect(usdOf(r.mwaaEnvironmentHour)).toEqual({
      'mw1.micro': 0.29,
      'mw1.small': 0.49,
      'mw1.medium': 0.74,
      'mw1.large': 0.99,
      'mw1.xlarge': null,
      'mw1.2xlarge': null,
    });
    expect(r.mwaaEnvironmentHour['mw1.medium'].source).toBe('climate-indices-mwaa');
    expect(usdOf(r.mwaaWorkerHour)).toEqual({
      'mw1.micro': null,
      'mw1.small': 0.055,
      'mw1.medium': 0.11,
      'mw1.large': 0.22,
      'mw1.xlarge': null,
      'mw1.2xlarge': null,
    });
    expect(usdOf(r.mwaaSchedulerHour)).toEqual(usdOf(r.mwaaWorkerHour));
    // No source gives a us-east-1 webserver figure (and another region's is never borrowed).
    expect(CLASSES.every((c) => r.mwaaWebserverHour[c].usd === null)).toBe(true);
    expect([
      r.mwaaMetadataGbMonth.usd,
      r.interfaceEndpointAzHour.usd,
      r.eksClusterHour.usd,
      r.eksExtendedClusterHour.usd,
      r.kmsKeyMonth.usd,
    ]).toEqual([0.1, 0.01, 0.1, 0.6, 1]);
    expect(r.interfaceEndpointAzHour.source).toBe('climate-indices-vpc');
  });

  it('holds the us-west-2 figures of felipenoris/AWS-DataScience (Price List read 2026-08-08)', () => {
    const r = prices.regions['us-west-2'];
    expect(usdOf(r.mwaaEnvironmentHour)).toEqual({
      'mw1.micro': 0.29,
      'mw1.small': 0.49,
      'mw1.medium': 0.74,
      'mw1.large': 0.99,
      'mw1.xlarge': 1.98,
      'mw1.2xlarge': 3.96,
    });
    const addOn = { 'mw1.micro': null, 'mw1.small': 0.055, 'mw1.medium': 0.11, 'mw1.large': 0.22, 'mw1.xlarge': null, 'mw1.2xlarge': null };
    expect(usdOf(r.mwaaWorkerHour)).toEqual(addOn);
    expect(usdOf(r.mwaaSchedulerHour)).toEqual(addOn);
    expect(usdOf(r.mwaaWebserverHour)).toEqual({ ...addOn, 'mw1.medium': 0.055, 'mw1.large': 0.11 });
    expect(new Set(Object.values(sourceOf(r.mwaaWebserverHour)))).toEqual(new Set(['felipenoris-mwaa', 'not-found']));
    expect([r.mwaaMetadataGbMonth.usd, r.interfaceEndpointAzHour.usd, r.kmsKeyMonth.usd]).toEqual([0.1, 0.01, 1]);
    expect(Object.fromEntries(Object.entries(r.ec2OnDemandHour).map(([t, p]) => [t, p.usd]))).toEqual({
      'm5.large': 0.096,
      'm6i.large': null,
      't3.large': 0.0832,
      't3.medium': 0.0416,
    });
  });

  it('holds the eu-west-1 figures of metabare.com and infracanvas, and no eu-west-1 MWAA figure (none is citable)', () => {
    const r = prices.regions['eu-west-1'];
    expect([r.interfaceEndpointAzHour.usd, r.eksClusterHour.usd, r.kmsKeyMonth.usd]).toEqual([0.011, 0.1, 1]);
    expect(r.ec2OnDemandHour['t3.large'].usd).toBe(0.0912);
    expect(r.ec2OnDemandHour['m5.large']).toEqual({ usd: 0.107, source: 'infracanvas-ec2', hand: true });
    for (const t of [r.mwaaEnvironmentHour, r.mwaaWorkerHour, r.mwaaSchedulerHour, r.mwaaWebserverHour])
      expect(Object.values(t).every((p) => p.usd === null)).toBe(true);
  });

  it('names each cited repository file at a full commit, with the date its figures were read', () => {
    const cited = Object.values(prices.sources).filter((s) => s.url.startsWith('https://github.com/'));
    expect(cited.length).toBeGreaterThanOrEqual(8);
    for (const s of cited) expect(s.url).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/[0-9a-f]{40}\//);
    expect(prices.sources['metabare-eu-west-1'].readOn).toBe('2026-07-29');
    expect(prices.sources['felipenoris-mwaa']).toEqual(expect.objectContaining({ readOn: '2026-08-08', publicationDate: '2026-04-20' }));
    expect(prices.sources['climate-indices-mwaa']).toEqual(expect.objectContaining({ publicationDate: '2026-09-11' }));
  });
});

describe('the example priced with the committed table', () => {
  const analytics = example('participant-analytics.cdk.tf.json');
  const marketing = example('participant-marketing.cdk.tf.json');
  const lines = (config: StackJson) => {
    const r = reviewPlans([{ stack: 'participant-x', team: 'x', config }], { prices, today: TODAY, mode: 'base' });
    return { review: r, cost: r.stacks[0].cost!.after, by: new Map(r.stacks[0].cost!.after.lines.map((l) => [l.item, [l.min, l.max]])) };
  };

  it('marketing in us-east-1: mw1.small, 1–3 workers, public webserver (hand-computed)', () => {
    const { cost, by } = lines(inRegion(marketing, 'us-east-1'));
    expect(by.get('marketing-campaigns: mw1.small environment')).toEqual([round(0.49 * 730), round(0.49 * 730)]); // 357.70
    // One worker is included: 0–2 additional × 730 h × $0.055.
    expect(by.get('marketing-campaigns: additional workers')).toEqual([0, round(2 * 730 * 0.055)]); // 0–80.30
    // PUBLIC_ONLY: only the database endpoint, in the environment's 2 subnets, paid by the owner account.
    expect(by.get('marketing-campaigns: database endpoint (2 AZ)')).toEqual([round(2 * 730 * 0.01), round(2 * 730 * 0.01)]); // 14.60
    expect(cost.lines.find((l) => l.item.includes('endpoint'))!.paidBy).toBe('owner account');
    // 2 schedulers and 2 webservers are included: no line for them.
    expect(cost.lines.some((l) => /schedulers|webservers/.test(l.item))).toBe(false);
    expect([cost.min, cost.max, cost.unpriced]).toEqual([round(357.7 + 0 + 14.6), round(357.7 + 80.3 + 14.6), 0]); // 372.30–452.60
  });

  it('analytics in us-east-1: mw1.medium, 2–10 workers, 2–3 webservers, private webserver, EKS 1.32, two KMS keys (hand-computed)', () => {
    const { cost, by, review } = lines(inRegion(analytics, 'us-east-1'));
    expect(by.get('analytics-prod: mw1.medium environment')).toEqual([round(0.74 * 730), round(0.74 * 730)]); // 540.20
    expect(by.get('analytics-prod: additional workers')).toEqual([round(1 * 730 * 0.11), round(9 * 730 * 0.11)]); // 80.30–722.70
    // 0–1 additional webserver: the table has no us-east-1 webserver price, so the line says "no price".
    expect(by.get('analytics-prod: additional webservers')).toEqual([null, null]);
    // PRIVATE_ONLY: database + webserver endpoints × 2 subnets × 730 h × $0.01.
    expect(by.get('analytics-prod: database + webserver endpoints (2 AZ)')).toEqual([round(2 * 2 * 730 * 0.01), round(2 * 2 * 730 * 0.01)]); // 29.20
    expect(by.get('EKS cluster acme-data-analytics control plane (1.32)')).toEqual([round(730 * 0.1), round(730 * 0.1)]); // 73.00
    // 1.32 left standard support on 2026-03-23: extended support adds $0.60 − $0.10 per hour.
    expect(by.get('EKS extended support for 1.32 (past standard support)')).toEqual([round(730 * 0.5), round(730 * 0.5)]); // 365.00
    // m6i.large has no us-east-1 figure in the table.
    expect(by.get('node group acme-data-analytics-default: m6i.large on demand')).toEqual([null, null]);
    expect(cost.lines.filter((l) => l.item.startsWith('KMS key')).map((l) => l.min)).toEqual([1, 1]);
    const min = 540.2 + 80.3 + 29.2 + 73 + 365 + 1 + 1;
    const max = 540.2 + 722.7 + 29.2 + 73 + 365 + 1 + 1;
    expect([cost.min, cost.max, cost.unpriced]).toEqual([round(min), round(max), 2]); // 1,089.70–1,732.10 + 2 unpriced
    // A lower bound that says what it leaves out, and the command that fills it.
    expect(review.markdown).toContain('**Total of the reviewed stacks: ≥ $1,089.70–$1,732.10 per month (2 items unpriced)**');
    expect(review.markdown).toContain(
      'unknown (priced items +$1,089.70; 2 items without a price added, removed or changed) from this change',
    );
    expect(review.markdown).toContain('`npm run prices -- --region us-east-1` fills them from the AWS Price List');
    // Each source used, with the cited file at its commit and the offer's publication date.
    expect(review.markdown).toMatch(
      /- `climate-indices-mwaa`: <https:\/\/github\.com\/climate-indices\/climate-indices-cloud\/blob\/c9d408d42d925366428642bce40457b5ad5a17ec\/docs\/research\/orchestrator-choice\.md> — .* \(offer published 2026-09-11, read 2026-09-24\)/,
    );
    expect(review.markdown).toContain(
      '| `participant-x` | **environment analytics-prod** | subtotal | **≥ $649.70–$1,292.10 (1 item unpriced)** |',
    );
  });

  it('analytics in us-west-2 (the recovery region): every MWAA line priced, only the m6i.large node group not', () => {
    const { cost, by } = lines(inRegion(analytics, 'us-west-2'));
    // 0–1 additional medium webserver × 730 h × $0.055.
    expect(by.get('analytics-prod: additional webservers')).toEqual([0, round(730 * 0.055)]); // 0–40.15
    expect(cost.lines.filter((l) => l.min === null).map((l) => l.item)).toEqual([
      'node group acme-data-analytics-default: m6i.large on demand',
    ]);
  });

  it('the example as committed (eu-west-1): MWAA says "no price", endpoints, EKS and KMS are priced, totals are lower bounds', () => {
    const { cost, by, review } = lines(analytics);
    expect(by.get('analytics-prod: mw1.medium environment')).toEqual([null, null]);
    expect(by.get('analytics-prod: additional workers')).toEqual([null, null]);
    // 4 endpoint-AZ × 730 h × $0.011 (metabare.com's eu-west-1 figure).
    expect(by.get('analytics-prod: database + webserver endpoints (2 AZ)')).toEqual([round(4 * 730 * 0.011), round(4 * 730 * 0.011)]); // 32.12
    expect(by.get('EKS cluster acme-data-analytics control plane (1.32)')).toEqual([round(730 * 0.1), round(730 * 0.1)]);
    expect([cost.min, cost.max]).toEqual([round(32.12 + 73 + 365 + 1 + 1), round(32.12 + 73 + 365 + 1 + 1)]); // 472.12
    expect(review.markdown).toMatch(
      /analytics-prod: mw1\.medium environment \| 1 environment × 730 h × no price \| no price \(eu-west-1\)/,
    );
    expect(review.markdown).not.toMatch(/mw1\.medium environment[^\n]*\$0\.00/);
    expect(review.markdown).toContain('| `participant-x` | **environment analytics-prod** | subtotal | **≥ $32.12 (3 items unpriced)** |');
    expect(review.markdown).toContain('| `participant-x` | **stack total** | before: $0.00 | **≥ $472.12 (4 items unpriced)** |');
    expect(review.markdown).toContain('`npm run prices -- --region eu-west-1`');
  });

  it('marketing as committed (eu-west-1): only the endpoint priced, so subtotal and stack total are lower bounds, not $16.06', () => {
    const { review } = lines(marketing);
    expect(review.markdown).toContain(
      '| `participant-x` | **environment marketing-campaigns** | subtotal | **≥ $16.06 (2 items unpriced)** |',
    );
    expect(review.markdown).toContain('| `participant-x` | **stack total** | before: $0.00 | **≥ $16.06 (2 items unpriced)** |');
  });

  it('a region without prices says "no price" for every line and "unknown" for its totals, never $0.00', () => {
    const { cost, review } = lines(inRegion(marketing, 'ap-southeast-2'));
    expect(cost.lines.length).toBe(3);
    expect(cost.lines.every((l) => l.min === null && l.max === null && /no price/.test(l.detail))).toBe(true);
    expect(cost.unpriced).toBe(3);
    expect(review.markdown).toContain('no price (ap-southeast-2)');
    expect(review.markdown).toContain(
      '**Total of the reviewed stacks: unknown (3 items unpriced)** (workers at configured minimum–maximum), unknown (priced items $0.00; 3 items without a price added, removed or changed) from this change',
    );
    expect(review.markdown).toContain('| `participant-x` | **stack total** | before: $0.00 | **unknown (3 items unpriced)** |');
    expect(review.markdown).toContain('`npm run prices -- --region ap-southeast-2`');
  });

  it('counts interface endpoints generically: any service, per subnet (hand-computed)', () => {
    const ep = (svc: string, subnets: number) => ({
      address: `aws_vpc_endpoint.${svc}`,
      type: 'aws_vpc_endpoint',
      props: {
        vpc_endpoint_type: 'Interface',
        service_name: `com.amazonaws.us-east-1.${svc}`,
        subnet_ids: Array.from({ length: subnets }, (_, i) => `subnet-${i}`),
      },
    });
    const gateway = {
      address: 'aws_vpc_endpoint.s3',
      type: 'aws_vpc_endpoint',
      props: { vpc_endpoint_type: 'Gateway', service_name: 'com.amazonaws.us-east-1.s3' },
    };
    const c = estimateStack([ep('sqs', 3), ep('codeartifact.api', 2), gateway], prices, 'us-east-1', TODAY);
    expect(c.lines.map((l) => [l.item, l.min])).toEqual([
      ['interface endpoint sqs (3 AZ)', round(3 * 730 * 0.01)], // 21.90
      ['interface endpoint codeartifact.api (2 AZ)', round(2 * 730 * 0.01)], // 14.60
    ]);
    expect(c.min).toBe(round(21.9 + 14.6));
  });
});

describe('EKS support windows', () => {
  it("the price table ends standard support on the same days as the model's EKS calendar (one calendar, two readers)", () => {
    const { source: _source, '//': _note, ...table } = prices.eksStandardSupportEnd as Record<string, string>;
    expect(table).toEqual(Object.fromEntries(Object.entries(EKS_VERSIONS).map(([v, s]) => [v, s.endOfStandardSupport])));
  });
});
