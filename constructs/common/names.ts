export { boundedName } from '../../contracts/names';

/** Terraform-safe construct id fragment of a file path or name. */
export function idOf(value: string): string {
  return value.replace(/\//g, '--').replace(/[^A-Za-z0-9_-]/g, '_');
}
