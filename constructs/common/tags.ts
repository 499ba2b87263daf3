import { platformTags } from '../../contracts/tags';
import type { PlatformFile } from '../../model/model';

export { OWNER_TEAM } from '../../contracts/tags';

/** The only place tags are merged: platform tags, then team tags, then the keys the platform owns (not overridable). */
export function stackTags(platform: PlatformFile, team: string, teamTags: Readonly<Record<string, string>> = {}): Record<string, string> {
  return { ...platform.tags, ...teamTags, ...platformTags(platform.platform, team) };
}
