/** The tag keys the platform owns: set on every resource of a stack (provider default tags); no team may set them. */
export const PLATFORM_TAGS = {
  /** The platform's name (platform.yaml `platform`). */
  platform: 'Platform',
  /** The team a stack belongs to (`platform-owner` for the owner stack). */
  team: 'Team',
  /** Who manages the resource: `cdktf` for everything Terraform creates. */
  managedBy: 'ManagedBy',
} as const;

export const PLATFORM_TAG_KEYS = Object.values(PLATFORM_TAGS);

/** `ManagedBy` of every resource Terraform creates. */
export const MANAGED_BY_CDKTF = 'cdktf';

/** Team value used on the owner stack's resources. */
export const OWNER_TEAM = 'platform-owner';

/**
 * The platform's own tags, in this key order (synthesized JSON keeps it): Platform, Team (when the stack has one),
 * ManagedBy. Spread them last, so other tags never override them.
 */
export function platformTags(platform: string, team?: string): Record<string, string> {
  return {
    [PLATFORM_TAGS.platform]: platform,
    ...(team === undefined ? {} : { [PLATFORM_TAGS.team]: team }),
    [PLATFORM_TAGS.managedBy]: MANAGED_BY_CDKTF,
  };
}
