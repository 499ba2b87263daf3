import { PLATFORM_TAG_KEYS } from '../../contracts/tags';
import type { PlatformFile } from '../schema/platform';
import type { TeamFile } from '../schema/team';
import type { FieldProblem } from './network';

/**
 * Team and environment tags may not set a key the platform sets (`Platform`, `Team`, `ManagedBy` and every
 * key of platform.yaml's `tags`): the platform's value would win without a word (constructs/common/tags.ts),
 * or, on a resource's own tags, the team's would replace it. Compared without case, since `team` beside `Team`
 * reads as the same tag to anyone filtering a bill.
 */
export function validateTeamTags(platform: Pick<PlatformFile, 'tags'>, team: Pick<TeamFile, 'tags' | 'environments'>): FieldProblem[] {
  const owned = new Map<string, string>();
  for (const key of PLATFORM_TAG_KEYS) owned.set(key.toLowerCase(), `"${key}" is set by the platform on every resource`);
  for (const key of Object.keys(platform.tags)) {
    if (!owned.has(key.toLowerCase())) owned.set(key.toLowerCase(), `"${key}" is set by the platform (tags in platform.yaml)`);
  }
  const check = (tags: Readonly<Record<string, string>>, at: string) =>
    Object.keys(tags).flatMap((key) => {
      const why = owned.get(key.toLowerCase());
      return why ? [{ path: `${at}.${key}`, message: `tag key "${key}" would override the platform's: ${why}; use another key` }] : [];
    });
  return [...check(team.tags, 'tags'), ...team.environments.flatMap((env, i) => check(env.tags, `environments[${i}].tags`))];
}
