/**
 * `npm run check`: synthesize (or, with --no-synth, read the existing cdktf.out), run every security rule over
 * every stack, print findings, exit 1 on any unsuppressed finding (2 on usage/config/synthesis errors).
 *
 *   npx tsx tools/check.ts [--no-synth] [--stack <name>] [--json]
 */
import { join, resolve } from 'node:path';
import { runRulesOverStacks } from './rules';
import { listStacks, loadPlatformInputs, previewMode, readStack, synthesize } from './stacks';

const ROOT = resolve(__dirname, '..');

function main(argv: readonly string[]): number {
  const noSynth = argv.includes('--no-synth');
  const json = argv.includes('--json');
  const stackArg = argv.indexOf('--stack') >= 0 ? argv[argv.indexOf('--stack') + 1] : undefined;
  const outdir = join(ROOT, process.env.CDKTF_OUTDIR || 'cdktf.out');
  try {
    if (!noSynth) synthesize(ROOT, process.env, previewMode(process.env));
    const inputs = loadPlatformInputs(ROOT, process.env);
    const all = listStacks(outdir);
    const stacks = stackArg ? all.filter((s) => s === stackArg) : all;
    if (stackArg && !stacks.length) throw new Error(`no stack ${stackArg} in ${outdir} (have: ${all.join(', ')})`);
    const run = runRulesOverStacks(
      stacks.map((stack) => ({ stack, json: readStack(outdir, stack) })),
      inputs,
    );
    if (json) {
      console.log(JSON.stringify(run, null, 2));
    } else {
      for (const f of run.findings) console.log(`✗ ${f.severity.padEnd(8)} ${f.rule.padEnd(26)} ${f.stack} ${f.resource}: ${f.message}`);
      for (const f of run.suppressed) console.log(`~ suppressed ${f.rule} ${f.stack} ${f.resource}: ${f.message} — ${f.reason}`);
      // Only meaningful for a full run: a suppression for another stack is not stale when --stack limits it.
      if (!stackArg) for (const s of run.unused) console.warn(`! unused suppression (delete it): ${JSON.stringify(s)}`);
      console.log(
        `${run.findings.length} finding(s), ${run.suppressed.length} suppressed, across ${stacks.length} stack(s): ${stacks.join(', ')}`,
      );
    }
    return run.findings.length ? 1 : 0;
  } catch (error) {
    console.error(`check failed: ${(error as Error).message}`);
    return 2;
  }
}

process.exitCode = main(process.argv.slice(2));
