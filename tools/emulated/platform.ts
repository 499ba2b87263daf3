/**
 * Two steps of the emulated life the project has no command for (against real AWS they are deliberate, manual
 * acts): re-planning every stack to show drift, and destroying the whole platform, bootstrap included.
 *
 *   npm run emulated:replan             plans every stack of cdktf.out (synthesized now); prints `drift …` lines
 *   npm run emulated:destroy-platform   destroys every platform stack, then every bootstrap stack (state account last)
 *
 * Both refuse to run unless AWS_ENDPOINT_URL names a loopback address: they are for the emulator only.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bootstrapStackName } from '../../contracts/bootstrap';
import { bootstrapPlan } from '../../model/bootstrap';
import { loadPlatformConfig } from '../../model/load';
import { listStacks, stackDir, synthesize } from '../lib/stacks';
import { initAndPlanAsync, initAsync, isInitialized, runAsync, showJsonAsync } from '../lib/terraform';
import { driftLines } from './drift';

const ROOT = resolve(__dirname, '..', '..');

function refuseUnlessEmulated(env: NodeJS.ProcessEnv): void {
  if (!/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\/?$/.test(env.AWS_ENDPOINT_URL ?? '')) {
    throw new Error('AWS_ENDPOINT_URL must point at the emulator on 127.0.0.1: these commands exist for the emulated AWS only');
  }
}

async function replan(outdir: string): Promise<number> {
  synthesize(ROOT, process.env, 'live');
  let lines = 0;
  for (const stack of listStacks(outdir)) {
    const dir = stackDir(outdir, stack);
    const r = await initAndPlanAsync(dir, 'tfplan');
    const drift = r.changes ? driftLines(stack, (await showJsonAsync(dir, 'tfplan')) as Parameters<typeof driftLines>[1]) : [];
    for (const line of drift) console.log(line);
    console.log(`${stack}: ${drift.length === 0 ? 'no changes' : `${drift.length} change(s)`}`);
    lines += drift.length;
  }
  return lines;
}

/**
 * The bootstrap protects the state bucket and its key with `prevent_destroy`; retiring them in a real account is a
 * deliberate act by hand. The emulator's teardown lifts it on its own synthesized copy, nowhere else.
 */
function liftPreventDestroy(dir: string): void {
  const file = join(dir, 'cdk.tf.json');
  const stack = JSON.parse(readFileSync(file, 'utf8')) as {
    resource?: Record<string, Record<string, { lifecycle?: Record<string, unknown> }>>;
  };
  for (const byName of Object.values(stack.resource ?? {}))
    for (const resource of Object.values(byName)) if (resource.lifecycle) delete resource.lifecycle.prevent_destroy;
  writeFileSync(file, JSON.stringify(stack, null, 2));
}

async function destroy(dir: string, stack: string): Promise<void> {
  liftPreventDestroy(dir);
  if (!isInitialized(dir)) await initAsync(dir);
  await runAsync(dir, ['destroy', '-auto-approve', '-input=false', '-no-color', '-lock=false']);
  console.log(`${stack}: destroyed`);
}

async function destroyPlatform(outdir: string): Promise<void> {
  const configDir = resolve(ROOT, process.env.PLATFORM_CONFIG || 'config');
  synthesize(ROOT, process.env, 'live');
  // Participants first (their environments use the owner's network), the owner last.
  for (const stack of listStacks(outdir).reverse()) await destroy(stackDir(outdir, stack), stack);
  synthesize(ROOT, { ...process.env, BOOTSTRAP: 'accounts' }, 'live');
  const plan = bootstrapPlan(loadPlatformConfig(configDir, { ownerOnly: true }));
  const ordered = [...plan.accounts.map((a) => a.accountId).filter((a) => a !== plan.stateAccountId), plan.stateAccountId];
  for (const account of ordered) await destroy(stackDir(outdir, bootstrapStackName(account)), bootstrapStackName(account));
}

if (require.main === module) {
  const command = process.argv[2];
  const outdir = resolve(ROOT, process.env.CDKTF_OUTDIR || 'cdktf.out');
  (async () => {
    refuseUnlessEmulated(process.env);
    if (command === 'replan') return (await replan(outdir)) >= 0 ? 0 : 1;
    if (command === 'destroy-platform') {
      await destroyPlatform(outdir);
      return 0;
    }
    throw new Error(`usage: platform.ts replan|destroy-platform (got ${command ?? 'nothing'})`);
  })().then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(error.message.split('\n').slice(0, 40).join('\n'));
      process.exit(1);
    },
  );
}
