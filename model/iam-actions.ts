/**
 * IAM action names as IAM reads them: the service prefix and the name are matched case-insensitively, and `*`
 * (any run of characters) and `?` (one character) are wildcards in the name.
 */

/**
 * Whether `action` grants every action of its service: a name made only of wildcards with at least one `*`
 * (`s3:*`, `S3:*`, `s3:**`, `s3:?*`). `s3:Get*` names a family, not the service.
 */
export function isWholeServiceAction(action: string): boolean {
  return /^[a-z0-9-]+:[*?]*\*[*?]*$/i.test(action);
}

/** Whether `action` only reads, by its verb (Describe, List, Get, BatchGet, Head, View), in any case. */
export function isReadOnlyAction(action: string): boolean {
  return /^[a-z0-9-]+:(Describe|List|Get|BatchGet|Head|View)[A-Za-z0-9*]*$/i.test(action);
}
