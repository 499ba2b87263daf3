import { loadPlatformConfig } from '../../../../model/load';
import type { PlatformConfig } from '../../../../model/model';
import { fixtureConfigWith, type ConfigEdits } from '../../../support/config-fixture';
import { resourcesOf, synthParticipant } from '../../../support/synth';

/** The example configuration with edits, loaded (and so validated). */
export function configWith(edits: ConfigEdits): PlatformConfig {
  return loadPlatformConfig(fixtureConfigWith(edits));
}

/** The single resource of `type` whose address contains `fragment`. */
export function resourceNamed(tf: any, type: string, fragment: string): any {
  const matches = Object.entries(resourcesOf(tf, type)).filter(([id]) => id.includes(fragment));
  if (matches.length !== 1)
    throw new Error(`expected one ${type} matching ${fragment}, found ${matches.map(([id]) => id).join(', ') || 'none'}`);
  return matches[0][1];
}

/** Address (`type.id`) of the single resource of `type` whose id contains `fragment`. */
export function addressOf(tf: any, type: string, fragment: string): string {
  const ids = Object.keys(resourcesOf(tf, type)).filter((id) => id.includes(fragment));
  if (ids.length !== 1) throw new Error(`expected one ${type} matching ${fragment}, found ${ids.join(', ') || 'none'}`);
  return `${type}.${ids[0]}`;
}

/** Parsed JSON policy of the inline policy attached to the role whose id contains `roleFragment`. */
export function inlinePolicyOf(tf: any, roleFragment: string): any {
  const role = addressOf(tf, 'aws_iam_role', roleFragment);
  const policy = Object.values(resourcesOf(tf, 'aws_iam_role_policy')).find((p: any) => p.role === `\${${role}.id}`) as any;
  if (!policy) throw new Error(`no inline policy on ${role}`);
  return JSON.parse(policy.policy);
}

export const statement = (policy: any, sid: string) => {
  const found = policy.Statement.find((s: any) => s.Sid === sid);
  if (!found) throw new Error(`no statement ${sid} in ${JSON.stringify(policy)}`);
  return found;
};

export { synthParticipant, resourcesOf };
