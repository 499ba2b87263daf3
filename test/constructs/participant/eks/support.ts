import { App, Testing } from 'cdktf';
import type { PlatformConfig } from '../../../../model/model';
import { ParticipantStack } from '../../../../stacks/participant-stack';
import { loadFixture } from '../../../support/config-fixture';

export interface EksSynth {
  readonly stack: ParticipantStack;
  readonly json: string;
  readonly tf: any;
  /** The app output directory the synth wrote to (manifests live under it). */
  readonly outdir: string;
}

/** Synthesizes one participant stack (default: analytics from the example) the way main.ts does, offline. */
export function synthEks(config: PlatformConfig = loadFixture(), team = 'analytics'): EksSynth {
  const teamConfig = config.teams.find((t) => t.team === team)!;
  const app = Testing.app();
  const stack = new ParticipantStack(app, { config, team: teamConfig, contract: config.contract!, mode: 'offline-preview' });
  const json = Testing.synth(stack);
  return { stack, json, tf: JSON.parse(json), outdir: App.of(stack).outdir };
}

export const resources = (tf: any, type: string): Array<[string, any]> => Object.entries(tf.resource?.[type] ?? {});

export function one(tf: any, type: string, where: (r: any) => boolean = () => true): [string, any] {
  const found = resources(tf, type).filter(([, r]) => where(r));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}

/** `${type.id.attr}` reference as cdktf writes it. */
export const ref = (type: string, id: string, attr: string) => `\${${type}.${id}.${attr}}`;
