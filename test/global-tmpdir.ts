/**
 * One scratch directory per jest run: TMPDIR points into it for every worker and every process the tests start
 * (synthesis, Terraform, cdktf's Testing outdirs, fixtures), and it is removed when the run ends, so tests leave
 * nothing in the system temp directory however they exit. Also unsets CI (see below).
 *
 * A run that is killed (Ctrl-C, a CI timeout, Stryker replacing a timed-out runner) never reaches teardown, so the
 * directory carries the pid of the process that made it, and every setup first removes the directories of
 * processes that no longer run.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const KEY = 'MWAA_TEST_SCRATCH';
// TMPDIR as it was before setup ('' when unset), put back by teardown: a process that runs jest again (Stryker's test
// runners do, once per mutant) would otherwise start its next run inside the directory the last one removed.
const BEFORE = 'MWAA_TEST_SCRATCH_TMPDIR_BEFORE';
const PREFIX = 'mwaa-platform-jest-';

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the scratch directories in `parent` whose run is gone (its pid no longer runs); returns their names. */
export function sweepStaleScratch(parent: string, isRunning: (pid: number) => boolean = running): string[] {
  const stale = readdirSync(parent).filter((name) => {
    const m = new RegExp(`^${PREFIX}(\\d+)-`).exec(name);
    return m !== null && Number(m[1]) !== process.pid && !isRunning(Number(m[1]));
  });
  for (const name of stale) rmSync(join(parent, name), { recursive: true, force: true });
  return stale;
}

export function setup(): void {
  process.env[BEFORE] = process.env.TMPDIR ?? '';
  sweepStaleScratch(tmpdir());
  const dir = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
  process.env[KEY] = dir;
  process.env.TMPDIR = dir;
  // main.ts refuses the example contract and local state when CI=true with real providers; the tests of those
  // guards set CI themselves, every other test synthesizes the example as on a laptop.
  delete process.env.CI;
}

export function teardown(): void {
  const dir = process.env[KEY];
  if (dir) rmSync(dir, { recursive: true, force: true });
  delete process.env[KEY];
  const before = process.env[BEFORE];
  if (before === undefined) return;
  if (before === '') delete process.env.TMPDIR;
  else process.env.TMPDIR = before;
  delete process.env[BEFORE];
}
