/**
 * Import direction, checked in `npm test` (`npm run deps`):
 *   contracts ← model ← constructs ← stacks ← main.ts
 *   the Lambda imports only contracts; tools and the mwaa CLI import contracts and model, never constructs or stacks.
 */
const layer = (name, path, mayImport) => ({
  name: `${name}-imports-only-${mayImport.join('-')}`,
  comment: `${name} may import only ${mayImport.join(', ')} (and packages)`,
  severity: 'error',
  from: { path },
  to: { path: '^(contracts|model|constructs|stacks|lambda|tools|mwaa-cli|main\\.ts)', pathNot: mayImport.map((p) => `^${p}`) },
});

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    layer('contracts', '^contracts/', ['contracts/']),
    layer('model', '^model/', ['contracts/', 'model/']),
    // The endpoint manager construct packages the Lambda with its bundler; nothing else of the Lambda is imported.
    layer('constructs', '^constructs/', ['contracts/', 'model/', 'constructs/', 'lambda/endpoint-manager/bundle\\.ts$']),
    layer('stacks', '^stacks/', ['contracts/', 'model/', 'constructs/', 'stacks/']),
    layer('lambda', '^lambda/endpoint-manager/src/', ['contracts/', 'lambda/endpoint-manager/src/']),
    layer('tools', '^tools/', ['contracts/', 'model/', 'tools/']),
    layer('mwaa-cli', '^mwaa-cli/', ['contracts/', 'model/', 'mwaa-cli/']),
    {
      name: 'rules-independent-of-plan-review',
      comment: 'the security rules are a tool of their own; the plan review uses them, never the other way round',
      severity: 'error',
      from: { path: '^tools/rules/' },
      to: { path: '^tools/plan-review/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(node_modules|cdktf\\.out|test)/' },
  },
};
