import { join } from 'node:path';

/** The project's own root (its code, node_modules); never a source of configuration for a test. */
export const REPO_ROOT = join(__dirname, '..', '..');
/**
 * The tests' platform: a little repository (config/ and teams/) that started as a byte-for-byte copy of the shipped
 * example. Tests read it instead of the working tree's config/ and teams/, which a platform replaces with its own.
 * Team paths resolve against the config directory's parent, so this is what `teams/<team>/…` means for it.
 */
export const FIXTURE_ROOT = join(REPO_ROOT, 'test', 'fixtures', 'platform');
export const FIXTURE_CONFIG = join(FIXTURE_ROOT, 'config');
