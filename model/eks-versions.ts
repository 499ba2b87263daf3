/**
 * Kubernetes versions on Amazon EKS and their support windows (EKS user guide, "Amazon EKS Kubernetes release
 * calendar"; 1.35 from the EKS release of 2026-01). A minor version gets 14 months of standard support, then 12
 * months of extended support at extra cost, then EKS upgrades the control plane itself. Maintained by hand: add a
 * version when EKS releases it. Dates are UTC; billing for extended support starts on the end-of-standard date.
 */

export interface EksVersionSupport {
  readonly endOfStandardSupport: string;
  readonly endOfExtendedSupport: string;
}

export const EKS_VERSIONS: Readonly<Record<string, EksVersionSupport>> = {
  '1.29': { endOfStandardSupport: '2025-03-23', endOfExtendedSupport: '2026-03-23' },
  '1.30': { endOfStandardSupport: '2025-07-23', endOfExtendedSupport: '2026-07-23' },
  '1.31': { endOfStandardSupport: '2025-11-26', endOfExtendedSupport: '2026-11-26' },
  '1.32': { endOfStandardSupport: '2026-03-23', endOfExtendedSupport: '2027-03-23' },
  '1.33': { endOfStandardSupport: '2026-07-29', endOfExtendedSupport: '2027-07-29' },
  '1.34': { endOfStandardSupport: '2026-12-02', endOfExtendedSupport: '2027-12-02' },
  '1.35': { endOfStandardSupport: '2027-03-27', endOfExtendedSupport: '2028-03-27' },
};

/** EKS pricing per cluster hour (us-east-1; other regions are similar): standard and extended support. */
export const EKS_CLUSTER_HOUR_USD = { standard: 0.1, extended: 0.6 } as const;

const minor = (v: string): number => Number(v.split('.')[1]);
const known = (): string[] => Object.keys(EKS_VERSIONS).sort((a, b) => minor(a) - minor(b));

export type EksVersionStatus =
  | { readonly kind: 'standard'; readonly until: string }
  | { readonly kind: 'extended'; readonly message: string }
  | { readonly kind: 'unsupported'; readonly message: string }
  | { readonly kind: 'unknown'; readonly message: string };

/** ISO date of `now` (UTC). */
export const isoDate = (now: Date): string => now.toISOString().slice(0, 10);

/** Where a Kubernetes minor version stands on `today` (YYYY-MM-DD): refused when unsupported, a cost warning in extended support. */
export function eksVersionStatus(version: string, today: string): EksVersionStatus {
  const versions = known();
  const inStandard = versions.filter((v) => EKS_VERSIONS[v].endOfStandardSupport > today);
  // Each suggestion with its end of standard support, so the choice shows how long it lasts.
  const suggest = inStandard.length
    ? `use ${inStandard.map((v) => `${v} (standard support until ${EKS_VERSIONS[v].endOfStandardSupport})`).join(' or ')}`
    : `use the newest version EKS offers`;
  const support = EKS_VERSIONS[version];
  if (!support) {
    if (minor(version) > minor(versions[versions.length - 1])) {
      return {
        kind: 'unknown',
        message: `Kubernetes ${version} is newer than this platform's EKS calendar (newest ${versions[versions.length - 1]}): check that EKS offers it and add its support dates to model/eks-versions.ts`,
      };
    }
    return { kind: 'unsupported', message: `Kubernetes ${version} is not supported by EKS any more; ${suggest}` };
  }
  if (support.endOfExtendedSupport <= today) {
    return {
      kind: 'unsupported',
      message: `Kubernetes ${version} reached the end of EKS extended support on ${support.endOfExtendedSupport} (EKS upgrades such control planes itself); ${suggest}`,
    };
  }
  if (support.endOfStandardSupport <= today) {
    const extraPerMonth = Math.round((EKS_CLUSTER_HOUR_USD.extended - EKS_CLUSTER_HOUR_USD.standard) * 730);
    return {
      kind: 'extended',
      message:
        `Kubernetes ${version} is in EKS extended support since ${support.endOfStandardSupport} (until ${support.endOfExtendedSupport}): ` +
        `the cluster costs $${EKS_CLUSTER_HOUR_USD.extended.toFixed(2)} per hour instead of $${EKS_CLUSTER_HOUR_USD.standard.toFixed(2)}, about $${extraPerMonth} a month more; ${suggest}`,
    };
  }
  return { kind: 'standard', until: support.endOfStandardSupport };
}
