/**
 * The tests' synthesis helpers, one set for every level:
 * - stacks: {@link synthOwner} and {@link synthParticipant} (a whole stack from a configuration);
 * - constructs: {@link synthPlatformScope} in a {@link TestPlatformStack}, in the aws-cdk style of `Testing.synthScope`;
 * - the command: {@link runMain}, main.ts's synthesis in this process;
 * - reading the result: {@link resourcesOf} and {@link only}.
 *
 * A stack's synthesis is shared by the whole test run: the JSON of each (configuration, stack, mode) is kept in the
 * run's scratch directory, and every caller parses its own copy, so no test can change what another one reads.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Testing } from 'cdktf';
import type { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { ProviderMode } from '../../constructs/common/account-provider';
import { PlatformStack } from '../../constructs/common/platform-stack';
import { main } from '../../main';
import type { PlatformConfig, PlatformFile } from '../../model/model';
import { OwnerStack } from '../../stacks/owner-stack';
import { ParticipantStack } from '../../stacks/participant-stack';
import { loadFixture } from './config-fixture';

export interface SynthesizedStack {
  /** The stack JSON as a string, for cdktf's matchers. */
  readonly json: string;
  /** The parsed stack JSON, for exact assertions (the caller's own copy). */
  readonly tf: any;
}

const parsed = (json: string): SynthesizedStack => ({ json, tf: JSON.parse(json) });

/**
 * The stack's JSON from the run's cache, or `build`'s synthesis written into it. The key is the whole configuration
 * (its content, DAG bytes included) with the stack and mode: an edited configuration is another key. Without the
 * run's scratch directory (a suite started without jest's global setup) nothing is kept.
 */
function shared(key: unknown, build: () => TerraformStack): SynthesizedStack {
  const scratch = process.env.MWAA_TEST_SCRATCH;
  if (!scratch) return parsed(Testing.synth(build()));
  const dir = join(scratch, 'stack-synth');
  const file = join(dir, `${createHash('sha256').update(JSON.stringify(key)).digest('hex')}.json`);
  if (existsSync(file)) return parsed(readFileSync(file, 'utf8'));
  const json = Testing.synth(build());
  mkdirSync(dir, { recursive: true });
  // Written aside and renamed: a worker reading it concurrently sees all of it or nothing.
  const partial = `${file}.${process.pid}`;
  writeFileSync(partial, json);
  renameSync(partial, file);
  return parsed(json);
}

export function synthOwner(config: PlatformConfig, mode: ProviderMode = 'real'): SynthesizedStack {
  return shared({ stack: 'owner', mode, config }, () => new OwnerStack(Testing.app(), { config, mode }));
}

export function synthParticipant(config: PlatformConfig, team: string, mode: ProviderMode = 'real'): SynthesizedStack {
  const teamConfig = config.teams.find((t) => t.team === team);
  if (!teamConfig || !config.contract) throw new Error(`no team ${team} or no contract in the test config`);
  const contract = config.contract;
  return shared(
    { stack: 'participant', team, mode, config },
    () => new ParticipantStack(Testing.app(), { config, team: teamConfig, contract, mode }),
  );
}

/** Account of the test stack unless a test names another (not one of the fixture's accounts, so nothing leaks in). */
export const TEST_ACCOUNT = '123456789012';
export const TEST_REGION = 'eu-west-1';

export interface PlatformScopeOptions {
  /** @default TEST_ACCOUNT */
  readonly accountId?: string;
  /** @default TEST_REGION */
  readonly region?: string;
}

let fixturePlatform: PlatformFile | undefined;

/** A PlatformStack with the fixture's platform settings in the given account and region, offline providers. */
export class TestPlatformStack extends PlatformStack {
  constructor(scope: Construct, options: PlatformScopeOptions = {}) {
    fixturePlatform ??= loadFixture().platform;
    super(scope, 'test', {
      platform: { ...fixturePlatform, region: options.region ?? TEST_REGION },
      accountId: options.accountId ?? TEST_ACCOUNT,
      team: 'test',
      mode: 'offline-preview',
    });
  }
}

/**
 * Like `Testing.synthScope`, in a {@link TestPlatformStack}: construct-level tests, since the platform's constructs
 * read their account, region and partition from `PlatformStack.of(this)`. Never shared: `build` is the test's own.
 */
export function synthPlatformScope(build: (scope: Construct) => void, options?: PlatformScopeOptions): SynthesizedStack {
  const stack = new TestPlatformStack(Testing.app(), options);
  build(stack);
  return parsed(Testing.synth(stack));
}

export interface MainRun {
  /** main's exit code. */
  readonly status: number;
  /** What it printed, one newline-terminated line per call, as the command prints it. */
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * main.ts's synthesis (what `npm run synth` runs) in this process, with the test's environment over this one's.
 * Process-level behaviour (the exit status of the command itself) keeps its own tests in test/main.test.ts.
 */
export function runMain(env: Readonly<Record<string, string>>): MainRun {
  let stdout = '';
  let stderr = '';
  const status = main({ ...process.env, ...env }, { log: (line) => (stdout += `${line}\n`), error: (line) => (stderr += `${line}\n`) });
  return { status, stdout, stderr };
}

/** All resources of one type, by construct-derived id. */
export function resourcesOf(tf: any, type: string): Record<string, any> {
  return tf.resource?.[type] ?? {};
}

/** The single resource of a type (throws when there are none or several). */
export function only(tf: any, type: string): any {
  const all = Object.values(resourcesOf(tf, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}
