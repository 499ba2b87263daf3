// Shared Stryker settings; each area's file (stryker/<area>.mjs) names the files it mutates and the tests that cover them.
// Run through `npm run mutate [-- <area>]`. Reports and incremental state live in reports/mutation/<area>/ (git-ignored).
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

export function area(name, { mutate, tests, cdktfMatchers = true, ignoreStatic = false }) {
  // Which test files cover which mutant, written by stryker/jest-setup.ts in the dry run and read by the sequencer in
  // every mutant run (the test runner processes inherit this environment). A record from an earlier run is stale.
  const coveringFiles = resolve(`reports/mutation/${name}/covering-files.json`);
  mkdirSync(resolve(`reports/mutation/${name}`), { recursive: true });
  rmSync(coveringFiles, { force: true });
  process.env.STRYKER_COVERING_FILES = coveringFiles;
  return {
    packageManager: 'npm',
    testRunner: 'jest',
    coverageAnalysis: 'perTest',
    // A mutant that only module-load code reaches (a table, a zod schema, a module-level constant) is "static": no test
    // covers it at run time, so Stryker runs every test of the area against it. That is slow but is the honest measure:
    // with ignoreStatic those mutants would be left out of the score. An area may opt out only with a reason.
    ignoreStatic,
    // 2-core machine: one worker keeps the run predictable; raise with `-- --concurrency N` on bigger hosts.
    concurrency: 1,
    incremental: true,
    incrementalFile: `reports/mutation/${name}/incremental.json`,
    reporters: ['clear-text', 'progress', 'html', 'json'],
    htmlReporter: { fileName: `reports/mutation/${name}/index.html` },
    jsonReporter: { fileName: `reports/mutation/${name}/mutation.json` },
    tempDirName: `reports/mutation/${name}/.sandbox`,
    // Never copy reports/ into a sandbox: it holds the sandboxes of areas running at the same time (tens of thousands
    // of files).
    ignorePatterns: ['/reports'],
    cleanTempDir: 'always',
    thresholds: { high: 90, low: 85, break: null },
    // Generous: the machine is shared, and a run slowed by load must not count as a timeout (which scores as killed).
    timeoutMS: 15000,
    mutate,
    jest: {
      projectType: 'custom',
      configFile: 'jest.config.js',
      // Only the area's tests run against its mutants (the whole suite takes minutes per mutant).
      config: {
        testMatch: tests.map((glob) => `<rootDir>/${glob}`),
        // In band: spawning jest workers for every mutant costs more than the tests themselves.
        maxWorkers: 1,
        // Crawl only where tests live: the haste map of the whole sandbox (node_modules included) costs seconds per run.
        roots: ['<rootDir>/test'],
        // Loading cdktf's matchers costs about a second per run; areas whose tests don't use them skip it.
        setupFilesAfterEnv: [...(cdktfMatchers ? ['<rootDir>/test/setup.ts'] : []), '<rootDir>/stryker/jest-setup.ts'],
        // A mutant's run loads only the test files that covered it (see the file), not every test file of the area.
        testSequencer: '<rootDir>/stryker/covering-files-sequencer.cjs',
      },
      enableFindRelatedTests: false,
    },
  };
}
