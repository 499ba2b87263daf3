/** Tag keys the platform sets on every resource of a stack (provider default tags); no team may set them. */
export const PLATFORM_TAG_KEYS = ['Platform', 'Team', 'ManagedBy'] as const;
