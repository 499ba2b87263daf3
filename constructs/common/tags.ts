import type { PlatformFile } from '../../model/model';

/** The only place tags are merged: platform tags, then team tags, then the keys the platform owns (not overridable). */
export function stackTags(platform: PlatformFile, team: string, teamTags: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    ...platform.tags,
    ...teamTags,
    Platform: platform.platform,
    Team: team,
    ManagedBy: 'cdktf',
  };
}

/** Team value used on the owner stack's resources. */
export const OWNER_TEAM = 'platform-owner';
