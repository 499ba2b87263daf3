/** Rules tier over the real thing: every security rule on every synthesized stack of the fixture platform (a copy of the example). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRulesOverStacks } from '../../../tools/rules';
import { listStacks, readStack } from '../../../tools/lib/stacks';
import { buildApp } from '../../../stacks/app';
import { loadFixture } from '../../support/config-fixture';

describe('security rules over the synthesized fixture platform', () => {
  let config: ReturnType<typeof loadFixture>;
  let stacks: Array<{ stack: string; json: ReturnType<typeof readStack> }>;
  let outdir: string;
  // Synthesized once in beforeAll, not at module load: a test file that only lists tests (or a mutation run that
  // needs none of these) does not pay for synthesis.
  beforeAll(() => {
    config = loadFixture();
    outdir = mkdtempSync(join(tmpdir(), 'rules-example-'));
    buildApp(config, { outdir, mode: 'offline-preview' }).synth();
    stacks = listStacks(outdir).map((stack) => ({ stack, json: readStack(outdir, stack) }));
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('covers every stack', () => {
    expect(stacks.map((s) => s.stack)).toEqual(['owner', 'participant-analytics', 'participant-marketing']);
  });

  it('passes with no finding and no suppression', () => {
    const run = runRulesOverStacks(stacks, {
      suppressions: config.platform.securitySuppressions,
      settings: { allowPublicWebserver: true },
    });
    expect(config.platform.securitySuppressions).toEqual([]);
    expect(run.findings.map((f) => `${f.stack} ${f.rule} ${f.resource}: ${f.message}`)).toEqual([]);
    expect(run.suppressed).toEqual([]);
  });

  it('flags the public webserver as soon as the platform stops allowing it', () => {
    const run = runRulesOverStacks(stacks, { suppressions: [], settings: { allowPublicWebserver: false } });
    expect(run.findings.map((f) => `${f.stack} ${f.rule}`)).toEqual(['participant-marketing MWAA_PRIVATE_WEBSERVER']);
  });
});
