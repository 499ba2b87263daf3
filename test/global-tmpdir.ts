/**
 * One scratch directory per jest run: TMPDIR points into it for every worker and every process the tests start
 * (synthesis, Terraform, cdktf's Testing outdirs, fixtures), and it is removed when the run ends, so tests leave
 * nothing in the system temp directory however they exit. Also unsets CI (see below).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const KEY = 'MWAA_TEST_SCRATCH';

export function setup(): void {
  const dir = mkdtempSync(join(tmpdir(), 'mwaa-platform-jest-'));
  process.env[KEY] = dir;
  process.env.TMPDIR = dir;
  // main.ts refuses the example contract and local state when CI=true with real providers; the tests of those
  // guards set CI themselves, every other test synthesizes the example as on a laptop.
  delete process.env.CI;
}

export function teardown(): void {
  const dir = process.env[KEY];
  if (dir) rmSync(dir, { recursive: true, force: true });
}
