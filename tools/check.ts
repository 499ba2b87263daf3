/**
 * `npm run check`: synthesize (or, with --no-synth, read the existing cdktf.out), run every security rule over
 * every stack, print findings. Exit codes follow tools/lib/cli.ts: 0 clean, 1 unsuppressed findings or a failed
 * synthesis, 2 usage or invalid configuration.
 */
import { resolve } from 'node:path';
import { outdirOf } from '../model/synth-settings';
import { EXIT, runToolAsMain, UsageError, type CommandLine } from './lib/cli';
import { runRulesOverStacks } from './rules';
import { listStacks, loadPlatformInputs, previewMode, readStack, synthesize } from './lib/stacks';

const ROOT = resolve(__dirname, '..');

export const CHECK_COMMAND = {
  command: 'npm run check --',
  summary:
    'Synthesize the app (PLATFORM_CONFIG, default config), run every security rule in tools/rules over every stack and print the findings, suppressed findings and unused suppressions.',
  options: {
    'no-synth': { type: 'boolean', description: 'read the existing cdktf.out (CDKTF_OUTDIR) instead of synthesizing' },
    stack: { type: 'string', valueName: 'name', description: 'check only this stack, e.g. owner or participant-<team>' },
    json: { type: 'boolean', description: 'print the whole run as JSON' },
  },
  exitCodes: { [EXIT.ok]: 'no unsuppressed finding', [EXIT.failed]: 'unsuppressed findings, or synthesis failed' },
} as const;

/** The check with `env` in place of the process's (`npm run validate` runs it with PREVIEW=offline). */
export function checkWith(env: NodeJS.ProcessEnv, { values }: CommandLine<typeof CHECK_COMMAND.options>): number {
  const outdir = outdirOf(env, ROOT);
  // The config first: an invalid file is a usage error (exit 2) with its file and field, not a failed synthesis.
  const inputs = loadPlatformInputs(ROOT, env);
  if (!values['no-synth']) synthesize(ROOT, env, previewMode(env));
  const all = listStacks(outdir);
  const stacks = values.stack ? all.filter((s) => s === values.stack) : all;
  if (values.stack && !stacks.length) throw new UsageError(`no stack ${values.stack} in ${outdir} (have: ${all.join(', ')})`);
  const run = runRulesOverStacks(
    stacks.map((stack) => ({ stack, json: readStack(outdir, stack) })),
    inputs,
  );
  if (values.json) {
    console.log(JSON.stringify(run, null, 2));
  } else {
    for (const f of run.findings) console.log(`✗ ${f.severity.padEnd(8)} ${f.rule.padEnd(26)} ${f.stack} ${f.resource}: ${f.message}`);
    for (const f of run.suppressed) console.log(`~ suppressed ${f.rule} ${f.stack} ${f.resource}: ${f.message} — ${f.reason}`);
    // Only meaningful for a full run: a suppression for another stack is not stale when --stack limits it.
    if (!values.stack) for (const s of run.unused) console.warn(`! unused suppression (delete it): ${JSON.stringify(s)}`);
    console.log(
      `${run.findings.length} finding(s), ${run.suppressed.length} suppressed, across ${stacks.length} stack(s): ${stacks.join(', ')}`,
    );
  }
  return run.findings.length ? EXIT.failed : EXIT.ok;
}

if (require.main === module) runToolAsMain(CHECK_COMMAND, (cli) => checkWith(process.env, cli));
