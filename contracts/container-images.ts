/**
 * Where the pods of a team's EKS cluster can pull images from: the shared VPC has no internet route, so only the
 * private ECR registry of the team's own account (through the ecr.api/ecr.dkr endpoints and the S3 gateway),
 * including the pull-through cache of ECR Public that the team's cluster creates under {@link ECR_PUBLIC_CACHE_PREFIX}.
 */

/** Repository prefix of the ECR pull-through cache rule for `public.ecr.aws` in every team account with EKS. */
export const ECR_PUBLIC_CACHE_PREFIX = 'ecr-public';

/** The private ECR registry host of an account in a region: `<account>.dkr.ecr.<region>.amazonaws.com`. */
export const ecrRegistryHost = (accountId: string, region: string): string => `${accountId}.dkr.ecr.${region}.amazonaws.com`;
