/**
 * Credentials that cannot reach the platform's roles: any AWS credentials in the shell make `npm run plan` plan
 * live, and Terraform then fails in every stack while configuring the provider. Recognised from Terraform's
 * message so the run can say, in one line, that `PREVIEW=offline` plans without them. Pure.
 */

/**
 * What the AWS provider (aws-sdk-go-base) prints when it cannot get or use credentials: the role cannot be
 * assumed (unknown host, access denied), no credential source, or STS rejects the identity.
 */
const CREDENTIAL_FAILURES: readonly RegExp[] = [
  /Cannot assume IAM Role/i,
  /No valid credential sources found/i,
  /validating provider credentials/i,
  /retrieving caller identity from STS/i,
  /failed to refresh cached credentials/i,
  /\b(InvalidClientTokenId|ExpiredToken|ExpiredTokenException|UnrecognizedClientException|SignatureDoesNotMatch)\b/,
];

/** Whether a stack's plan failed for its credentials rather than its configuration. */
export const isCredentialFailure = (message: string): boolean => CREDENTIAL_FAILURES.some((r) => r.test(message));

/** The one line the run prints when credentials failed (undefined when none did). */
export function credentialHint(failures: ReadonlyArray<{ readonly stack: string; readonly message: string }>): string | undefined {
  const stacks = failures.filter((f) => isCredentialFailure(f.message)).map((f) => f.stack);
  if (!stacks.length) return undefined;
  return (
    `plan: the AWS credentials in this shell cannot reach the platform's roles (${stacks.join(', ')}); ` +
    '`PREVIEW=offline npm run plan` plans without them (docs/plan-review.md, "Which mode applies")'
  );
}
