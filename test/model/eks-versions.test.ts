/** EKS Kubernetes versions: refused past extended support, a cost warning in extended support, judged on a given day. */
import { EKS_VERSIONS, eksVersionStatus } from '../../model/eks-versions';
import { loadPlatformConfig } from '../../model/load';
import { fixtureConfigWith } from '../support/config-fixture';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DAY = '2026-12-01';

describe('eksVersionStatus on 2026-12-01', () => {
  it('1.35 is in standard support until 2027-03-27', () => {
    expect(eksVersionStatus('1.35', DAY)).toEqual({ kind: 'standard', until: '2027-03-27' });
  });

  it('1.34 is in standard support on its last day and in extended support the day its standard support ends', () => {
    expect(eksVersionStatus('1.34', '2026-12-01').kind).toBe('standard');
    expect(eksVersionStatus('1.34', '2026-12-02').kind).toBe('extended');
  });

  it('a version in extended support warns and names the extra cost', () => {
    expect(eksVersionStatus('1.33', DAY)).toEqual({
      kind: 'extended',
      message:
        'Kubernetes 1.33 is in EKS extended support since 2026-07-29 (until 2027-07-29): the cluster costs $0.60 per hour instead of $0.10, about $365 a month more; use 1.34 (standard support until 2026-12-02) or 1.35 (standard support until 2027-03-27)',
    });
  });

  it.each([
    [
      '1.31',
      'Kubernetes 1.31 reached the end of EKS extended support on 2026-11-26 (EKS upgrades such control planes itself); use 1.34 (standard support until 2026-12-02) or 1.35 (standard support until 2027-03-27)',
    ],
    [
      '1.29',
      'Kubernetes 1.29 reached the end of EKS extended support on 2026-03-23 (EKS upgrades such control planes itself); use 1.34 (standard support until 2026-12-02) or 1.35 (standard support until 2027-03-27)',
    ],
    [
      '1.24',
      'Kubernetes 1.24 is not supported by EKS any more; use 1.34 (standard support until 2026-12-02) or 1.35 (standard support until 2027-03-27)',
    ],
  ])('refuses %s: %s', (version, message) => expect(eksVersionStatus(version, DAY)).toEqual({ kind: 'unsupported', message }));

  it('a version newer than the calendar is a warning asking to add its dates, not a refusal', () => {
    expect(eksVersionStatus('1.36', DAY)).toEqual({
      kind: 'unknown',
      message:
        "Kubernetes 1.36 is newer than this platform's EKS calendar (newest 1.35): check that EKS offers it and add its support dates to model/eks-versions.ts",
    });
  });

  it('every calendar entry has 12 months of extended support after standard support', () => {
    for (const [v, s] of Object.entries(EKS_VERSIONS)) {
      const std = new Date(s.endOfStandardSupport);
      std.setUTCFullYear(std.getUTCFullYear() + 1);
      expect([v, std.toISOString().slice(0, 10)]).toEqual([v, s.endOfExtendedSupport]);
    }
  });
});

describe('through the loader', () => {
  const withVersion = (version: string) => fixtureConfigWith({ teams: { analytics: (t) => (t.eks.version = version) } });

  it('an unsupported version fails with file and field', () => {
    const dir = withVersion('1.31');
    expect(() => loadPlatformConfig(dir, { today: new Date('2026-12-01T12:00:00Z') })).toThrow(
      `config/teams/analytics.yaml at eks.version: Kubernetes 1.31 reached the end of EKS extended support on 2026-11-26 (EKS upgrades such control planes itself); use 1.34 (standard support until 2026-12-02) or 1.35 (standard support until 2027-03-27)`,
    );
  });

  it('a version in extended support loads, with a warning', () => {
    const dir = withVersion('1.32');
    const config = loadPlatformConfig(dir, { today: new Date('2026-12-01T12:00:00Z') });
    expect(config.warnings).toEqual([
      {
        file: 'config/teams/analytics.yaml',
        path: 'eks.version',
        message:
          'Kubernetes 1.32 is in EKS extended support since 2026-03-23 (until 2027-03-23): the cluster costs $0.60 per hour instead of $0.10, about $365 a month more; use 1.34 (standard support until 2026-12-02) or 1.35 (standard support until 2027-03-27)',
      },
    ]);
  });

  it('the example loads without warnings on 2026-12-01', () => {
    expect(loadPlatformConfig(withVersion('1.35'), { today: new Date('2026-12-01T00:00:00Z') }).warnings).toEqual([]);
  });
});

describe('docs/eks.md', () => {
  it("lists every calendar version with the model's dates, and no other", () => {
    const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'eks.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `(1\.\d+)` \| (\d{4}-\d{2}-\d{2}) \| (\d{4}-\d{2}-\d{2}) \|$/gm)].map((m) => [m[1], m[2], m[3]]);
    expect(rows.sort()).toEqual(
      Object.entries(EKS_VERSIONS)
        .map(([v, s]) => [v, s.endOfStandardSupport, s.endOfExtendedSupport])
        .sort(),
    );
  });
});
