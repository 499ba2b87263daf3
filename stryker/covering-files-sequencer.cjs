// Jest test sequencer for Stryker's mutant runs. With perTest coverage, Stryker runs a mutant's covering tests through
// jest's test-name pattern, so jest still loads every test file of the area (seconds per mutant) to run a few tests of
// one or two. This keeps only the files whose tests covered the active mutant in the dry run (recorded by
// stryker/jest-setup.ts): the same tests run, so the same mutants are killed. A static mutant (hit outside any test),
// one not in the record, or a run with no active mutant (the dry run itself) keeps every file.
const { existsSync, readFileSync } = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;

class CoveringFilesSequencer extends Sequencer {
  sort(tests) {
    const mutant = process.env.__STRYKER_ACTIVE_MUTANT__;
    const mapFile = process.env.STRYKER_COVERING_FILES;
    if (mutant !== undefined && mapFile && existsSync(mapFile)) {
      const record = JSON.parse(readFileSync(mapFile, 'utf8'));
      const files = record.static.includes(mutant) ? undefined : record.files[mutant];
      if (files) {
        const keep = new Set(files);
        const covering = tests.filter((test) => keep.has(test.path));
        if (covering.length > 0) return super.sort(covering);
      }
    }
    return super.sort(tests);
  }
}

module.exports = CoveringFilesSequencer;
