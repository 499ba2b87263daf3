/**
 * The shipped example is the repository's own config/ and teams/ until a platform replaces them with its own. The
 * suites under test/example/ are about that example; every other test runs on test/fixtures/platform. On a
 * platform's own configuration they register one test whose name says why they did not run.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../support/fixture-paths';

/** The working tree's configuration, which a platform replaces: only test/example/ reads it. */
export const WORKING_CONFIG = join(REPO_ROOT, 'config');

/** What makes a configuration the shipped example: its platform name, its two teams and its placeholder contract. */
export const SHIPPED_EXAMPLE = { platform: 'acme-data', teams: ['analytics', 'marketing'], contractSource: 'example' } as const;

const TEAM_FILE = /\.ya?ml$/;

function read<T>(what: () => T): T | undefined {
  try {
    return what();
  } catch {
    return undefined;
  }
}

/**
 * Why `configDir` is not the shipped example (what it has instead), or undefined when it is. Read without
 * validating: a broken example is still the example, and its suites must fail rather than skip.
 */
export function notTheShippedExample(configDir: string = WORKING_CONFIG): string | undefined {
  const platform = read(() => parse(readFileSync(join(configDir, 'platform.yaml'), 'utf8'))?.platform);
  const teamsDir = join(configDir, 'teams');
  const teams = existsSync(teamsDir) ? readdirSync(teamsDir).filter((f) => TEAM_FILE.test(f) && !f.startsWith('.')) : [];
  const names = teams.map((f) => f.replace(TEAM_FILE, '')).sort();
  const source = read(() => JSON.parse(readFileSync(join(configDir, 'network-contract.json'), 'utf8'))?.source);
  const same =
    platform === SHIPPED_EXAMPLE.platform &&
    names.join(',') === SHIPPED_EXAMPLE.teams.join(',') &&
    source === SHIPPED_EXAMPLE.contractSource;
  if (same) return undefined;
  const contract = source === undefined ? 'no readable contract' : `a contract from ${JSON.stringify(source)}`;
  return `it has platform ${JSON.stringify(platform ?? null)}, teams ${names.join(', ') || '(none)'} and ${contract}`;
}

/**
 * `describe` for the shipped example's own suites. When config/ is a platform's own, it registers one test, named
 * to say so, instead of the suite: one clear line in the run and no test that fails for a configuration it was
 * never about (`npm run validate` checks that configuration).
 */
export function describeShippedExample(name: string, suite: () => void): void {
  const difference = notTheShippedExample();
  if (difference === undefined) {
    describe(name, suite);
    return;
  }
  const expected = `platform "${SHIPPED_EXAMPLE.platform}", teams ${SHIPPED_EXAMPLE.teams.join(', ')} and the example contract`;
  test(`${name}: not run, config/ is not the shipped example (${expected}): ${difference}`, () => {
    expect(difference).toContain('it has platform');
  });
}
