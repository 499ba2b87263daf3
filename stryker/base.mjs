// Shared Stryker settings; each area's file (stryker/<area>.mjs) names the files it mutates and the tests that cover them.
// Run through `npm run mutate [-- <area>]`. Reports and incremental state live in reports/mutation/<area>/ (git-ignored).
export function area(name, { mutate, tests, cdktfMatchers = true, ignoreStatic = true }) {
  return {
    packageManager: 'npm',
    testRunner: 'jest',
    coverageAnalysis: 'perTest',
    // Code that also runs outside any test (module load, hooks, work still pending when a test ends) makes its mutants
    // "static": each would restart the runner and run every test of the area (15-25 s here instead of about 1 s).
    // With ignoreStatic, such a mutant still runs, against the tests that cover it; only a mutant that no test covers
    // at run time (a module-level constant) is reported Ignored ("Static mutant"), counted apart by npm run mutate.
    ignoreStatic,
    // 2-core machine: one worker keeps the run predictable; raise with `-- --concurrency N` on bigger hosts.
    concurrency: 1,
    incremental: true,
    incrementalFile: `reports/mutation/${name}/incremental.json`,
    reporters: ['clear-text', 'progress', 'html', 'json'],
    htmlReporter: { fileName: `reports/mutation/${name}/index.html` },
    jsonReporter: { fileName: `reports/mutation/${name}/mutation.json` },
    tempDirName: `reports/mutation/${name}/.sandbox`,
    cleanTempDir: 'always',
    thresholds: { high: 90, low: 85, break: null },
    timeoutMS: 10000,
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
      },
      enableFindRelatedTests: false,
    },
  };
}
