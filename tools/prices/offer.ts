/**
 * Reading AWS Price List bulk offer files (`…/offers/v1.0/aws/<offerCode>/current/<region>/index.json`).
 *
 * A region's AmazonEC2 offer is several gigabytes, more than one JavaScript string holds, so the file is scanned as a
 * stream: only the header fields, the products the caller wants and their on-demand terms are ever parsed.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const PRICE_LIST_HOST = 'https://pricing.us-east-1.amazonaws.com';

/** The five offers the plan review prices from. */
export const OFFER_CODES = ['AmazonMWAA', 'AmazonVPC', 'AmazonEKS', 'AmazonEC2', 'AWSKMS'] as const;
export type OfferCode = (typeof OFFER_CODES)[number];

export const currentOfferPath = (offerCode: string, region: string): string => `/offers/v1.0/aws/${offerCode}/current/${region}/index.json`;
export const regionIndexPath = (offerCode: string): string => `/offers/v1.0/aws/${offerCode}/current/region_index.json`;

export interface OfferProduct {
  readonly sku: string;
  readonly productFamily?: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface PriceDimension {
  readonly description?: string;
  readonly unit: string;
  readonly pricePerUnit: Readonly<Record<string, string>>;
  readonly beginRange?: string;
  readonly endRange?: string;
}

export interface OnDemandTerm {
  readonly priceDimensions: Readonly<Record<string, PriceDimension>>;
}

/** What the scan keeps of one offer file. */
export interface Offer {
  readonly offerCode: string;
  readonly version: string;
  readonly publicationDate: string;
  readonly products: readonly OfferProduct[];
  /** On-demand terms of the kept products, by SKU then offer term code. */
  readonly onDemand: Readonly<Record<string, Readonly<Record<string, OnDemandTerm>>>>;
}

/** An offer file that cannot be used: the message says which file and why. */
export class OfferError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OfferError';
  }
}

interface Frame {
  readonly kind: '{' | '[';
  key?: string;
  expectKey: boolean;
}

/**
 * Streaming scanner over the JSON text of an offer file. It tracks only nesting and keys; a value is parsed with
 * JSON.parse when its path is one the caller asked for, so memory stays bounded by the kept products.
 */
class OfferScanner {
  private readonly stack: Frame[] = [];
  private inString = false;
  private escaped = false;
  private stringIsKey = false;
  private stringStartedAt = -1;
  private keyParts: string[] = [];
  private capture: { kind: 'string' | 'container'; depth: number; path: string[]; parts: string[]; start: number } | undefined;
  private started = false;

  constructor(
    private readonly want: (path: readonly string[]) => boolean,
    private readonly emit: (path: string[], value: unknown) => void,
  ) {}

  private path(): string[] {
    return this.stack.map((f) => f.key ?? '');
  }

  write(chunk: string): void {
    let i = 0;
    const n = chunk.length;
    while (i < n) {
      if (this.inString) {
        // Jump to the next quote or backslash: offer files are mostly string content.
        let j = i;
        for (; j < n; j++) {
          const c = chunk.charCodeAt(j);
          if (this.escaped) this.escaped = false;
          else if (c === 92) this.escaped = true;
          else if (c === 34) break;
        }
        if (this.stringIsKey) this.keyParts.push(chunk.slice(this.stringStartedAt < 0 ? i : this.stringStartedAt, j));
        this.stringStartedAt = -1;
        if (j >= n) break;
        this.inString = false;
        if (this.stringIsKey) {
          this.stack[this.stack.length - 1].key = JSON.parse(`"${this.keyParts.join('')}"`) as string;
          this.stack[this.stack.length - 1].expectKey = false;
        } else if (this.capture?.kind === 'string') {
          this.finish(chunk, j + 1);
        }
        i = j + 1;
        continue;
      }
      const c = chunk[i];
      if (c === '"') {
        const top = this.stack[this.stack.length - 1];
        this.inString = true;
        this.stringIsKey = top?.kind === '{' && top.expectKey;
        this.keyParts = [];
        this.stringStartedAt = i + 1;
        // A string value at a wanted path (the header's publicationDate) is captured whole.
        if (!this.stringIsKey && !this.capture && this.want(this.path()))
          this.capture = { kind: 'string', depth: this.stack.length, path: this.path(), parts: [], start: i };
      } else if (c === '{' || c === '[') {
        if (!this.started) this.started = true;
        else if (!this.capture && this.stack.length && this.want(this.path()))
          this.capture = { kind: 'container', depth: this.stack.length, path: this.path(), parts: [], start: i };
        this.stack.push({ kind: c, expectKey: c === '{' });
      } else if (c === '}' || c === ']') {
        this.stack.pop();
        if (this.capture?.kind === 'container' && this.capture.depth === this.stack.length) this.finish(chunk, i + 1);
      } else if (c === ',') {
        const top = this.stack[this.stack.length - 1];
        if (top?.kind === '{') top.expectKey = true;
      }
      i++;
    }
    // A string that opened on this chunk's last character continues from the next chunk's start.
    this.stringStartedAt = -1;
    if (this.capture) {
      this.capture.parts.push(chunk.slice(this.capture.start));
      this.capture.start = 0;
    }
  }

  private finish(chunk: string, end: number): void {
    const c = this.capture!;
    const text = c.parts.join('') + chunk.slice(c.start, end);
    this.capture = undefined;
    this.emit(c.path, JSON.parse(text));
  }

  end(): void {
    if (!this.started) throw new Error('it holds no JSON object');
    if (this.stack.length || this.inString) throw new Error('the JSON text ends early');
  }
}

/**
 * Scans an offer file's text (as chunks) and keeps the products `keep` accepts and their on-demand terms.
 * Refuses a file that is not an offer file, names another offer or has no publication date.
 */
export async function scanOffer(
  source: string,
  chunks: AsyncIterable<string> | Iterable<string>,
  expectedOfferCode: string,
  keep: (product: OfferProduct) => boolean,
): Promise<Offer> {
  const header: Record<string, unknown> = {};
  const products: OfferProduct[] = [];
  const kept = new Set<string>();
  const onDemand: Record<string, Record<string, OnDemandTerm>> = {};
  // Terms that come before their product (not the order AWS writes) are held until the products are known.
  const early: Record<string, Record<string, OnDemandTerm>> = {};
  let sawProducts = false;
  const scanner = new OfferScanner(
    (path) =>
      (path.length === 1 && ['formatVersion', 'offerCode', 'version', 'publicationDate'].includes(path[0])) ||
      (path.length === 2 && path[0] === 'products') ||
      // Only the terms of kept products are parsed (an EC2 offer has millions); all of them if terms came first.
      (path.length === 3 && path[0] === 'terms' && path[1] === 'OnDemand' && (kept.has(path[2]) || !sawProducts)),
    (path, value) => {
      if (path.length === 1) header[path[0]] = value;
      else if (path[0] === 'products') {
        sawProducts = true;
        const p = value as Partial<OfferProduct>;
        const product: OfferProduct = { sku: String(p.sku ?? path[1]), productFamily: p.productFamily, attributes: p.attributes ?? {} };
        if (keep(product)) {
          products.push(product);
          kept.add(product.sku);
        }
      } else if (kept.has(path[2])) onDemand[path[2]] = value as Record<string, OnDemandTerm>;
      else if (!sawProducts) early[path[2]] = value as Record<string, OnDemandTerm>;
    },
  );
  try {
    for await (const chunk of chunks) scanner.write(chunk);
    scanner.end();
  } catch (error) {
    throw new OfferError(`${source} is not a readable Price List offer file: ${(error as Error).message}`);
  }
  for (const [sku, terms] of Object.entries(early)) if (kept.has(sku)) onDemand[sku] = terms;
  const missing = ['formatVersion', 'offerCode', 'publicationDate'].filter((k) => typeof header[k] !== 'string');
  if (missing.length || !sawProducts)
    throw new OfferError(
      `${source} is not a Price List offer file: it has no ${[...missing, ...(sawProducts ? [] : ['products'])].join(', ')}`,
    );
  if (header.offerCode !== expectedOfferCode)
    throw new OfferError(`${source} is the ${String(header.offerCode)} offer, expected ${expectedOfferCode}`);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(String(header.publicationDate)))
    throw new OfferError(`${source}: publicationDate ${JSON.stringify(header.publicationDate)} is not a timestamp`);
  return {
    offerCode: expectedOfferCode,
    version: String(header.version ?? ''),
    publicationDate: String(header.publicationDate),
    products,
    onDemand,
  };
}

/** Where the offer files come from: the Price List host, or a directory laid out like its URL paths. */
export interface OfferSource {
  /** The offer file's public URL (recorded as the figures' source), where it was read from, and its text as chunks. */
  open(offerCode: string, region: string): Promise<{ url: string; origin: string; chunks: AsyncIterable<string> | Iterable<string> }>;
}

/** Regions an offer is published for, from `region_index.json` (undefined when the source has no index). */
async function regionIndex(text: string, source: string): Promise<Record<string, { currentVersionUrl?: string }>> {
  let parsed: { regions?: Record<string, { currentVersionUrl?: string }> };
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch (error) {
    throw new OfferError(`${source} is not a readable region index: ${(error as Error).message}`);
  }
  if (!parsed.regions || typeof parsed.regions !== 'object') throw new OfferError(`${source} is not a region index: it has no regions`);
  return parsed.regions;
}

const notOffered = (offerCode: string, region: string, source: string, regions: Record<string, unknown>): OfferError =>
  new OfferError(`${offerCode} is not offered in ${region} (${source} lists ${Object.keys(regions).length} regions, not this one)`);

/**
 * Offer files under `dir`, laid out like the Price List's URL paths (`<dir>/<offerCode>/current/<region>/index.json`,
 * `<dir>/<offerCode>/current/region_index.json`), as `curl --create-dirs` writes them. The region index is optional.
 */
export function directorySource(dir: string): OfferSource {
  return {
    async open(offerCode, region) {
      const rel = currentOfferPath(offerCode, region).replace('/offers/v1.0/aws/', '');
      const file = join(dir, rel);
      const indexFile = join(dir, regionIndexPath(offerCode).replace('/offers/v1.0/aws/', ''));
      let url = PRICE_LIST_HOST + currentOfferPath(offerCode, region);
      if (existsSync(indexFile)) {
        const regions = await regionIndex(readFileSync(indexFile, 'utf8'), indexFile);
        if (!regions[region]) throw notOffered(offerCode, region, indexFile, regions);
        if (regions[region].currentVersionUrl) url = PRICE_LIST_HOST + regions[region].currentVersionUrl;
      }
      if (!existsSync(file))
        throw new OfferError(`no offer file ${file} (download ${PRICE_LIST_HOST + currentOfferPath(offerCode, region)} there)`);
      return { url, origin: file, chunks: createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }) };
    },
  };
}

/** The public Price List bulk API (no credentials). */
export function httpSource(fetchImpl: typeof fetch = fetch): OfferSource {
  const get = async (url: string): Promise<Response> => {
    let res: Response;
    try {
      res = await fetchImpl(url);
    } catch (error) {
      throw new OfferError(
        `cannot download ${url} (${(error as Error).message}); without internet, download the offer files and pass --from <dir>`,
      );
    }
    if (!res.ok) throw new OfferError(`cannot download ${url}: HTTP ${res.status}`);
    return res;
  };
  return {
    async open(offerCode, region) {
      const indexUrl = PRICE_LIST_HOST + regionIndexPath(offerCode);
      const regions = await regionIndex(await (await get(indexUrl)).text(), indexUrl);
      if (!regions[region]) throw notOffered(offerCode, region, indexUrl, regions);
      const url = PRICE_LIST_HOST + (regions[region].currentVersionUrl ?? currentOfferPath(offerCode, region));
      const res = await get(url);
      if (!res.body) throw new OfferError(`${url}: empty response`);
      const body = res.body;
      return {
        url,
        origin: url,
        chunks: (async function* () {
          const decoder = new TextDecoder();
          for await (const part of body as unknown as AsyncIterable<Uint8Array>) yield decoder.decode(part, { stream: true });
          yield decoder.decode();
        })(),
      };
    },
  };
}
