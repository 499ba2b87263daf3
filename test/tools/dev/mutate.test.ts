import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { UsageError } from '../../../tools/lib/cli';
import {
  README_BEGIN,
  README_END,
  knownAreas,
  readmeRow,
  renderSummary,
  rewriteReadme,
  selectAreas,
  summarize,
  type MutationReport,
} from '../../../tools/dev/mutate';

type Status = MutationReport['files'][string]['mutants'][number]['status'] | 'Static';
const STATIC = { status: 'Ignored', statusReason: 'Static mutant (and "ignoreStatic" was enabled)' } as const;
const report = (files: Record<string, Status[]>): MutationReport => ({
  files: Object.fromEntries(
    Object.entries(files).map(([f, s]) => [
      f,
      { mutants: s.map((status) => (status === 'Static' ? STATIC : { status, statusReason: 'x' })) },
    ]),
  ),
});
const times = (n: number, s: Status): Status[] => Array.from({ length: n }, () => s);

describe('npm run mutate: areas', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mutate-areas-'));
    for (const f of ['base.mjs', 'rules.mjs', 'lambda.mjs', 'plan-review.mjs', 'jest-setup.ts', 'notes.md'])
      writeFileSync(join(dir, f), '');
    mkdirSync(join(dir, 'old.mjs.d'));
  });

  it('knows every stryker/<area>.mjs but base, sorted', () => {
    expect(knownAreas(dir)).toEqual(['lambda', 'plan-review', 'rules']);
  });

  it('runs every area when none is named, the named ones in the order given otherwise (each once)', () => {
    const known = ['lambda', 'plan-review', 'rules'];
    expect(selectAreas([], known)).toEqual(known);
    expect(selectAreas(['rules', 'lambda', 'rules'], known)).toEqual(['rules', 'lambda']);
  });

  it('refuses an unknown area as a usage error (exit 2) listing the known ones', () => {
    const known = ['lambda', 'rules'];
    expect(() => selectAreas(['lambda', 'lamda'], known)).toThrow(UsageError);
    expect(() => selectAreas(['lamda'], known)).toThrow('unknown area "lamda"; known areas: lambda, rules');
    expect(() => selectAreas(['base', 'x'], known)).toThrow('unknown areas "base", "x"; known areas: lambda, rules');
  });
});

describe('npm run mutate: the table of an area', () => {
  it('counts statuses over all files; score is killed + timeout over valid mutants, uncovered included', () => {
    const s = summarize(
      'lambda',
      report({
        'lambda/b.ts': [...times(80, 'Killed'), ...times(5, 'Timeout'), ...times(10, 'Survived'), 'Ignored', 'CompileError'],
        'lambda/a.ts': [...times(5, 'NoCoverage'), 'RuntimeError', 'Ignored', 'Static'],
      }),
    );
    expect(s).toEqual({
      area: 'lambda',
      files: ['lambda/a.ts', 'lambda/b.ts'],
      mutants: 100,
      killed: 80,
      timeout: 5,
      survived: 10,
      noCoverage: 5,
      disabled: 2,
      staticIgnored: 1,
      errors: 2,
      score: 85,
    });
    const text = renderSummary(s, 125);
    expect(text).toContain('Mutation testing: lambda');
    expect(text).toMatch(/survived +10\n/);
    expect(text).toMatch(/no coverage +5\n/);
    expect(text).toMatch(/disabled +2\n/);
    expect(text).toMatch(/static \(ignored\) +1\n/);
    expect(text).toMatch(/score +85\.0 %\n/);
    expect(text).toMatch(/duration +2 min 5 s\n/);
    expect(text).toMatch(/compile\/runtime errors +2\n/);
    expect(text).toMatch(/files:\n +lambda\/a\.ts\n +lambda\/b\.ts$/);
  });

  it('score: one decimal, rounded; an area without valid mutants has none', () => {
    expect(summarize('x', report({ f: ['Killed', 'Killed', 'Survived'] })).score).toBe(66.7);
    expect(summarize('x', report({ f: ['Killed', 'Timeout', 'NoCoverage'] })).score).toBe(66.7);
    expect(summarize('x', report({ f: ['Ignored'] })).score).toBeNaN();
    expect(renderSummary(summarize('x', report({ f: [] })))).toMatch(/score +n\/a\n/);
  });

  it('score is the detected share for any mix of statuses', () => {
    const status = fc.constantFrom<Status>('Killed', 'Timeout', 'Survived', 'NoCoverage', 'Ignored', 'Static', 'CompileError');
    fc.assert(
      fc.property(fc.array(status, { minLength: 1, maxLength: 60 }), (list) => {
        const s = summarize('x', report({ f: list }));
        const detected = list.filter((x) => x === 'Killed' || x === 'Timeout').length;
        const valid = detected + list.filter((x) => x === 'Survived' || x === 'NoCoverage').length;
        expect(s.mutants).toBe(valid);
        expect(s.killed + s.timeout + s.survived + s.noCoverage).toBe(valid);
        if (valid > 0) expect(Math.abs(s.score - (100 * detected) / valid)).toBeLessThanOrEqual(0.05);
      }),
    );
  });
});

describe('npm run mutate -- --readme', () => {
  const readme = (rows: string[]) => `# Title\n\nbefore\n${README_BEGIN}\n| old header |\n${rows.join('\n')}\n${README_END}\nafter\n`;

  it('replaces the rows of the areas just measured, keeps the others, sorted by area', () => {
    const s = summarize('rules', report({ 'tools/rules/policy.ts': [...times(9, 'Killed'), 'Survived'] }));
    const row = readmeRow(s, '2026-12-01', 61);
    expect(row).toBe('| `rules` | `tools/rules/policy.ts` | 10 | 9 | 0 | 1 | 0 | 0 | 0 | **90.0 %** | 1 min 1 s | 2026-12-01 |');
    const out = rewriteReadme(
      readme(['| `rules` | stale |', '| `plan-review` | theirs |']),
      new Map([
        ['rules', row],
        ['lambda', '| `lambda` | new |'],
      ]),
    );
    expect(out.startsWith('# Title\n\nbefore\n')).toBe(true);
    expect(out.endsWith(`${README_END}\nafter\n`)).toBe(true);
    const lines = out.split('\n');
    const table = lines.slice(lines.indexOf(README_BEGIN) + 1, lines.indexOf(README_END));
    expect(table[0]).toMatch(
      /^\| Area \| Files mutated \| Mutants \| Killed \| Timeout \| Survived \| No coverage \| Disabled \| Static \(ignored\) \| Score \|/,
    );
    expect(table.slice(2)).toEqual(['| `lambda` | new |', '| `plan-review` | theirs |', row]);
    // Idempotent: rewriting with the same rows changes nothing.
    expect(rewriteReadme(out, new Map([['rules', row]]))).toBe(out);
  });

  it('refuses a README without the markers', () => {
    expect(() => rewriteReadme('# no table\n', new Map())).toThrow(/no mutation table markers/);
    expect(() => rewriteReadme(`${README_END}\n${README_BEGIN}\n`, new Map())).toThrow(/no mutation table markers/);
  });
});
