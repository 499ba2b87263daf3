// Loaded only in Stryker runs (stryker/base.mjs).
import { writeFileSync } from 'node:fs';
import fc from 'fast-check';

// A property that fails stops at its first counterexample instead of shrinking it, since a mutant only needs to be
// detected, not explained. Same runs, same seeds otherwise.
fc.configureGlobal({ ...fc.readConfigureGlobal(), endOnFailure: true });

// During the initial (dry) run, record which test files cover which mutant, for stryker/covering-files-sequencer.cjs.
// Stryker's instrumented code counts hits in the shared `__stryker__` context: per test id while a test runs, "static"
// otherwise (module load, beforeAll). The ids a file's tests added between its beforeAll and afterAll are that file's.
type Hits = Record<string, number>;
interface Coverage {
  static: Hits;
  perTest: Record<string, Hits>;
}
interface Context {
  mutantCoverage?: Coverage;
  coveringFiles?: { static: Set<string>; files: Map<string, Set<string>> };
}
const context = (globalThis as { __stryker__?: Context }).__stryker__;
const mapFile = process.env.STRYKER_COVERING_FILES;
const dryRun = process.env.__STRYKER_ACTIVE_MUTANT__ === undefined;

if (context && mapFile && dryRun) {
  let before: Record<string, Hits> = {};
  beforeAll(() => {
    before = structuredClone(context.mutantCoverage?.perTest ?? {});
  });
  afterAll(() => {
    const coverage = context.mutantCoverage;
    if (!coverage) return;
    const record = (context.coveringFiles ??= { static: new Set(), files: new Map() });
    const testPath = expect.getState().testPath!;
    for (const [testId, hits] of Object.entries(coverage.perTest)) {
      for (const [mutant, count] of Object.entries(hits)) {
        if (count === (before[testId]?.[mutant] ?? 0)) continue;
        const files = record.files.get(mutant) ?? new Set<string>();
        record.files.set(mutant, files.add(testPath));
      }
    }
    for (const mutant of Object.keys(coverage.static)) record.static.add(mutant);
    writeFileSync(
      mapFile,
      JSON.stringify({
        static: [...record.static],
        files: Object.fromEntries([...record.files].map(([mutant, files]) => [mutant, [...files]])),
      }),
    );
  });
}
