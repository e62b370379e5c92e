/**
 * The layers of nexus-harness, lowest first, and what each may import (architecture.md,
 * "Layers, one way"). `npm run deps` (and .ci/run) fails on a wrong-way import or a cycle.
 * Tests, benchmarks and the test/ folder may reach across layers; shipped code may not.
 */
const LAYERS = {
  util: { path: '^harness/util/', mayImport: [] },
  // The mock's core sits below the scenario model: a scenario's `mock` block is the core's own
  // config schema, as its `client` block is the client's options schema.
  'mock-core': { path: '^mock-server/core/', mayImport: ['util'] },
  model: {
    // The scenario model and the client's options schema (which the scenario's `client` block reuses).
    path: '^(scenarios/model/|harness/client/options-schema\\.ts$)',
    mayImport: ['mock-core', 'util'],
  },
  'builtin-scenarios': { path: '^scenarios/builtin/', mayImport: ['model', 'util'] },
  client: { path: '^harness/client/', mayImport: ['model', 'util'] },
  'mock-faces': { path: '^mock-server/(http|msw)/', mayImport: ['mock-core', 'util'] },
  engine: { path: '^harness/engine/', mayImport: ['client', 'mock-core', 'model', 'util'] },
  service: { path: '^harness/service/', mayImport: ['client', 'model', 'util'] },
  contracts: { path: '^contracts/', mayImport: ['client', 'mock-core', 'mock-faces', 'model', 'util'] },
  targets: {
    path: '^harness/targets/',
    mayImport: ['contracts', 'engine', 'client', 'mock-faces', 'mock-core', 'model', 'util'],
  },
  runners: {
    path: '^harness/runners/',
    mayImport: ['targets', 'engine', 'client', 'mock-core', 'model', 'util'],
  },
  reports: { path: '^reports/', mayImport: ['engine', 'model', 'util'] },
  entry: {
    // The package's public entry points: re-exports of the layers below.
    path: '^harness/entry/',
    mayImport: [
      'targets',
      'contracts',
      'engine',
      'client',
      'mock-faces',
      'mock-core',
      'model',
      'builtin-scenarios',
      'util',
    ],
  },
  cli: { path: '^harness/cli/', mayImport: [] },
};

const NOT_SHIPPED = '(\\.test\\.ts$|^test/|^bench/|/test-[^/]*\\.ts$)';

const ownLayers = Object.keys(LAYERS).filter((name) => name !== 'cli');
const anyLayer = Object.values(LAYERS)
  .map((l) => `(${l.path})`)
  .join('|');

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle hides which part is below which; break it by moving the shared piece down.',
      from: { pathNot: NOT_SHIPPED },
      to: { circular: true },
    },
    ...ownLayers.map((name) => {
      const layer = LAYERS[name];
      const allowed = [name, ...layer.mayImport].map((n) => `(${LAYERS[n].path})`).join('|');
      return {
        name: `layer-${name}`,
        severity: 'error',
        comment: `${name} may import only ${layer.mayImport.length ? layer.mayImport.join(', ') : 'nothing of ours'} (.dependency-cruiser.cjs).`,
        from: { path: layer.path, pathNot: NOT_SHIPPED },
        to: { path: anyLayer, pathNot: allowed },
      };
    }),
    {
      name: 'no-test-code-in-shipped-code',
      severity: 'error',
      comment: 'Shipped code must not import tests or test helpers: they are not in the package.',
      from: { pathNot: NOT_SHIPPED },
      to: { path: NOT_SHIPPED },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
