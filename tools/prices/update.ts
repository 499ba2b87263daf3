/**
 * Writing what was read from the Price List into the price table (tools/plan-review/prices.json). Pure: table and
 * readings in, new table and a list of changes out.
 *
 * Every figure of a region that was read is replaced: by the offer's figure, or by `null` (no price) when the offer
 * has none; only a figure marked `"hand": true` (entered by hand from a cited source) survives where the offer has
 * none. A source's `readOn` moves only when its publication changed, so a monthly run that finds the same prices
 * changes nothing in the file.
 */
import type { Price, PriceSource, PriceTable, RegionPrices } from '../plan-review/cost';
import { MWAA_CLASSES, type OfferReading } from './map';

const MWAA_TABLES = ['mwaaEnvironmentHour', 'mwaaWorkerHour', 'mwaaSchedulerHour', 'mwaaWebserverHour'] as const;
const SINGLE = ['mwaaMetadataGbMonth', 'interfaceEndpointAzHour', 'eksClusterHour', 'eksExtendedClusterHour', 'kmsKeyMonth'] as const;

export const priceListSourceId = (offerCode: string, region: string): string => `price-list/${offerCode}/${region}`;

/** Which offer fills which figure (a figure whose offer was not read is left as it is). */
const OFFER_OF: Readonly<Record<string, string>> = {
  mwaaEnvironmentHour: 'AmazonMWAA',
  mwaaWorkerHour: 'AmazonMWAA',
  mwaaSchedulerHour: 'AmazonMWAA',
  mwaaWebserverHour: 'AmazonMWAA',
  mwaaMetadataGbMonth: 'AmazonMWAA',
  interfaceEndpointAzHour: 'AmazonVPC',
  eksClusterHour: 'AmazonEKS',
  eksExtendedClusterHour: 'AmazonEKS',
  ec2OnDemandHour: 'AmazonEC2',
  kmsKeyMonth: 'AWSKMS',
};

const NO_PRICE = (source: string): Price => ({ usd: null, source });

/** Every figure key of a region: the six classes of each MWAA table, the singles, the EC2 types given. */
export function figureKeys(ec2Types: Iterable<string>): string[] {
  return [
    ...MWAA_TABLES.flatMap((t) => MWAA_CLASSES.map((c) => `${t}.${c}`)),
    ...SINGLE,
    ...[...new Set(ec2Types)].sort().map((t) => `ec2OnDemandHour.${t}`),
  ];
}

const split = (key: string): [string, string | undefined] => {
  const dot = key.indexOf('.');
  return dot < 0 ? [key, undefined] : [key.slice(0, dot), key.slice(dot + 1)];
};

function getFigure(region: RegionPrices | undefined, key: string): Price | undefined {
  const [table, item] = split(key);
  const v = (region as unknown as Record<string, Price | Record<string, Price>> | undefined)?.[table];
  if (!v) return undefined;
  return item === undefined ? (v as Price) : (v as Record<string, Price>)[item];
}

const show = (p: Price | undefined): string =>
  p === undefined ? 'absent' : `${p.usd === null ? 'no price' : p.usd} (${p.source}${p.hand ? ', hand' : ''})`;

export interface TableUpdate {
  readonly table: PriceTable;
  /** One line per figure whose value or source changed. */
  readonly changes: readonly string[];
}

/** Applies one region's readings. `today` is the read date (YYYY-MM-DD). */
export function applyReadings(
  table: PriceTable,
  region: string,
  readings: readonly OfferReading[],
  today: string,
  ec2Types: Iterable<string>,
): TableUpdate {
  const sources: Record<string, PriceSource> = { ...table.sources };
  const figures = new Map<string, { usd: number; source: string }>();
  const read = new Set<string>();
  for (const r of readings) {
    const id = priceListSourceId(r.offerCode, region);
    read.add(r.offerCode);
    const before = sources[id];
    const usage = [...new Set(r.figures.map((f) => f.usagetype))].sort();
    sources[id] = {
      url: r.url,
      what: `AWS Price List bulk offer ${r.offerCode} for ${region}, published ${r.publicationDate}: on-demand USD of the products matched by attributes and usage type (tools/prices/map.ts)${usage.length ? `: ${usage.join(', ')}` : '; none matched'}`,
      // The same publication read again keeps its first read date: an unchanged month is no change to review.
      readOn: before?.publicationDate === r.publicationDate && before.url === r.url ? before.readOn : today,
      publicationDate: r.publicationDate,
    };
    for (const f of r.figures) figures.set(f.key, { usd: f.usd, source: id });
  }
  // The Price List prices extended support as a surcharge; the table keeps the cluster-hour total.
  const std = figures.get('eksClusterHour');
  const surcharge = figures.get('eksExtendedSupportSurcharge');
  figures.delete('eksExtendedSupportSurcharge');
  if (std && surcharge)
    figures.set('eksExtendedClusterHour', { usd: Math.round((std.usd + surcharge.usd) * 1e10) / 1e10, source: surcharge.source });

  const old = table.regions[region];
  const existingEc2 = Object.keys(old?.ec2OnDemandHour ?? {});
  const next: Record<string, Price | Record<string, Price>> = {};
  const changes: string[] = [];
  for (const key of figureKeys([...existingEc2, ...ec2Types])) {
    const [tableKey, item] = split(key);
    const current = getFigure(old, key);
    const offerCode = OFFER_OF[tableKey];
    let value: Price;
    const found = figures.get(key);
    if (found) value = { usd: found.usd, source: found.source };
    else if (!read.has(offerCode)) value = current ?? NO_PRICE('not-found');
    else if (current?.hand) value = current;
    else value = NO_PRICE(priceListSourceId(offerCode, region));
    if (JSON.stringify(value) !== JSON.stringify(current)) changes.push(`${region} ${key}: ${show(current)} → ${show(value)}`);
    if (item === undefined) next[tableKey] = value;
    else next[tableKey] = { ...((next[tableKey] as Record<string, Price> | undefined) ?? {}), [item]: value };
  }
  const regions = { ...table.regions, [region]: next as unknown as RegionPrices };
  return { table: pruneSources({ ...table, sources, regions }), changes };
}

/** Drops sources no figure names any more (a hand figure replaced by the Price List's takes its source with it). */
function pruneSources(table: PriceTable): PriceTable {
  const used = new Set<string>([table.mwaaIncluded.source, table.eksStandardSupportEnd.source].filter((s): s is string => !!s));
  for (const region of Object.values(table.regions))
    for (const v of Object.values(region as unknown as Record<string, Price | Record<string, Price>>)) {
      if ('usd' in v) used.add((v as Price).source);
      else for (const p of Object.values(v as Record<string, Price>)) used.add(p.source);
    }
  return { ...table, sources: Object.fromEntries(Object.entries(table.sources).filter(([id]) => used.has(id))) };
}

/** prices.json as committed: two-space JSON with each figure (and other flat objects) on one line. */
export function formatTable(table: PriceTable): string {
  const flat = (v: unknown): boolean =>
    typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => x === null || typeof x !== 'object');
  const write = (v: unknown, indent: string): string => {
    if (typeof v !== 'object' || v === null) return JSON.stringify(v);
    if (flat(v) && Object.keys(v).length <= 3 && 'usd' in v)
      return `{ ${Object.entries(v)
        .map(([k, x]) => `${JSON.stringify(k)}: ${JSON.stringify(x)}`)
        .join(', ')} }`;
    const inner = indent + '  ';
    const entries = Object.entries(v).map(([k, x]) => `${inner}${JSON.stringify(k)}: ${write(x, inner)}`);
    return entries.length ? `{\n${entries.join(',\n')}\n${indent}}` : '{}';
  };
  return write(table, '') + '\n';
}
