import { createHash } from 'node:crypto';

/**
 * `name` when it fits `max` characters, else a prefix of it plus a short hash, so long team or
 * environment names still give valid, stable and distinct AWS names.
 */
export function boundedName(name: string, max: number): string {
  if (name.length <= max) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, max - hash.length - 1).replace(/[-_.]+$/, '')}-${hash}`;
}

/** Terraform-safe construct id fragment of a file path or name. */
export function idOf(value: string): string {
  return value.replace(/\//g, '--').replace(/[^A-Za-z0-9_-]/g, '_');
}
