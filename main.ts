/**
 * Entry point: config files → validated model → constructs → stacks → Terraform JSON.
 *
 *   PLATFORM_CONFIG  configuration directory (default `config`)
 *   PREVIEW=offline  providers that plan without AWS credentials (placeholder keys, no assume_role)
 *   BOOTSTRAP=owner  owner stack only, before the network contract exists
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { ConfigError } from './config/errors';
import { loadPlatformConfig } from './config/load';
import { buildApp } from './stacks/app';

function main(): number {
  const configDir = process.env.PLATFORM_CONFIG || 'config';
  const outdir = process.env.CDKTF_OUTDIR || 'cdktf.out';
  let config;
  try {
    config = loadPlatformConfig(configDir, { ownerOnly: process.env.BOOTSTRAP === 'owner' });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }

  // Synthesize beside the output and swap it in only when complete, so a failure never leaves a partial cdktf.out.
  const staging = `${outdir}.staging-${process.pid}`;
  try {
    buildApp(config, { outdir: staging, mode: process.env.PREVIEW === 'offline' ? 'offline-preview' : 'real' }).synth();
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    console.error(`Synthesis failed; ${outdir} was left as it was:\n${(error as Error).stack ?? error}`);
    return 1;
  }
  if (existsSync(outdir)) rmSync(outdir, { recursive: true, force: true });
  renameSync(staging, outdir);
  return 0;
}

process.exitCode = main();
