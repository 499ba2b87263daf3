import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ENDPOINT_MANAGER_NODE_TARGET, ENDPOINT_MANAGER_RUNTIME } from '../../../contracts/endpoint-manager';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const PACKAGE_DIR = path.join(ROOT, 'lambda', 'endpoint-manager');
const manifest = JSON.parse(readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8')) as {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};
const rootManifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  workspaces?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

/** Packages the Lambda's source imports (bare specifiers, type-only imports included), `node:` builtins excluded. */
function importedPackages(): string[] {
  const files = [
    path.join(PACKAGE_DIR, 'bundle.ts'),
    ...readdirSync(path.join(PACKAGE_DIR, 'src')).map((f) => path.join(PACKAGE_DIR, 'src', f)),
  ];
  const names = new Set<string>();
  for (const file of files) {
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '([^'.][^']*)'/g)) {
      if (spec.startsWith('node:')) continue;
      names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    }
  }
  return [...names].sort();
}

describe('lambda/endpoint-manager as its own package', () => {
  test('is a workspace of the root package, so a root npm ci installs it', () => {
    expect(rootManifest.workspaces).toEqual(['lambda/endpoint-manager']);
    expect(manifest.name).toBe('@mwaa-platform/endpoint-manager');
  });

  test('declares every package its source imports: Powertools as a dependency (bundled), the SDK as devDependencies (the runtime provides it)', () => {
    const sdk = importedPackages().filter((p) => p.startsWith('@aws-sdk/'));
    expect(sdk).toEqual(['@aws-sdk/client-ec2', '@aws-sdk/client-mwaa', '@aws-sdk/client-sts']);
    expect(Object.keys(manifest.dependencies ?? {})).toEqual(['@aws-lambda-powertools/logger']);
    const declared = { ...manifest.dependencies, ...manifest.devDependencies };
    const types = (p: string) => `@types/${p}`;
    expect(importedPackages().filter((p) => !(p in declared) && !(types(p) in declared))).toEqual([]);
  });

  test('versions it shares with the root package are the same, so npm installs one copy', () => {
    const root = { ...rootManifest.dependencies, ...rootManifest.devDependencies };
    const shared = Object.entries({ ...manifest.dependencies, ...manifest.devDependencies }).filter(([p]) => p in root);
    expect(shared.filter(([p, v]) => root[p] !== v)).toEqual([]);
    expect(shared.map(([p]) => p)).toEqual(
      expect.arrayContaining(['@aws-sdk/client-mwaa', '@aws-sdk/client-sts', 'esbuild', 'typescript']),
    );
  });

  test('the bundle targets the Node.js major of the runtime the function runs on', () => {
    const major = /^nodejs(\d+)\.x$/.exec(ENDPOINT_MANAGER_RUNTIME)?.[1];
    expect(major).toBeDefined();
    expect(ENDPOINT_MANAGER_NODE_TARGET).toBe(`node${major}`);
  });
});
