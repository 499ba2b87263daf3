/**
 * Monthly cost estimate of one stack's resources from the price table in prices.json. Pure: resource blocks
 * (from a synthesized configuration or a plan's before/after values) + prices + date in, cost lines out.
 * A figure the table lacks is `null` ("no price"), never 0; totals then say they are partial.
 */
import type { Obj } from './changes';

export interface Price {
  readonly usd: number | null;
  readonly source: string;
  /** Entered by hand from a cited source: `npm run prices` keeps it where the Price List has no figure. */
  readonly hand?: boolean;
}

export interface PriceSource {
  readonly url: string;
  readonly what: string;
  /** The day the figures were read (YYYY-MM-DD). */
  readonly readOn: string;
  /** A Price List offer's own publication time. */
  readonly publicationDate?: string;
}

export interface RegionPrices {
  readonly mwaaEnvironmentHour: Readonly<Record<string, Price>>;
  readonly mwaaWorkerHour: Readonly<Record<string, Price>>;
  readonly mwaaSchedulerHour: Readonly<Record<string, Price>>;
  readonly mwaaWebserverHour: Readonly<Record<string, Price>>;
  readonly mwaaMetadataGbMonth: Price;
  readonly interfaceEndpointAzHour: Price;
  readonly eksClusterHour: Price;
  readonly eksExtendedClusterHour: Price;
  readonly ec2OnDemandHour: Readonly<Record<string, Price>>;
  readonly kmsKeyMonth: Price;
}

export interface PriceTable {
  readonly hoursPerMonth: number;
  readonly sources: Readonly<Record<string, PriceSource>>;
  readonly mwaaIncluded: { readonly workers: number; readonly schedulers: number; readonly webservers: number; readonly source?: string };
  readonly eksStandardSupportEnd: Readonly<Record<string, string>> & { readonly source?: string };
  readonly regions: Readonly<Record<string, RegionPrices>>;
}

/** A resource as the estimate sees it. */
export interface CostBlock {
  readonly address: string;
  readonly type: string;
  readonly props: Obj;
}

export interface CostLine {
  /** What is priced, e.g. `analytics-prod: mw1.medium environment`. */
  readonly item: string;
  /** The arithmetic, e.g. `730 h × $0.49`. */
  readonly detail: string;
  /** USD per month at the configured minimum / maximum; null = no price. */
  readonly min: number | null;
  readonly max: number | null;
  /** Environment the line belongs to (for the per-environment subtotal). */
  readonly environment?: string;
  /** Account that pays when it is not the stack's (MWAA's endpoints live in the owner account). */
  readonly paidBy?: string;
  readonly source?: string;
  /** false: no figure of the price table could price it (spot, an EKS version without a support window). */
  readonly fillable?: false;
}

export interface StackCost {
  readonly region?: string;
  readonly lines: readonly CostLine[];
  readonly min: number;
  readonly max: number;
  /** Lines without a price: the totals leave them out. */
  readonly unpriced: number;
}

export const NOT_ESTIMATED = [
  'data transfer and interface endpoint data processing (per GB)',
  'CloudWatch log ingestion and storage',
  'MWAA metadata database storage (per GB-month, depends on usage)',
  'S3 storage and requests',
  'KMS requests and rotated key versions',
  'Lambda, EventBridge and SQS requests',
  'EBS volumes of EKS nodes',
  'CodeArtifact storage and requests of the PyPI mirror (per GB-month, per request)',
];

const num = (v: unknown, d: number): number => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) ? n : d;
};
const first = (v: unknown): Obj | undefined => ((Array.isArray(v) ? v[0] : v) as Obj | undefined) ?? undefined;
const round = (n: number): number => Math.round(n * 100) / 100;

/**
 * Whether an EKS version is in extended support on `today` (undefined = not in the table). EKS bills extended
 * support from the start of the end-of-standard-support day (UTC), as model/eks-versions.ts judges it.
 */
export function eksExtended(version: string, table: PriceTable, today: string): boolean | undefined {
  const end = table.eksStandardSupportEnd[version];
  if (!end || !/^\d{4}-\d{2}-\d{2}$/.test(end)) return undefined;
  return today >= end;
}

export function estimateStack(blocks: readonly CostBlock[], table: PriceTable, region: string | undefined, today: string): StackCost {
  const prices = region ? table.regions[region] : undefined;
  const h = table.hoursPerMonth;
  const lines: CostLine[] = [];
  const hourly = (
    item: string,
    p: Price | undefined,
    qtyMin: number,
    qtyMax: number,
    unit: string,
    extra: Partial<CostLine> = {},
  ): void => {
    if (qtyMax <= 0) return;
    const usd = p?.usd ?? null;
    const qty = qtyMin === qtyMax ? `${qtyMin}` : `${qtyMin}–${qtyMax}`;
    lines.push({
      item,
      detail: usd === null ? `${qty} ${unit} × ${h} h × no price` : `${qty} ${unit} × ${h} h × $${usd}`,
      min: usd === null ? null : round(qtyMin * h * usd),
      max: usd === null ? null : round(qtyMax * h * usd),
      ...(p?.source ? { source: p.source } : {}),
      ...extra,
    });
  };
  const inc = table.mwaaIncluded;
  for (const b of blocks) {
    const p = b.props;
    if (b.type === 'aws_mwaa_environment') {
      const env = String(p.name ?? b.address);
      const cls = String(p.environment_class ?? 'mw1.small');
      const e = { environment: env };
      hourly(`${env}: ${cls} environment`, prices?.mwaaEnvironmentHour[cls], 1, 1, 'environment', e);
      const wMin = Math.max(0, num(p.min_workers, 1) - inc.workers);
      const wMax = Math.max(0, num(p.max_workers, 10) - inc.workers);
      hourly(`${env}: additional workers`, prices?.mwaaWorkerHour[cls], wMin, wMax, 'worker', e);
      const s = Math.max(0, num(p.schedulers, 2) - inc.schedulers);
      hourly(`${env}: additional schedulers`, prices?.mwaaSchedulerHour[cls], s, s, 'scheduler', e);
      const webMin = Math.max(0, num(p.min_webservers, 2) - inc.webservers);
      const webMax = Math.max(0, num(p.max_webservers, 2) - inc.webservers);
      hourly(`${env}: additional webservers`, prices?.mwaaWebserverHour[cls], webMin, webMax, 'webserver', e);
      // CUSTOMER endpoint management: the owner account creates the database (and private webserver) endpoints.
      const azs = Array.isArray(first(p.network_configuration)?.subnet_ids)
        ? (first(p.network_configuration)!.subnet_ids as unknown[]).length
        : 2;
      const endpoints = p.webserver_access_mode === 'PRIVATE_ONLY' ? 2 : 1;
      hourly(
        `${env}: ${endpoints === 2 ? 'database + webserver endpoints' : 'database endpoint'} (${azs} AZ)`,
        prices?.interfaceEndpointAzHour,
        endpoints * azs,
        endpoints * azs,
        'endpoint-AZ',
        {
          ...e,
          ...(p.endpoint_management === 'CUSTOMER' ? { paidBy: 'owner account' } : {}),
        },
      );
    } else if (b.type === 'aws_vpc_endpoint' && p.vpc_endpoint_type === 'Interface') {
      const azs = Array.isArray(p.subnet_ids) ? p.subnet_ids.length : 1;
      const svc = String(p.service_name ?? b.address).replace(/^com\.amazonaws\.[a-z0-9-]+\./, '');
      hourly(`interface endpoint ${svc} (${azs} AZ)`, prices?.interfaceEndpointAzHour, azs, azs, 'endpoint-AZ');
    } else if (b.type === 'aws_eks_cluster') {
      const version = String(p.version ?? '');
      const ext = eksExtended(version, table, today);
      hourly(
        `EKS cluster ${String(p.name ?? b.address)} control plane (${version || 'default version'})`,
        prices?.eksClusterHour,
        1,
        1,
        'cluster',
      );
      if (ext !== false) {
        const item = `EKS extended support for ${version} (past standard support)`;
        if (ext === undefined)
          lines.push({
            item: `EKS ${version}: support window not in the price table`,
            detail: 'no price',
            min: null,
            max: null,
            fillable: false,
          });
        else {
          const std = prices?.eksClusterHour.usd;
          const tot = prices?.eksExtendedClusterHour.usd;
          const extra = std == null || tot == null ? null : round(tot - std);
          hourly(item, { usd: extra, source: prices?.eksExtendedClusterHour.source ?? 'eks-extended' }, 1, 1, 'cluster');
        }
      }
    } else if (b.type === 'aws_eks_node_group') {
      const sc = first(p.scaling_config) ?? {};
      const type = Array.isArray(p.instance_types) ? String(p.instance_types[0]) : 'default';
      if (p.capacity_type === 'SPOT')
        lines.push({
          item: `node group ${String(p.node_group_name ?? b.address)}: spot ${type}`,
          detail: 'spot prices vary; not estimated',
          min: null,
          max: null,
          fillable: false,
        });
      else
        hourly(
          `node group ${String(p.node_group_name ?? b.address)}: ${type} on demand`,
          prices?.ec2OnDemandHour[type],
          num(sc.min_size, 1),
          num(sc.max_size, 1),
          'instance',
        );
    } else if (b.type === 'aws_kms_key') {
      const usd = prices?.kmsKeyMonth.usd ?? null;
      lines.push({
        item: `KMS key ${b.address.split('.')[1]?.replace(/_[0-9A-F]{8}$/, '') ?? ''}`.trim(),
        detail: usd === null ? '1 key × no price' : `1 key × $${usd}`,
        min: usd,
        max: usd,
        ...(prices?.kmsKeyMonth.source ? { source: prices.kmsKeyMonth.source } : {}),
      });
    }
  }
  const priced = lines.filter((l) => l.min !== null && l.max !== null);
  return {
    ...(region ? { region } : {}),
    lines,
    min: round(priced.reduce((n, l) => n + (l.min ?? 0), 0)),
    max: round(priced.reduce((n, l) => n + (l.max ?? 0), 0)),
    unpriced: lines.length - priced.length,
  };
}

/**
 * The stack's cost with its environments' lines renamed where `label` gives a name (a recovery stack's
 * `analytics-prod` → `analytics-prod (warm standby, us-west-2)`): the line and its subtotal say which copy costs what.
 */
export function labelEnvironments(cost: StackCost, label: (environment: string) => string | undefined): StackCost {
  return {
    ...cost,
    lines: cost.lines.map((l) => {
      const to = l.environment === undefined ? undefined : label(l.environment);
      if (to === undefined || l.environment === undefined) return l;
      const item = l.item.startsWith(`${l.environment}:`) ? `${to}${l.item.slice(l.environment.length)}` : l.item;
      return { ...l, item, environment: to };
    }),
  };
}

export const usd = (n: number): string => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
export const range = (min: number, max: number): string => (min === max ? usd(min) : `${usd(min)}–${usd(max)}`);
export const signed = (n: number): string => (n > 0 ? `+${usd(n)}` : n < 0 ? `−${usd(-n)}` : usd(0));

/** The command that fills a region's missing figures from the AWS Price List (tools/prices). */
export const pricesCommand = (regions: readonly string[]): string =>
  `npm run prices -- --region ${regions.length ? regions.join(',') : '<region>'}`;

const items = (n: number): string => `${n} item${n === 1 ? '' : 's'}`;

/**
 * A total that never passes an unknown off as zero: the priced sum when everything is priced, "≥ $X (N items
 * unpriced)" when some lines have no price, "unknown (N items unpriced)" when none has.
 */
export function totalText(min: number, max: number, priced: number, unpriced: number, per = ''): string {
  if (!unpriced) return `${range(min, max)}${per}`;
  if (!priced) return `unknown (${items(unpriced)} unpriced)`;
  return `≥ ${range(min, max)}${per} (${items(unpriced)} unpriced)`;
}

export const stackTotalText = (c: StackCost): string => totalText(c.min, c.max, c.lines.length - c.unpriced, c.unpriced);

const unpricedLines = (c: StackCost): Map<string, string[]> => {
  const out = new Map<string, string[]>();
  for (const l of c.lines) if (l.min === null || l.max === null) out.set(l.item, [...(out.get(l.item) ?? []), l.detail].sort());
  return out;
};

/**
 * The monthly change (after − before, at the configured minimum). Exact only when the unpriced lines are the same
 * on both sides; otherwise "unknown", with the priced part and how many unpriced items changed.
 */
export function deltaText(pairs: ReadonlyArray<{ readonly before: StackCost; readonly after: StackCost }>): string {
  let delta = 0;
  let changed = 0;
  let unchanged = 0;
  for (const { before, after } of pairs) {
    delta += after.min - before.min;
    const b = unpricedLines(before);
    const a = unpricedLines(after);
    for (const item of new Set([...a.keys(), ...b.keys()])) {
      if (JSON.stringify(a.get(item)) === JSON.stringify(b.get(item))) unchanged++;
      else changed++;
    }
  }
  const d = signed(round(delta));
  if (changed) return `unknown (priced items ${d}; ${items(changed)} without a price added, removed or changed)`;
  return unchanged ? `${d} (${items(unchanged)} without a price, unchanged)` : d;
}

/** Regions whose unpriced lines `npm run prices` could fill (spot prices and unknown EKS windows it cannot). */
export function unpricedRegions(costs: readonly StackCost[]): string[] {
  return [
    ...new Set(
      costs
        .filter((c) => c.lines.some((l) => (l.min === null || l.max === null) && l.fillable !== false))
        .map((c) => c.region ?? '<region>'),
    ),
  ].sort();
}
