/** Rules tier over the recovery fixture: every security rule on every stack of both regions, recovery's included. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRulesOverStacks } from '../../../tools/rules';
import { listStacks, readStack } from '../../../tools/lib/stacks';
import { buildApp } from '../../../stacks/app';
import { loadRecoveryExample } from '../../support/recovery-fixture';

describe('security rules over the synthesized recovery fixture', () => {
  let stacks: Array<{ stack: string; json: ReturnType<typeof readStack> }>;
  let outdir: string;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'rules-recovery-'));
    buildApp(loadRecoveryExample(), { outdir, mode: 'offline-preview' }).synth();
    stacks = listStacks(outdir).map((stack) => ({ stack, json: readStack(outdir, stack) }));
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('passes with no finding: alarm topics, their keys, the replicated secret and the recovery grants included', () => {
    expect(stacks.map((s) => s.stack)).toEqual([
      'owner',
      'owner-recovery',
      'participant-analytics',
      'participant-marketing',
      'recovery-analytics',
      'recovery-marketing',
    ]);
    const run = runRulesOverStacks(stacks, { suppressions: [], settings: { allowPublicWebserver: true } });
    expect(run.findings.map((f) => `${f.stack} ${f.rule} ${f.resource}: ${f.message}`)).toEqual([]);
  });
});
