/**
 * The layer rules of .dependency-cruiser.cjs fail on a violation: dependency-cruiser runs with the project's own
 * configuration over a tiny fixture tree (same folder names) that breaks each rule once, and over a clean tree.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..');
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
const FOLDERS = ['main.ts', 'contracts', 'model', 'constructs', 'stacks', 'lambda', 'tools', 'mwaa-cli', 'misc'];

type Tree = Record<string, string>;
const imports = (...specifiers: string[]) =>
  specifiers.map((s, i) => `import * as m${i} from '${s}';\nvoid m${i};\n`).join('') || 'export {};\n';

function write(files: Tree): string {
  const dir = mkdtempSync(join(tmpdir(), 'depcruise-'));
  const all: Tree = {
    'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs', moduleResolution: 'node', esModuleInterop: true } }),
    'node_modules/@aws-sdk/client-s3/package.json': JSON.stringify({ name: '@aws-sdk/client-s3', main: 'index.js' }),
    'node_modules/@aws-sdk/client-s3/index.js': 'module.exports = {};\n',
    'node_modules/some-package/package.json': JSON.stringify({ name: 'some-package', main: 'index.js' }),
    'node_modules/some-package/index.js': 'module.exports = {};\n',
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** `rule from → to` for each violation dependency-cruiser reports with the project's configuration. */
function violations(dir: string): string[] {
  const present = FOLDERS.filter((f) => spawnSync('test', ['-e', join(dir, f)]).status === 0);
  const r = spawnSync(
    process.execPath,
    [DEPCRUISE, '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json', ...present],
    { cwd: dir, encoding: 'utf8' },
  );
  if (!r.stdout) throw new Error(`dependency-cruiser printed nothing (exit ${r.status}):\n${r.stderr}`);
  const result = JSON.parse(r.stdout);
  return result.summary.violations.map((v: any) => `${v.rule.name} ${v.from} → ${v.to}`).sort();
}

// Files every tree has, so the rules' targets exist.
const BASE: Tree = {
  'contracts/names.ts': imports('./sha256'),
  'contracts/sha256.ts': imports(),
  'model/load.ts': imports('../contracts/names', 'node:fs', 'some-package'),
  'constructs/bucket.ts': imports('../model/load', '../lambda/endpoint-manager/bundle'),
  'stacks/app.ts': imports('../constructs/bucket'),
  'main.ts': imports('./stacks/app', './model/load'),
  'lambda/endpoint-manager/src/decide.ts': imports('../../../contracts/names'),
  'lambda/endpoint-manager/src/aws.ts': imports('./decide', '@aws-sdk/client-s3'),
  'lambda/endpoint-manager/bundle.ts': imports('../../contracts/names', 'node:path'),
  'tools/rules/index.ts': imports('./checks/wildcard'),
  'tools/rules/checks/wildcard.ts': imports('../../../contracts/names'),
  'tools/plan-review/levels.ts': imports('../rules', '../../model/load'),
  'tools/plan-review/run.ts': imports('./levels', 'node:child_process', 'node:fs', '@aws-sdk/client-s3'),
  'mwaa-cli/args.ts': imports('../contracts/names'),
  'mwaa-cli/cli.ts': imports('./args', '../model/load', '@aws-sdk/client-s3'),
};

describe('dependency rules (.dependency-cruiser.cjs)', () => {
  it('pass a tree that keeps every rule', () => {
    expect(violations(write(BASE))).toEqual([]);
  });

  it('fail each rule on its violation', () => {
    const dir = write({
      ...BASE,
      // Layers importing a layer they may not.
      'contracts/bad-layer.ts': imports('../model/load'),
      'model/bad-layer.ts': imports('../constructs/bucket'),
      'constructs/bad-layer.ts': imports('../stacks/app'),
      'stacks/bad-layer.ts': imports('../tools/plan-review/levels'),
      'lambda/endpoint-manager/src/bad-layer.ts': imports('../../../model/load'),
      'lambda/endpoint-manager/bundle.ts': imports('../../contracts/names', '../../model/load'),
      'tools/bad-layer.ts': imports('../constructs/bucket'),
      'mwaa-cli/bad-layer.ts': imports('../stacks/app'),
      'main.ts': imports('./stacks/app', './tools/plan-review/levels'),
      // contracts import no package and no Node module, not even the hash.
      'contracts/bad-package.ts': imports('some-package', 'node:fs', 'node:crypto'),
      // The rules' files only through their index, and never the plan review from the rules.
      'tools/plan-review/changes.ts': imports('../rules/checks/wildcard'),
      'tools/rules/bad.ts': imports('../plan-review/levels'),
      // Pure modules: no SDK, no file system, no processes.
      'lambda/endpoint-manager/src/policy.ts': imports('@aws-sdk/client-s3', 'node:fs'),
      'tools/plan-review/cost.ts': imports('node:child_process', 'fs'),
      // Files in no layer, with and without imports.
      'misc/loose.ts': imports('../contracts/names'),
      'misc/alone.ts': imports(),
      // A cycle.
      'model/a.ts': imports('./b'),
      'model/b.ts': imports('./a'),
    });
    expect(violations(dir)).toEqual(
      [
        'layer-constructs constructs/bad-layer.ts → stacks/app.ts',
        'contracts-import-no-packages contracts/bad-layer.ts → model/load.ts',
        'contracts-import-no-packages contracts/bad-package.ts → crypto',
        'contracts-import-no-packages contracts/bad-package.ts → fs',
        'contracts-import-no-packages contracts/bad-package.ts → node_modules/some-package/index.js',
        'layer-contracts contracts/bad-layer.ts → model/load.ts',
        'every-file-in-a-layer misc/loose.ts → contracts/names.ts',
        'every-file-in-a-layer-even-without-imports misc/alone.ts → misc/alone.ts',
        'layer-lambda-bundler lambda/endpoint-manager/bundle.ts → model/load.ts',
        'layer-lambda lambda/endpoint-manager/src/bad-layer.ts → model/load.ts',
        'layer-main main.ts → tools/plan-review/levels.ts',
        'layer-model model/bad-layer.ts → constructs/bucket.ts',
        'layer-mwaa-cli mwaa-cli/bad-layer.ts → stacks/app.ts',
        'no-circular model/a.ts → model/b.ts',
        'pure-no-fs-or-processes lambda/endpoint-manager/src/policy.ts → fs',
        'pure-no-fs-or-processes tools/plan-review/cost.ts → child_process',
        'pure-no-fs-or-processes tools/plan-review/cost.ts → fs',
        'pure-no-sdk lambda/endpoint-manager/src/policy.ts → node_modules/@aws-sdk/client-s3/index.js',
        'rules-independent-of-plan-review tools/rules/bad.ts → tools/plan-review/levels.ts',
        'rules-public-api-only tools/plan-review/changes.ts → tools/rules/checks/wildcard.ts',
        'layer-stacks stacks/bad-layer.ts → tools/plan-review/levels.ts',
        'layer-tools tools/bad-layer.ts → constructs/bucket.ts',
      ].sort(),
    );
  });
});
