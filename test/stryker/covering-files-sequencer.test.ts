/** stryker/covering-files-sequencer.cjs: which test files jest loads for a mutant in `npm run mutate`. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const Sequencer = require('../../stryker/covering-files-sequencer.cjs');

const test = (path: string) => ({ path, duration: 0, context: { config: {}, hasteFS: { getSize: () => 1 } } });
const paths = (tests: ReadonlyArray<{ path: string }>) => tests.map((t) => t.path).sort();
const ALL = ['/s/test/a.test.ts', '/s/test/b.test.ts', '/s/test/c.test.ts'];

describe('Stryker: a mutant run loads only the test files that covered the mutant', () => {
  let dir: string;
  let record: string;
  const saved = { mutant: process.env.__STRYKER_ACTIVE_MUTANT__, record: process.env.STRYKER_COVERING_FILES };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'covering-files-'));
    record = join(dir, 'covering-files.json');
    writeFileSync(
      record,
      JSON.stringify({ static: ['7'], files: { '3': ['/s/test/b.test.ts'], '7': ['/s/test/a.test.ts'], '9': ['/s/test/gone.test.ts'] } }),
    );
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    for (const [key, value] of [
      ['__STRYKER_ACTIVE_MUTANT__', saved.mutant],
      ['STRYKER_COVERING_FILES', saved.record],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  });
  const sort = (mutant: string | undefined, file: string | null = record) => {
    if (mutant === undefined) delete process.env.__STRYKER_ACTIVE_MUTANT__;
    else process.env.__STRYKER_ACTIVE_MUTANT__ = mutant;
    if (file === null) delete process.env.STRYKER_COVERING_FILES;
    else process.env.STRYKER_COVERING_FILES = file;
    return paths(new Sequencer().sort(ALL.map(test)));
  };

  it('keeps the files whose tests covered the active mutant in the dry run', () => {
    expect(sort('3')).toEqual(['/s/test/b.test.ts']);
  });

  it('keeps every file for a static mutant, even one a test also hit (Stryker runs all tests for it)', () => {
    expect(sort('7')).toEqual(ALL);
  });

  it('keeps every file when the record does not know the mutant, or names no file that is left', () => {
    expect(sort('42')).toEqual(ALL);
    expect(sort('9')).toEqual(ALL);
  });

  it('keeps every file in the dry run (no active mutant) and when no record was written', () => {
    expect(sort(undefined)).toEqual(ALL);
    expect(sort('3', join(dir, 'missing.json'))).toEqual(ALL);
    expect(sort('3', null)).toEqual(ALL);
  });
});
