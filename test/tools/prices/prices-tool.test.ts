/**
 * `npm run prices`: reading Price List offer files (test/fixtures/price-list, a few products per service in the bulk
 * API's shape) and writing their figures into a price table. Expected values are the fixtures' prices, written out.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

import { join } from 'node:path';
import { parse } from 'yaml';
import { runTool } from '../../../tools/lib/cli';
import type { PriceTable } from '../../../tools/plan-review/cost';
import { keepProduct, readFigures, usageForms } from '../../../tools/prices/map';
import { directorySource, httpSource, OfferError, scanOffer, type OfferProduct } from '../../../tools/prices/offer';
import { PRICES_COMMAND, pricesMain, updatePrices } from '../../../tools/prices/run';
import { formatTable } from '../../../tools/prices/update';
import { fixtureConfigWith } from '../../support/config-fixture';

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'price-list');
const file = (offer: string, region = 'us-east-1') => join(FIXTURES, offer, 'current', region, 'index.json');
const text = (offer: string) => readFileSync(file(offer), 'utf8');
const VERSIONED = (offer: string, version: string) =>
  `https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/${offer}/${version}/us-east-1/index.json`;

/** A table with one hand-entered figure, one unmarked figure and the other keys absent. */
function baseTable(): PriceTable {
  return {
    hoursPerMonth: 730,
    sources: {
      'a-blog': { url: 'https://example.com/blog', what: 'a third party', readOn: '2026-08-08' },
      'eks-calendar': { url: 'https://example.com/eks', what: 'calendar', readOn: '2026-08-08' },
      'mwaa-included': { url: 'https://example.com/included', what: 'included', readOn: '2026-08-08' },
    },
    mwaaIncluded: { workers: 1, schedulers: 2, webservers: 2, source: 'mwaa-included' },
    eksStandardSupportEnd: { source: 'eks-calendar', '1.32': '2026-03-23' },
    regions: {
      'us-east-1': {
        mwaaEnvironmentHour: { 'mw1.small': { usd: 0.5, source: 'a-blog', hand: true } },
        mwaaWorkerHour: {},
        mwaaSchedulerHour: {},
        mwaaWebserverHour: { 'mw1.large': { usd: 0.11, source: 'a-blog', hand: true }, 'mw1.xlarge': { usd: 0.2, source: 'a-blog' } },
        mwaaMetadataGbMonth: { usd: null, source: 'a-blog' },
        interfaceEndpointAzHour: { usd: null, source: 'a-blog' },
        eksClusterHour: { usd: null, source: 'a-blog' },
        eksExtendedClusterHour: { usd: null, source: 'a-blog' },
        ec2OnDemandHour: { 'm5.large': { usd: 0.1, source: 'a-blog' } },
        kmsKeyMonth: { usd: null, source: 'a-blog' },
      },
    },
  } as unknown as PriceTable;
}

const chunksOf = (s: string, size: number): string[] =>
  Array.from({ length: Math.ceil(s.length / size) }, (_, i) => s.slice(i * size, (i + 1) * size));
const all = () => true;

describe('scanOffer', () => {
  it('keeps the header, the products asked for and only their on-demand terms, whatever the chunk boundaries', async () => {
    const mwaa = text('AmazonMWAA');
    const keepWorkers = (p: OfferProduct) => p.attributes.type === 'Worker';
    const whole = await scanOffer('mwaa', [mwaa], 'AmazonMWAA', keepWorkers);
    expect(whole.publicationDate).toBe('2026-09-11T12:45:05Z');
    expect(whole.version).toBe('20260911124505');
    expect(whole.products.map((p) => p.attributes.usagetype).sort()).toEqual([
      'USE1-Airflow-LargeWorker',
      'USE1-Airflow-MediumWorker',
      'USE1-Airflow-SmallWorker',
    ]);
    expect(Object.keys(whole.onDemand).sort()).toEqual(whole.products.map((p) => p.sku).sort());
    // 7-character chunks split keys, strings, escapes and numbers: the result is the same.
    for (const size of [1, 7, 4096]) expect(await scanOffer('mwaa', chunksOf(mwaa, size), 'AmazonMWAA', keepWorkers)).toEqual(whole);
  });

  it('takes terms written before the products (not the order AWS writes, still JSON)', async () => {
    const offer = JSON.parse(text('AWSKMS')) as Record<string, unknown>;
    const reordered = JSON.stringify({ terms: offer.terms, ...offer });
    const scanned = await scanOffer('kms', [reordered], 'AWSKMS', all);
    expect(Object.keys(scanned.onDemand)).toHaveLength(2);
  });

  it('refuses a truncated file, another offer, a file without publicationDate, and non-JSON, naming the file', async () => {
    const mwaa = text('AmazonMWAA');
    await expect(scanOffer('x/index.json', [mwaa.slice(0, 5000)], 'AmazonMWAA', all)).rejects.toThrow(
      'x/index.json is not a readable Price List offer file: the JSON text ends early',
    );
    await expect(scanOffer('x/index.json', [mwaa], 'AmazonVPC', all)).rejects.toThrow(
      'x/index.json is the AmazonMWAA offer, expected AmazonVPC',
    );
    await expect(scanOffer('x/index.json', [mwaa.replace('"publicationDate"', '"published"')], 'AmazonMWAA', all)).rejects.toThrow(
      'x/index.json is not a Price List offer file: it has no publicationDate',
    );
    await expect(scanOffer('x/index.json', ['<html>Access Denied</html>'], 'AmazonMWAA', all)).rejects.toThrow(
      new OfferError('x/index.json is not a readable Price List offer file: it holds no JSON object'),
    );
    await expect(scanOffer('x/index.json', ['{"offerCode": "AmazonMWAA"}'], 'AmazonMWAA', all)).rejects.toThrow(
      'it has no formatVersion, publicationDate, products',
    );
  });
});

describe('usage types', () => {
  it('are compared with and without their region prefix; KMS-Keys has none', () => {
    expect(usageForms('EU-BoxUsage:m5.large')).toEqual(['EU-BoxUsage:m5.large', 'BoxUsage:m5.large']);
    expect(usageForms('BoxUsage:m5.large')).toEqual(['BoxUsage:m5.large']);
    expect(usageForms('USE1-Airflow-MediumScheduler')).toContain('Airflow-MediumScheduler');
    expect(usageForms('KMS-Keys')).toContain('KMS-Keys');
  });
});

async function reading(offer: 'AmazonMWAA' | 'AmazonVPC' | 'AmazonEKS' | 'AmazonEC2' | 'AWSKMS', types: string[] = []) {
  const set = new Set(types);
  const scanned = await scanOffer(offer, [text(offer)], offer, keepProduct(offer, set));
  return readFigures(offer, 'us-east-1', `url-${offer}`, scanned, set);
}
const byKey = (r: { figures: readonly { key: string; usd: number }[] }) => Object.fromEntries(r.figures.map((f) => [f.key, f.usd]));

describe('readFigures (mapping by attributes and usage type)', () => {
  it('MWAA: environment, worker, scheduler and webserver hours by size and type, metadata storage per GB-month', async () => {
    const r = await reading('AmazonMWAA');
    expect(byKey(r)).toEqual({
      'mwaaEnvironmentHour.mw1.micro': 0.29,
      'mwaaEnvironmentHour.mw1.small': 0.49,
      'mwaaEnvironmentHour.mw1.medium': 0.74,
      'mwaaEnvironmentHour.mw1.large': 0.99,
      'mwaaWorkerHour.mw1.small': 0.055,
      'mwaaWorkerHour.mw1.medium': 0.11,
      'mwaaWorkerHour.mw1.large': 0.22,
      'mwaaSchedulerHour.mw1.small': 0.055,
      'mwaaSchedulerHour.mw1.medium': 0.11,
      'mwaaWebserverHour.mw1.small': 0.055,
      'mwaaWebserverHour.mw1.medium': 0.055,
      mwaaMetadataGbMonth: 0.1,
    });
    expect(r.publicationDate).toBe('2026-09-11T12:45:05Z');
  });

  it('MWAA: a product with an unexpected unit or size is reported and left out; serverless tasks are not ours', async () => {
    const r = await reading('AmazonMWAA');
    expect(r.problems).toHaveLength(2);
    expect(r.problems[0]).toMatch(
      /^AmazonMWAA us-east-1 product USE1-Airflow-LargeScheduler \(sku \w+\): unit "vCPU-Hours", expected Hrs; left out$/,
    );
    expect(r.problems[1]).toMatch(
      /USE1-Airflow-3XLargeEnvironment \(sku \w+\): unexpected size "3XLarge" \(known: micro, small, medium, large, xlarge, 2xlarge\); left out$/,
    );
    expect(r.figures.some((f) => f.key === 'mwaaSchedulerHour.mw1.large')).toBe(false);
  });

  it('MWAA: a usage type that disagrees with the size and type attributes is not trusted', async () => {
    const offer = await scanOffer('m', [text('AmazonMWAA').replace('"size" : "Micro"', '"size" : "Small"')], 'AmazonMWAA', all);
    const r = readFigures('AmazonMWAA', 'us-east-1', 'u', offer, new Set());
    expect(r.problems.join('\n')).toContain('usage type Airflow-MicroEnvironment does not match size Small and type Environment');
    expect(byKey(r)['mwaaEnvironmentHour.mw1.micro']).toBeUndefined();
    // Two products now price mw1.small environments differently (0.29 and 0.49): neither is used.
    expect(r.problems.join('\n')).not.toContain('price mwaaEnvironmentHour.mw1.small differently');
    expect(byKey(r)['mwaaEnvironmentHour.mw1.small']).toBe(0.49);
  });

  it('two products for one figure at different prices: neither is used', async () => {
    const changed = text('AmazonMWAA')
      .replace('"usagetype" : "USE1-Airflow-MicroEnvironment"', '"usagetype" : "USE1-Airflow-SmallEnvironment"')
      .replace('"size" : "Micro"', '"size" : "Small"');
    const r = readFigures('AmazonMWAA', 'us-east-1', 'u', await scanOffer('m', [changed], 'AmazonMWAA', all), new Set());
    expect(r.problems).toContain(
      'AmazonMWAA us-east-1: 2 products price mwaaEnvironmentHour.mw1.small differently (0.29, 0.49 USD); left out',
    );
    expect(byKey(r)['mwaaEnvironmentHour.mw1.small']).toBeUndefined();
  });

  it('VPC: the interface endpoint hour (VpcEndpoint-Hours), not data processing or NAT', async () => {
    expect(byKey(await reading('AmazonVPC'))).toEqual({ interfaceEndpointAzHour: 0.01 });
  });

  it('EKS: the cluster hour and the extended-support surcharge', async () => {
    expect(byKey(await reading('AmazonEKS'))).toEqual({ eksClusterHour: 0.1, eksExtendedSupportSurcharge: 0.5 });
  });

  it('EC2: Linux, shared tenancy, on-demand hours of the instance types asked for only', async () => {
    const r = await reading('AmazonEC2', ['m6i.large', 'm5.large', 'c7i.large']);
    // Windows, dedicated, unused-reservation products and the reserved term of m6i.large are not the on-demand Linux hour.
    expect(byKey(r)).toEqual({ 'ec2OnDemandHour.m6i.large': 0.096, 'ec2OnDemandHour.m5.large': 0.096 });
    expect(r.problems).toEqual([]);
  });

  it('KMS: the key-month', async () => {
    expect(byKey(await reading('AWSKMS'))).toEqual({ kmsKeyMonth: 1 });
  });

  it('a product of another region in the file is left out', async () => {
    const offer = await scanOffer(
      'v',
      [text('AmazonVPC').replace(/"regionCode" : "us-east-1"/g, '"regionCode" : "us-east-2"')],
      'AmazonVPC',
      all,
    );
    const r = readFigures('AmazonVPC', 'us-east-1', 'u', offer, new Set());
    expect(r.figures).toEqual([]);
    expect(r.problems[0]).toMatch(/regionCode us-east-2, expected us-east-1; left out$/);
  });
});

describe('updatePrices over recorded offer files (--from)', () => {
  const run = (table: PriceTable, today = '2026-12-06', dir = FIXTURES) =>
    updatePrices({
      regions: ['us-east-1'],
      instanceTypes: ['m6i.large'],
      table,
      source: directorySource(dir),
      today,
      log: () => undefined,
    });

  it('writes every figure with its offer as source: versioned URL, publicationDate, date read', async () => {
    const { table } = await run(baseTable());
    const r = table.regions['us-east-1'];
    expect(r.mwaaEnvironmentHour['mw1.medium']).toEqual({ usd: 0.74, source: 'price-list/AmazonMWAA/us-east-1' });
    expect(r.mwaaMetadataGbMonth).toEqual({ usd: 0.1, source: 'price-list/AmazonMWAA/us-east-1' });
    expect(r.interfaceEndpointAzHour).toEqual({ usd: 0.01, source: 'price-list/AmazonVPC/us-east-1' });
    expect(r.eksClusterHour).toEqual({ usd: 0.1, source: 'price-list/AmazonEKS/us-east-1' });
    // The table keeps extended support as the cluster-hour total: 0.10 + the 0.50 surcharge.
    expect(r.eksExtendedClusterHour).toEqual({ usd: 0.6, source: 'price-list/AmazonEKS/us-east-1' });
    expect(r.ec2OnDemandHour).toEqual({
      'm5.large': { usd: 0.096, source: 'price-list/AmazonEC2/us-east-1' },
      'm6i.large': { usd: 0.096, source: 'price-list/AmazonEC2/us-east-1' },
    });
    expect(r.kmsKeyMonth).toEqual({ usd: 1, source: 'price-list/AWSKMS/us-east-1' });
    expect(table.sources['price-list/AmazonMWAA/us-east-1']).toEqual({
      url: VERSIONED('AmazonMWAA', '20260911124505'),
      what: expect.stringContaining('AWS Price List bulk offer AmazonMWAA for us-east-1, published 2026-09-11T12:45:05Z'),
      readOn: '2026-12-06',
      publicationDate: '2026-09-11T12:45:05Z',
    });
  });

  it('keeps a hand-entered figure only where it is marked and the offer has none; unmarked ones become "no price"', async () => {
    const { table, changes } = await run(baseTable());
    const r = table.regions['us-east-1'];
    // Marked, the offer has a figure: the offer's wins.
    expect(r.mwaaEnvironmentHour['mw1.small']).toEqual({ usd: 0.49, source: 'price-list/AmazonMWAA/us-east-1' });
    // Marked, the offer has none (its large scheduler is left out, it has no large webserver): kept.
    expect(r.mwaaWebserverHour['mw1.large']).toEqual({ usd: 0.11, source: 'a-blog', hand: true });
    // Not marked, the offer has none: no price, naming the offer that was read.
    expect(r.mwaaWebserverHour['mw1.xlarge']).toEqual({ usd: null, source: 'price-list/AmazonMWAA/us-east-1' });
    expect(r.mwaaSchedulerHour['mw1.large']).toEqual({ usd: null, source: 'price-list/AmazonMWAA/us-east-1' });
    expect(Object.keys(r.mwaaWorkerHour)).toEqual(['mw1.micro', 'mw1.small', 'mw1.medium', 'mw1.large', 'mw1.xlarge', 'mw1.2xlarge']);
    expect(changes).toContain('us-east-1 mwaaEnvironmentHour.mw1.small: 0.5 (a-blog, hand) → 0.49 (price-list/AmazonMWAA/us-east-1)');
    // The blog still sources a kept figure; a source nothing names any more would be dropped.
    expect(Object.keys(table.sources).sort()).toEqual([
      'a-blog',
      'eks-calendar',
      'mwaa-included',
      'price-list/AWSKMS/us-east-1',
      'price-list/AmazonEC2/us-east-1',
      'price-list/AmazonEKS/us-east-1',
      'price-list/AmazonMWAA/us-east-1',
      'price-list/AmazonVPC/us-east-1',
    ]);
  });

  it('a region the table does not have yet gets every figure key, read or "no price"', async () => {
    const table = baseTable();
    delete (table.regions as Record<string, unknown>)['us-east-1'];
    const { table: next } = await run(table);
    const r = next.regions['us-east-1'];
    for (const t of [r.mwaaEnvironmentHour, r.mwaaWorkerHour, r.mwaaSchedulerHour, r.mwaaWebserverHour])
      expect(Object.keys(t)).toEqual(['mw1.micro', 'mw1.small', 'mw1.medium', 'mw1.large', 'mw1.xlarge', 'mw1.2xlarge']);
    expect(r.mwaaEnvironmentHour['mw1.2xlarge']).toEqual({ usd: null, source: 'price-list/AmazonMWAA/us-east-1' });
    expect(Object.keys(r.ec2OnDemandHour)).toEqual(['m6i.large']);
  });

  it('a later run that finds the same publications changes nothing, not even the read date', async () => {
    const first = await run(baseTable(), '2026-12-06');
    const second = await run(first.table, '2027-01-06');
    expect(second.changes).toEqual([]);
    expect(formatTable(second.table)).toBe(formatTable(first.table));
  });

  it('drops a source no figure names any more', async () => {
    const table = baseTable();
    delete (table.regions['us-east-1'].mwaaWebserverHour as Record<string, unknown>)['mw1.large'];
    const { table: next } = await run(table);
    // Every figure the blog sourced was read from the Price List: the blog goes, the sources of mwaaIncluded and
    // of the EKS calendar stay.
    expect(next.sources['a-blog']).toBeUndefined();
    expect(Object.keys(next.sources)).toEqual(expect.arrayContaining(['eks-calendar', 'mwaa-included']));
  });

  it('refuses a region the offer is not published for, or a missing file, naming what to download', async () => {
    await expect(updatePrices({ ...runArgs(), regions: ['ap-east-9'] })).rejects.toThrow(
      /^AmazonMWAA is not offered in ap-east-9 \(.*region_index\.json lists 3 regions, not this one\)$/,
    );
    await expect(updatePrices({ ...runArgs(), regions: ['us-west-2'] })).rejects.toThrow(
      'AmazonMWAA/current/us-west-2/index.json (download https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonMWAA/current/us-west-2/index.json there)',
    );
  });
});

const runArgs = () => ({
  regions: ['us-east-1'],
  instanceTypes: [],
  table: baseTable(),
  source: directorySource(FIXTURES),
  today: '2026-12-06',
  log: () => undefined,
});

describe('httpSource', () => {
  it('downloads the region index, then the current version it names', async () => {
    const asked: string[] = [];
    const fake = (async (url: string) => {
      asked.push(url);
      const path = url.replace('https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/', '').replace(/\/\d{14}\//, '/current/');
      return new Response(readFileSync(join(FIXTURES, path)));
    }) as unknown as typeof fetch;
    const { url, chunks } = await httpSource(fake).open('AWSKMS', 'us-east-1');
    expect(asked).toEqual([
      'https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AWSKMS/current/region_index.json',
      VERSIONED('AWSKMS', '20260827210539'),
    ]);
    expect(url).toBe(VERSIONED('AWSKMS', '20260827210539'));
    expect((await scanOffer(url, chunks, 'AWSKMS', all)).products).toHaveLength(2);
  });

  it('without network says so and points at --from', async () => {
    const offline = (async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch;
    await expect(httpSource(offline).open('AmazonMWAA', 'us-east-1')).rejects.toThrow(
      'cannot download https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonMWAA/current/region_index.json (fetch failed); without internet, download the offer files and pass --from <dir>',
    );
    const denied = (async () => new Response('denied', { status: 403 })) as unknown as typeof fetch;
    await expect(httpSource(denied).open('AmazonMWAA', 'us-east-1')).rejects.toThrow('HTTP 403');
  });
});

describe('npm run prices (command line)', () => {
  const cli = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const log = (t: string) => out.push(t);
    const code = await runTool(PRICES_COMMAND, argv, pricesMain(log), { out: log, err: (t) => err.push(t) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  let dir: string;
  let tablePath: string;
  const env = process.env.PLATFORM_CONFIG;
  beforeAll(() => {
    process.env.PLATFORM_CONFIG = fixtureConfigWith();
  });
  afterAll(() => {
    if (env === undefined) delete process.env.PLATFORM_CONFIG;
    else process.env.PLATFORM_CONFIG = env;
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'prices-'));
    tablePath = join(dir, 'prices.json');
    writeFileSync(tablePath, formatTable(baseTable()));
  });

  it('--from writes the table and reports each offer, the left-out products and the changes', async () => {
    const r = await cli(['--region', 'us-east-1', '--from', FIXTURES, '--table', tablePath]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(
      `us-east-1 AmazonMWAA: 12 figure(s) from ${VERSIONED('AmazonMWAA', '20260911124505')} (published 2026-09-11T12:45:05Z)`,
    );
    expect(r.out).toMatch(/! AmazonMWAA us-east-1 product USE1-Airflow-LargeScheduler .*unit "vCPU-Hours"/);
    const written = JSON.parse(readFileSync(tablePath, 'utf8')) as PriceTable;
    // The configuration's node group type (m6i.large) is priced.
    expect(written.regions['us-east-1'].ec2OnDemandHour['m6i.large'].usd).toBe(0.096);
    expect(r.out).toMatch(/figure\(s\) changed for us-east-1$/);
  });

  it('an unreadable offer: exit 1, the file named, nothing written', async () => {
    const broken = join(dir, 'offers');
    cpSync(FIXTURES, broken, { recursive: true });
    writeFileSync(join(broken, 'AmazonEKS', 'current', 'us-east-1', 'index.json'), text('AmazonEKS').slice(0, 3000));
    const before = readFileSync(tablePath, 'utf8');
    const r = await cli(['--region', 'us-east-1', '--from', broken, '--table', tablePath]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `npm run prices failed: ${join(broken, 'AmazonEKS', 'current', 'us-east-1', 'index.json')} is not a readable Price List offer file: the JSON text ends early`,
    );
    expect(readFileSync(tablePath, 'utf8')).toBe(before);
  });

  it('--list-regions prints the regions of the configuration and of the table', async () => {
    const r = await cli(['--list-regions', '--table', tablePath]);
    // The test configuration's region and the table's us-east-1.
    const configRegion = (parse(readFileSync(join(process.env.PLATFORM_CONFIG!, 'platform.yaml'), 'utf8')) as { region: string }).region;
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.split(',')).toEqual([...new Set([configRegion, 'us-east-1'])].sort());
  });

  it('a malformed region is a usage error (exit 2)', async () => {
    const r = await cli(['--region', 'us-east-1,Europe', '--from', FIXTURES, '--table', tablePath]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('--region: Europe is not an AWS region code such as us-east-1');
  });
});
