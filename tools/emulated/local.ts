/**
 * `npm run local`: the whole platform up in the emulated AWS with one command, for a platform team that has no
 * AWS account yet. Copies the configuration (PLATFORM_CONFIG, default config/) and teams/ into .emulator/local/
 * (so no state file lands next to the real configuration), starts the emulator on 127.0.0.1, and runs the
 * project's own commands against it: bootstrap, the owner, publish-network, every participant, waiting until
 * each environment is AVAILABLE through the endpoint manager's deployed code. Then it keeps the emulator and
 * the endpoint manager running until Ctrl-C, printing the environment to use the emulator from another shell.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { loadPlatformConfig } from '../../model/load';
import { runnerFor } from './endpoint-manager-runner';
import { emulatedEnvironment, npmRun, requireEmulatorDependencies, ROOT, startEmulator } from './harness';

const DEFAULT_PORT = 4566;

/**
 * `npm run bootstrap -- --apply` reaches every account through ci.adminRoleName (one set of credentials cannot be
 * every account's administrator). The emulator needs no such role to exist, so the copy names one when the
 * configuration does not; the configuration itself is left as it is.
 */
function switchAccountsThroughAdminRole(platformFile: string): void {
  const doc = parseDocument(readFileSync(platformFile, 'utf8'));
  if (doc.getIn(['ci', 'adminRoleName']) !== undefined) return;
  doc.setIn(['ci', 'adminRoleName'], 'OrganizationAccountAccessRole');
  writeFileSync(platformFile, doc.toString());
}

async function main(): Promise<number> {
  requireEmulatorDependencies();
  const source = resolve(ROOT, process.env.PLATFORM_CONFIG || 'config');
  const config = loadPlatformConfig(source, { ownerOnly: true });
  const work = join(ROOT, '.emulator', 'local');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  cpSync(source, join(work, 'config'), { recursive: true });
  if (existsSync(join(resolve(source, '..'), 'teams')))
    cpSync(join(resolve(source, '..'), 'teams'), join(work, 'teams'), { recursive: true });
  switchAccountsThroughAdminRole(join(work, 'config', 'platform.yaml'));

  const port = Number(process.env.EMULATOR_PORT || DEFAULT_PORT);
  const emulator = await startEmulator({ port, logFile: join(work, 'emulator.log') });
  const region = config.platform.region;
  const env = emulatedEnvironment(emulator.url, { configDir: join(work, 'config'), outdir: join(work, 'cdktf.out'), region });
  // The endpoint manager runner's own clients (AssumeRole into the function's role) go to the emulator too.
  Object.assign(process.env, { AWS_ENDPOINT_URL: emulator.url, AWS_ACCESS_KEY_ID: 'emulated', AWS_SECRET_ACCESS_KEY: 'emulated' });
  const log = (line: string) => console.log(line);
  const runner = runnerFor({
    emulatorUrl: emulator.url,
    region,
    platform: config.platform.platform,
    root: ROOT,
    configRoot: work,
    outdir: join(work, 'cdktf.out'),
    log,
  });
  void runner.run(500);
  const stop = async () => {
    runner.stop();
    await emulator.stop();
  };
  process.on('SIGINT', () => void stop().then(() => process.exit(130)));

  const steps: Array<[string, readonly string[], NodeJS.ProcessEnv]> = [
    ['bootstrap', ['--apply', '--auto-approve'], {}],
    ['apply', ['--stack', 'owner'], { BOOTSTRAP: 'owner' }],
    ['publish-network', [], {}],
    ['apply', ['--poll', '2', '--pending-timeout', '5', '--timeout', '15'], {}],
  ];
  for (const [script, args, extra] of steps) {
    console.log(`\n$ npm run ${script}${args.length ? ` -- ${args.join(' ')}` : ''}`);
    const r = await npmRun(script, args, { ...env, ...extra }, log);
    if (r.code !== 0) {
      console.error(`local: npm run ${script} failed (exit ${r.code}); the emulator's log is ${join(work, 'emulator.log')}`);
      await stop();
      return 1;
    }
  }
  const names = loadPlatformConfig(join(work, 'config')).teams.flatMap((t) => t.environments.map((e) => e.name));
  console.log(
    [
      '',
      `The platform runs in the emulated AWS at ${emulator.url} (state and synthesis under ${work}; this process is pid ${process.pid}).`,
      "From another shell, with these variables, the project's commands and the AWS CLI talk to it:",
      `  export AWS_ACCESS_KEY_ID=emulated AWS_SECRET_ACCESS_KEY=emulated AWS_REGION=${region} AWS_ENDPOINT_URL=${emulator.url} HTTP_PROXY=${emulator.url}`,
      `  export PLATFORM_CONFIG=${join(work, 'config')} CDKTF_OUTDIR=${join(work, 'cdktf.out')} NODE_OPTIONS="--require ${join(ROOT, 'tools', 'emulated', 'loopback-dns.cjs')}"`,
      'Watch it:',
      `  the endpoint manager's lines appear here as MWAA sends status events; the emulator's requests: tail -f ${join(work, 'emulator.log')}`,
      `  what exists per account and service, each MWAA environment with its status (${names.join(', ')}): curl -s ${emulator.url}/_emulator/inventory`,
      '  change config/ or teams/ under the copy and run `npm run apply` with the variables above to watch an update',
      `Stop it: Ctrl-C here (or kill ${process.pid}); the emulator keeps nothing.`,
    ].join('\n'),
  );
  await new Promise(() => undefined);
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: Error) => {
      console.error(`local: ${error.message}`);
      process.exit(1);
    },
  );
}
