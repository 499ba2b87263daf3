import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TerraformError, isInitialized, needsInit } from '../../../tools/lib/terraform';

describe('skipping a redundant terraform init', () => {
  it('treats a directory with a lock file and installed providers as initialized', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tf-init-'));
    expect(isInitialized(dir)).toBe(false);
    writeFileSync(join(dir, '.terraform.lock.hcl'), '');
    expect(isInitialized(dir)).toBe(false);
    mkdirSync(join(dir, '.terraform', 'providers'), { recursive: true });
    expect(isInitialized(dir)).toBe(true);
  });

  it.each([
    ['Error: Backend initialization required, please run "terraform init"'],
    ['Error: Inconsistent dependency lock file'],
    ['Error: Required plugins are not installed ... run "terraform init"'],
  ])('re-initializes when terraform says: %s', (stderr) => {
    expect(needsInit(new TerraformError(`terraform plan exited 1:\n${stderr}`, ['plan'], '.', 1, stderr))).toBe(true);
  });

  it('does not hide other plan errors behind a re-init', () => {
    expect(needsInit(new TerraformError('terraform plan exited 1:\nError: Invalid reference', ['plan'], '.', 1, ''))).toBe(false);
    expect(needsInit(new Error('terraform init'))).toBe(false);
  });
});
