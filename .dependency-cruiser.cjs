/**
 * Import direction, checked in `npm test` (`npm run deps`); test/dependency-rules.test.ts proves each rule fails
 * on a violation in a fixture tree:
 *   contracts ← model ← constructs ← stacks ← main.ts
 *   contracts import nothing but other contracts (no package, no Node built-in): they ship inside the Lambda bundle;
 *   the Lambda imports only contracts; tools and the mwaa CLI import contracts and model, never constructs or stacks;
 *   outside tools/rules, only its public API (tools/rules/index.ts) is imported;
 *   the modules whose header promises "pure" import no AWS SDK and neither node:fs nor node:child_process;
 *   every file belongs to a layer.
 */
const LAYERS = {
  contracts: { path: '^contracts/', mayImport: ['contracts/'] },
  model: { path: '^model/', mayImport: ['contracts/', 'model/'] },
  // The endpoint manager construct packages the Lambda with its bundler; nothing else of the Lambda is imported.
  constructs: { path: '^constructs/', mayImport: ['contracts/', 'model/', 'constructs/', 'lambda/endpoint-manager/bundle\\.ts$'] },
  stacks: { path: '^stacks/', mayImport: ['contracts/', 'model/', 'constructs/', 'stacks/'] },
  main: { path: '^main\\.ts$', mayImport: ['contracts/', 'model/', 'stacks/'] },
  lambda: { path: '^lambda/endpoint-manager/src/', mayImport: ['contracts/', 'lambda/endpoint-manager/src/'] },
  // The Lambda's bundler runs at synthesis (esbuild), beside the code it bundles; it reads the Node target from contracts.
  'lambda-bundler': { path: '^lambda/endpoint-manager/bundle\\.ts$', mayImport: ['contracts/'] },
  tools: { path: '^tools/', mayImport: ['contracts/', 'model/', 'tools/'] },
  'mwaa-cli': { path: '^mwaa-cli/', mayImport: ['contracts/', 'model/', 'mwaa-cli/'] },
};

/** Modules whose header says they are pure (decisions, parsing, documents): no SDK, no file system, no processes. */
const PURE = [
  '^constructs/bootstrap/policies\\.ts$',
  '^lambda/endpoint-manager/src/(decide|event|names|policy|reconcile-plan)\\.ts$',
  '^model/(airflow-versions|synth-settings|team-files-diff)\\.ts$',
  '^mwaa-cli/(args|protocol)\\.ts$',
  '^tools/apply/(targets|wait)\\.ts$',
  '^tools/plan-review/(changes|cost|environments|levels|review|synth-index|team-files)\\.ts$',
];

const OWN_CODE = '^(contracts|model|constructs|stacks|lambda|tools|mwaa-cli|main\\.ts)';
const layerRule = (name, { path, mayImport }) => ({
  name: `layer-${name}`,
  comment: `${name} may import only ${mayImport.join(', ')} (and packages)`,
  severity: 'error',
  from: { path },
  to: { path: OWN_CODE, pathNot: mayImport.map((p) => `^${p}`) },
});
const inNoLayer = Object.values(LAYERS).map((l) => l.path);

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    ...Object.entries(LAYERS).map(([name, layer]) => layerRule(name, layer)),
    {
      name: 'contracts-import-no-packages',
      comment: 'contracts/ is dependency-free: no npm package and no Node built-in, only other contracts (its hash is contracts/sha256.ts)',
      severity: 'error',
      from: { path: '^contracts/' },
      to: { pathNot: '^contracts/' },
    },
    {
      name: 'rules-independent-of-plan-review',
      comment: 'the security rules are a tool of their own; the plan review uses them, never the other way round',
      severity: 'error',
      from: { path: '^tools/rules/' },
      to: { path: '^tools/plan-review/' },
    },
    {
      name: 'rules-public-api-only',
      comment: 'outside tools/rules, only its index (the public API) is imported, so a rule file can move or change freely',
      severity: 'error',
      from: { pathNot: '^tools/rules/' },
      to: { path: '^tools/rules/', pathNot: '^tools/rules/index\\.ts$' },
    },
    {
      name: 'pure-no-sdk',
      comment: 'a module whose header promises "pure" imports no AWS SDK (adapters do that)',
      severity: 'error',
      from: { path: PURE },
      to: { path: ['(^|/)node_modules/@aws-sdk/', '(^|/)node_modules/@smithy/'] },
    },
    {
      name: 'pure-no-fs-or-processes',
      comment: 'a module whose header promises "pure" reads no files and starts no processes',
      severity: 'error',
      from: { path: PURE },
      to: { dependencyTypes: ['core'], path: '^(node:)?(fs|fs/promises|child_process)$' },
    },
    {
      name: 'every-file-in-a-layer',
      comment: 'each source file belongs to one of the layers above (add it to LAYERS with what it may import)',
      severity: 'error',
      from: { pathNot: inNoLayer },
      to: {},
    },
    {
      name: 'every-file-in-a-layer-even-without-imports',
      comment: 'each source file belongs to one of the layers above, also one that imports nothing',
      severity: 'error',
      from: { orphan: true, pathNot: inNoLayer },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Packages stay in the graph (not followed), so the rules about packages and the SDK see them.
    exclude: { path: '^(cdktf\\.out|test)/' },
  },
};
