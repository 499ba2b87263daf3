/**
 * Which Price List products price which figure of tools/plan-review/prices.json. Pure: an offer in, figures and
 * problems out. Products are recognized by their attributes and usage types, never by SKU (AWS renumbers SKUs when
 * it republishes an offer); a product that looks like one of ours but has an unexpected unit, size, type or region
 * is reported and left out, so a figure is either read exactly or missing.
 */
import type { OfferCode, OfferProduct, Offer, PriceDimension } from './offer';

export const MWAA_CLASSES = ['mw1.micro', 'mw1.small', 'mw1.medium', 'mw1.large', 'mw1.xlarge', 'mw1.2xlarge'] as const;

/** MWAA's `size` attribute (and usage type) → environment class. */
const MWAA_SIZE: Readonly<Record<string, string>> = {
  micro: 'mw1.micro',
  small: 'mw1.small',
  medium: 'mw1.medium',
  large: 'mw1.large',
  xlarge: 'mw1.xlarge',
  '2xlarge': 'mw1.2xlarge',
};

/** MWAA's `type` attribute → the table of prices.json it fills. */
const MWAA_TYPE: Readonly<Record<string, string>> = {
  environment: 'mwaaEnvironmentHour',
  worker: 'mwaaWorkerHour',
  scheduler: 'mwaaSchedulerHour',
  webserver: 'mwaaWebserverHour',
};

/**
 * The usage type as written and without a leading region prefix (`USE1-`, `EU-`, `USW2-`; us-east-1 EC2 has none).
 * Both are candidates: `KMS-Keys` has no prefix but looks like one.
 */
export const usageForms = (usagetype: string | undefined): string[] => {
  const u = usagetype ?? '';
  const m = /^[A-Z]{2,4}\d?-(.+)$/.exec(u);
  return m ? [u, m[1]] : [u];
};
const usageIs = (usagetype: string | undefined, bare: string): boolean => usageForms(usagetype).includes(bare);

const squash = (s: string | undefined): string => (s ?? '').toLowerCase().replace(/[\s_-]/g, '');

/** A figure read from an offer: `key` is its path in a region of prices.json, e.g. `mwaaWorkerHour.mw1.small`. */
export interface ReadFigure {
  readonly key: string;
  readonly usd: number;
  readonly unit: string;
  readonly usagetype: string;
}

export interface OfferReading {
  readonly offerCode: OfferCode;
  readonly region: string;
  readonly url: string;
  readonly publicationDate: string;
  readonly figures: readonly ReadFigure[];
  /** Products that looked like ours and were left out, each with why. */
  readonly problems: readonly string[];
}

interface Candidate {
  readonly key: string;
  readonly unit: string;
}

/** What a product prices, or a problem, or undefined when it is not one of ours. */
type Match = Candidate | { readonly problem: string } | undefined;

function matchMwaa(p: OfferProduct): Match {
  const usage = usageForms(p.attributes.usagetype).find((u) => u.startsWith('Airflow-'));
  if (!usage) return undefined;
  if (usage === 'Airflow-StandardDatabaseStorage') return { key: 'mwaaMetadataGbMonth', unit: 'GB-Mo' };
  const table = MWAA_TYPE[squash(p.attributes.type)];
  if (!table) return undefined; // serverless tasks and other MWAA products the review does not price
  const cls = MWAA_SIZE[squash(p.attributes.size)];
  if (!cls) return { problem: `unexpected size ${JSON.stringify(p.attributes.size)} (known: ${Object.keys(MWAA_SIZE).join(', ')})` };
  // The usage type repeats size and type (`Airflow-MediumScheduler`): a product whose two disagree is not trusted.
  if (squash(usage.slice('Airflow-'.length)) !== squash(`${p.attributes.size}${p.attributes.type}`))
    return { problem: `usage type ${usage} does not match size ${p.attributes.size} and type ${p.attributes.type}` };
  return { key: `${table}.${cls}`, unit: 'Hrs' };
}

function matchVpc(p: OfferProduct): Match {
  if (!usageIs(p.attributes.usagetype, 'VpcEndpoint-Hours')) return undefined;
  if (p.productFamily !== 'VpcEndpoint') return { problem: `product family ${JSON.stringify(p.productFamily)}, expected VpcEndpoint` };
  return { key: 'interfaceEndpointAzHour', unit: 'Hrs' };
}

function matchEks(p: OfferProduct): Match {
  if (usageIs(p.attributes.usagetype, 'AmazonEKS-Hours:perCluster')) return { key: 'eksClusterHour', unit: 'Hrs' };
  // The Price List prices extended support as a surcharge on the standard cluster-hour.
  if (usageIs(p.attributes.usagetype, 'AmazonEKS-Hours:extendedSupport')) return { key: 'eksExtendedSupportSurcharge', unit: 'Hrs' };
  return undefined;
}

/** Linux, shared tenancy, no pre-installed software, on demand: what an EKS managed node group runs. */
const EC2_LINUX: Readonly<Record<string, string>> = {
  operatingSystem: 'Linux',
  tenancy: 'Shared',
  preInstalledSw: 'NA',
  capacitystatus: 'Used',
};

function matchEc2(p: OfferProduct, instanceTypes: ReadonlySet<string>): Match {
  const type = p.attributes.instanceType;
  if (!type || !instanceTypes.has(type)) return undefined;
  if (!usageIs(p.attributes.usagetype, `BoxUsage:${type}`)) return undefined;
  if (Object.entries(EC2_LINUX).some(([k, v]) => p.attributes[k] !== undefined && p.attributes[k] !== v)) return undefined;
  if (p.attributes.operation !== undefined && p.attributes.operation !== 'RunInstances') return undefined;
  return { key: `ec2OnDemandHour.${type}`, unit: 'Hrs' };
}

function matchKms(p: OfferProduct): Match {
  return usageIs(p.attributes.usagetype, 'KMS-Keys') ? { key: 'kmsKeyMonth', unit: 'Keys' } : undefined;
}

/** The product matcher of each offer (EC2 needs the instance types the configuration uses). */
export function matcherFor(offerCode: OfferCode, instanceTypes: ReadonlySet<string>): (p: OfferProduct) => Match {
  switch (offerCode) {
    case 'AmazonMWAA':
      return matchMwaa;
    case 'AmazonVPC':
      return matchVpc;
    case 'AmazonEKS':
      return matchEks;
    case 'AmazonEC2':
      return (p) => matchEc2(p, instanceTypes);
    case 'AWSKMS':
      return matchKms;
  }
}

/** The one on-demand USD price of a product, or why there is none. */
function onDemandPrice(offer: Offer, sku: string): { usd: number; unit: string } | { problem: string } {
  const terms = Object.values(offer.onDemand[sku] ?? {});
  if (terms.length !== 1) return { problem: `${terms.length} on-demand terms, expected 1` };
  const dims: PriceDimension[] = Object.values(terms[0].priceDimensions ?? {});
  // A tiered price starts at 0: the first tier is what one resource pays.
  const first = dims.length === 1 ? dims : dims.filter((d) => d.beginRange === '0');
  if (first.length !== 1) return { problem: `${dims.length} price dimensions and no single first tier` };
  const text = first[0].pricePerUnit?.USD;
  const usd = Number(text);
  if (typeof text !== 'string' || !/^\d+(\.\d+)?$/.test(text) || !(usd > 0))
    return { problem: `price ${JSON.stringify(text)} USD is not a positive number` };
  return { usd, unit: first[0].unit };
}

/** Reads the figures of one region's offer. */
export function readFigures(
  offerCode: OfferCode,
  region: string,
  url: string,
  offer: Offer,
  instanceTypes: ReadonlySet<string>,
): OfferReading {
  const match = matcherFor(offerCode, instanceTypes);
  const problems: string[] = [];
  const byKey = new Map<string, ReadFigure[]>();
  for (const p of offer.products) {
    const m = match(p);
    if (!m) continue;
    const what = `${offerCode} ${region} product ${p.attributes.usagetype ?? '(no usagetype)'} (sku ${p.sku})`;
    if ('problem' in m) {
      problems.push(`${what}: ${m.problem}; left out`);
      continue;
    }
    if (p.attributes.regionCode !== undefined && p.attributes.regionCode !== region) {
      problems.push(`${what}: regionCode ${p.attributes.regionCode}, expected ${region}; left out`);
      continue;
    }
    const price = onDemandPrice(offer, p.sku);
    if ('problem' in price) {
      problems.push(`${what}: ${price.problem}; left out`);
      continue;
    }
    if (price.unit !== m.unit) {
      problems.push(`${what}: unit ${JSON.stringify(price.unit)}, expected ${m.unit}; left out`);
      continue;
    }
    byKey.set(m.key, [
      ...(byKey.get(m.key) ?? []),
      { key: m.key, usd: price.usd, unit: price.unit, usagetype: p.attributes.usagetype ?? '' },
    ]);
  }
  const figures: ReadFigure[] = [];
  for (const [key, found] of byKey) {
    const prices = [...new Set(found.map((f) => f.usd))];
    // Two products for one figure at different prices: which applies is unknown, so neither is used.
    if (prices.length > 1)
      problems.push(`${offerCode} ${region}: ${found.length} products price ${key} differently (${prices.join(', ')} USD); left out`);
    else figures.push(found[0]);
  }
  return { offerCode, region, url, publicationDate: offer.publicationDate, figures, problems };
}

/** Whether a product could matter to `readFigures` (what the scan keeps of a multi-gigabyte offer). */
export function keepProduct(offerCode: OfferCode, instanceTypes: ReadonlySet<string>): (p: OfferProduct) => boolean {
  const match = matcherFor(offerCode, instanceTypes);
  return (p) => match(p) !== undefined;
}
