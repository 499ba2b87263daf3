/**
 * `npm run prices -- --region <r>[,<r>…] [--from <dir>]`: reads the AWS Price List bulk offers the plan review prices
 * from and writes their figures into tools/plan-review/prices.json. Exit codes follow tools/lib/cli.ts.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadPlatformConfig } from '../../model/load';
import { EXIT, runToolAsMain, UsageError, type CommandLine } from '../lib/cli';
import type { PriceTable } from '../plan-review/cost';
import { keepProduct, readFigures, type OfferReading } from './map';
import { directorySource, httpSource, OFFER_CODES, scanOffer, type OfferSource } from './offer';
import { applyReadings, formatTable } from './update';
import { configDirOf } from '../../model/synth-settings';

const ROOT = resolve(__dirname, '..', '..');
export const PRICE_TABLE = 'tools/plan-review/prices.json';

export const PRICES_COMMAND = {
  command: 'npm run prices --',
  summary:
    `Read the AWS Price List bulk offers ${OFFER_CODES.join(', ')} for the given regions and write their figures into ${PRICE_TABLE}, ` +
    'each with the offer URL, its publication date and the date read. Downloads from the public Price List (no credentials) ' +
    'unless --from names a directory of offer files laid out like the URL paths (<dir>/<offerCode>/current/<region>/index.json, ' +
    'optionally <dir>/<offerCode>/current/region_index.json). Nothing is written when any offer cannot be read.',
  options: {
    region: {
      type: 'string',
      valueName: 'region[,region…]',
      description: 'regions to read (default: the regions of the platform configuration, PLATFORM_CONFIG or config/, and of the table)',
    },
    'list-regions': {
      type: 'boolean',
      description: 'print the default regions, comma-separated, and exit (for CI jobs that download offers)',
    },
    from: { type: 'string', valueName: 'dir', description: 'read the offer files from this directory instead of downloading them' },
    'instance-types': {
      type: 'string',
      valueName: 'type[,type…]',
      description: 'EC2 instance types to price besides those of the configuration and of the table',
    },
    table: { type: 'string', valueName: 'file', description: 'the price table to update', default: PRICE_TABLE },
  },
  exitCodes: {
    [EXIT.ok]: 'the table was written (or already held these figures)',
    [EXIT.failed]: 'an offer could not be downloaded or read; nothing was written',
  },
} as const;

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;

const list = (v: string | undefined): string[] =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export interface PricesRun {
  readonly regions: readonly string[];
  readonly instanceTypes: readonly string[];
  readonly table: PriceTable;
  readonly source: OfferSource;
  /** YYYY-MM-DD */
  readonly today: string;
  readonly log: (line: string) => void;
}

/** Reads every offer of every region, then applies them all: one unreadable offer leaves the table as it was. */
export async function updatePrices(run: PricesRun): Promise<{ table: PriceTable; changes: string[] }> {
  const types = new Set(run.instanceTypes);
  const readings = new Map<string, OfferReading[]>();
  for (const region of run.regions) {
    const regionTypes = new Set([...types, ...Object.keys(run.table.regions[region]?.ec2OnDemandHour ?? {})]);
    for (const offerCode of OFFER_CODES) {
      const { url, origin, chunks } = await run.source.open(offerCode, region);
      const offer = await scanOffer(origin, chunks, offerCode, keepProduct(offerCode, regionTypes));
      const reading = readFigures(offerCode, region, url, offer, regionTypes);
      run.log(`${region} ${offerCode}: ${reading.figures.length} figure(s) from ${url} (published ${reading.publicationDate})`);
      for (const p of reading.problems) run.log(`  ! ${p}`);
      readings.set(region, [...(readings.get(region) ?? []), reading]);
    }
  }
  let table = run.table;
  const changes: string[] = [];
  for (const region of run.regions) {
    const regionTypes = [...types].filter(Boolean);
    const update = applyReadings(table, region, readings.get(region) ?? [], run.today, regionTypes);
    table = update.table;
    changes.push(...update.changes);
  }
  return { table, changes };
}

/** Regions (primary and recovery) and EC2 instance types of the platform configuration. */
function fromConfiguration(): { regions: string[]; instanceTypes: string[] } {
  const config = loadPlatformConfig(configDirOf(process.env, ROOT));
  return {
    // The recovery region of disaster recovery (platform.yaml `recovery.region`), when the platform has one.
    regions: [config.platform.region, (config.platform as { recovery?: { region?: string } }).recovery?.region].filter(
      (r): r is string => !!r,
    ),
    instanceTypes: config.teams.flatMap((t) => (t.eks ? [...t.eks.nodeGroup.instanceTypes] : [])),
  };
}

/** The tool's main; `log` receives its report (stdout). */
export const pricesMain =
  (log: (line: string) => void = (line) => console.log(line)) =>
  async ({ values }: CommandLine<typeof PRICES_COMMAND.options>): Promise<number> => {
    const asked = list(values.region);
    const bad = asked.filter((r) => !REGION.test(r));
    if (bad.length) throw new UsageError(`--region: ${bad.join(', ')} is not an AWS region code such as us-east-1`);
    const config = fromConfiguration();
    const tablePath = resolve(process.cwd(), values.table);
    const table = JSON.parse(readFileSync(tablePath, 'utf8')) as PriceTable;
    const regions = asked.length ? asked : [...new Set([...config.regions, ...Object.keys(table.regions)])].sort();
    if (values['list-regions']) {
      log(regions.join(','));
      return EXIT.ok;
    }
    const result = await updatePrices({
      regions,
      instanceTypes: [...config.instanceTypes, ...list(values['instance-types'])],
      table,
      source: values.from ? directorySource(resolve(process.cwd(), values.from)) : httpSource(),
      today: new Date().toISOString().slice(0, 10),
      log,
    });
    for (const c of result.changes) log(`  ${c}`);
    writeFileSync(tablePath, formatTable(result.table));
    log(`${values.table}: ${result.changes.length} figure(s) changed for ${regions.join(', ')}`);
    return EXIT.ok;
  };

if (require.main === module) runToolAsMain(PRICES_COMMAND, pricesMain());
