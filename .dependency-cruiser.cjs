/**
 * The layers of nexus-harness, lowest first, and what each may import (architecture.md,
 * "Layers, one way"). `npm run deps` (and .ci/run) fails on a wrong-way import, a cycle, a
 * file of ours in no layer, an import that does not resolve, or an import of the package by
 * its own name. Tests, benchmarks and the test/ folder may reach across layers; shipped code
 * may not.
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
  'mock-faces': { path: '^mock-server/(http|msw|nock)/', mayImport: ['mock-core', 'util'] },
  engine: { path: '^harness/engine/', mayImport: ['client', 'mock-core', 'model', 'util'] },
  service: { path: '^harness/service/', mayImport: ['client', 'model', 'util'] },
  // The chat app (fastify) that ties the service layer together; a target starts it.
  app: { path: '^harness/app/', mayImport: ['service', 'client', 'model', 'util'] },
  contracts: { path: '^contracts/', mayImport: ['client', 'mock-core', 'mock-faces', 'model', 'util'] },
  targets: {
    path: '^harness/targets/',
    mayImport: [
      'app',
      'service',
      'contracts',
      'engine',
      'client',
      'mock-faces',
      'mock-core',
      'model',
      'util',
    ],
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
      'app',
      'service',
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
  // The build's own scripts (npm run build): plain node, nothing of ours.
  scripts: { path: '^scripts/', mayImport: [] },
};

const NOT_SHIPPED = '(\\.test\\.ts$|^test/|^bench/|/test-[^/]*\\.ts$)';

/** The folders our code lives in (what `npm run deps` cruises); every file there is in a layer. */
const OUR_CODE = '^(harness|scenarios|mock-server|contracts|reports|scripts)/';

const ownLayers = Object.keys(LAYERS).filter((name) => name !== 'cli');
const anyLayer = Object.values(LAYERS)
  .map((l) => `(${l.path})`)
  .join('|');

/** The package's own name: `import … from 'nexus-harness/engine'` inside it. */
const OWN_NAME = `^${require('./package.json').name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(/|$)`;

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
      name: 'every-file-in-a-layer',
      severity: 'error',
      comment:
        'A file in no layer is checked by no layer rule, so anything may import it and it may import anything: ' +
        'it would launder a wrong-way import. Move it into a layer folder, or add its path to LAYERS.',
      from: { path: OUR_CODE, pathNot: `${anyLayer}|${NOT_SHIPPED}` },
      to: {},
    },
    {
      name: 'no-import-of-unlayered-code',
      severity: 'error',
      comment: 'This file is in no layer (see every-file-in-a-layer): importing it bypasses the layer rules.',
      from: { pathNot: NOT_SHIPPED },
      to: { path: OUR_CODE, pathNot: `${anyLayer}|${NOT_SHIPPED}` },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'An import that does not resolve is checked by no rule (and fails at run time): fix the path or add the dependency.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-self-import-by-name',
      severity: 'error',
      comment:
        "Shipped code must import the package's own modules by relative path, not by the package name " +
        '(that resolves to the build output, or not at all, and hides which layer is imported).',
      from: { pathNot: NOT_SHIPPED },
      to: { path: `${OWN_NAME}|^dist/` },
    },
    {
      name: 'no-test-code-in-shipped-code',
      severity: 'error',
      comment: 'Shipped code must not import tests or test helpers: they are not in the package.',
      from: { pathNot: NOT_SHIPPED },
      to: { path: NOT_SHIPPED },
    },
  ],
  options: {
    // dist/ is not followed but kept as a dependency target, so an import that resolves into the
    // build output (the package's own name, once built) is seen by no-self-import-by-name.
    doNotFollow: { path: ['node_modules', '^dist/'] },
    exclude: { path: '^node_modules/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.js'],
      // As Node resolves our imports (ESM), so packages' exports subpaths (tsx/esm/api) resolve.
      exportsFields: ['exports'],
      conditionNames: ['import', 'node', 'default'],
    },
  },
};
