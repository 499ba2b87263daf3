/**
 * Construct-level tests in the aws-cdk style: `Testing.synthScope`, but inside a PlatformStack, because the
 * platform's constructs read their account, region and partition from `PlatformStack.of(this)`.
 */
import { Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { PlatformStack } from '../../constructs/common/platform-stack';
import type { PlatformFile } from '../../model/model';
import { loadFixture } from './config-fixture';

/** Account of the test stack unless a test names another (not one of the example's accounts, so nothing leaks in). */
export const TEST_ACCOUNT = '123456789012';
export const TEST_REGION = 'eu-west-1';

export interface PlatformScopeOptions {
  /** @default TEST_ACCOUNT */
  readonly accountId?: string;
  /** @default TEST_REGION */
  readonly region?: string;
}

let example: PlatformFile | undefined;

/** A PlatformStack with the example's platform settings in the given account and region, offline providers. */
export class TestPlatformStack extends PlatformStack {
  constructor(scope: Construct, options: PlatformScopeOptions = {}) {
    example ??= loadFixture().platform;
    super(scope, 'test', {
      platform: { ...example, region: options.region ?? TEST_REGION },
      accountId: options.accountId ?? TEST_ACCOUNT,
      team: 'test',
      mode: 'offline-preview',
    });
  }
}

export interface ScopeSynth {
  /** The stack JSON as a string, for cdktf's matchers. */
  readonly json: string;
  /** The parsed stack JSON, for exact assertions. */
  readonly tf: any;
}

/** Like `Testing.synthScope`, in a {@link TestPlatformStack}. */
export function synthPlatformScope(build: (scope: Construct) => void, options?: PlatformScopeOptions): ScopeSynth {
  const stack = new TestPlatformStack(Testing.app(), options);
  build(stack);
  const json = Testing.synth(stack);
  return { json, tf: JSON.parse(json) };
}

/** The single resource of a type (throws when there are none or several). */
export function single(tf: any, type: string): any {
  const all = Object.values(tf.resource?.[type] ?? {});
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** All resources of a type, keyed by id. */
export const all = (tf: any, type: string): Record<string, any> => tf.resource?.[type] ?? {};
