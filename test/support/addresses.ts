import { Testing, type TerraformStack } from 'cdktf';
import type { PlatformConfig } from '../../model/model';
import { buildApp } from '../../stacks/app';

/** Resource addresses (`type.logical_id`) of a synthesized stack JSON, sorted. */
export function resourceAddresses(tf: any): string[] {
  return Object.entries(tf.resource ?? {})
    .flatMap(([type, byId]) => Object.keys(byId as object).map((id) => `${type}.${id}`))
    .sort();
}

/** The stack's `moved` blocks as `from -> to` lines, sorted. */
export function movedBlocks(tf: any): string[] {
  return ((tf.moved ?? []) as Array<{ from: string; to: string }>).map((m) => `${m.from} -> ${m.to}`).sort();
}

/** Every stack of the app built from `config`, synthesized in memory, by stack name. */
export function synthAll(config: PlatformConfig): Map<string, any> {
  const app = buildApp(config, { outdir: 'cdktf.out.unused' });
  const stacks = new Map<string, any>();
  for (const child of app.node.children) stacks.set(child.node.id, JSON.parse(Testing.synth(child as TerraformStack)));
  return stacks;
}
