/**
 * One offline synthesis of the fixture platform (test/fixtures/platform) per test run, for the suites that only plan it (the Terraform tier):
 * the first caller runs main.ts's synthesis (PREVIEW=offline, in the test's process) into the run's scratch directory, every caller gets its own
 * copy (they write `.terraform`, plan files and, for the moved-state test, a rewritten backend into it).
 * The cache sits at the same depth as the copies, so the stacks' relative local-backend paths resolve alike.
 * Concurrent first callers (several jest workers) wait for the one holding the lock.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { FIXTURE_CONFIG } from './fixture-paths';
import { runMain } from './synth';

function scratch(): string {
  // Set by test/global-tmpdir.ts for the whole run; a bare tmpdir when a suite runs without the global setup.
  return process.env.MWAA_TEST_SCRATCH ?? tmpdir();
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const LOCK_WAIT_MS = 10 * 60_000;

function cachedSynth(): string {
  const cache = join(scratch(), 'fixture-offline-synth');
  const done = () => existsSync(join(cache, 'cdktf.out', 'manifest.json'));
  if (done()) return cache;
  // One synthesis per run even with several workers: the others wait for it (or do it themselves if it failed).
  const lock = `${cache}.lock`;
  let owner = false;
  try {
    mkdirSync(lock);
    owner = true;
  } catch {
    for (const start = Date.now(); !done() && existsSync(lock) && Date.now() - start < LOCK_WAIT_MS; ) sleep(200);
    if (done()) return cache;
  }
  try {
    const partial = `${cache}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    // main.ts synthesizes beside its outdir and renames, so the parent must exist.
    mkdirSync(partial, { recursive: true });
    const synth = runMain({ PREVIEW: 'offline', PLATFORM_CONFIG: FIXTURE_CONFIG, CDKTF_OUTDIR: join(partial, 'cdktf.out') });
    if (synth.status !== 0) throw new Error(`synth of the fixture platform failed:\n${synth.stderr}`);
    try {
      renameSync(partial, cache);
    } catch {
      // Another worker's synthesis landed first: same input, same output.
      rmSync(partial, { recursive: true, force: true });
    }
    return cache;
  } finally {
    if (owner) rmSync(lock, { recursive: true, force: true });
  }
}

/** A fresh copy of the fixture platform's offline synthesis; returns its `cdktf.out`. */
export function fixtureOfflineSynth(prefix: string): string {
  const outdir = join(mkdtempSync(join(scratch(), prefix)), 'cdktf.out');
  cpSync(join(cachedSynth(), 'cdktf.out'), outdir, { recursive: true });
  return outdir;
}
