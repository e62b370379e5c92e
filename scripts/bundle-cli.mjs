// `npm run build`, after tsc: bundles the bin (dist/harness/cli/main.js and what it imports)
// into one CommonJS script, dist/cli/nexus-harness.cjs, with esbuild, writes V8's code cache of
// it, and writes the bin dist/cli/main.js (scripts/cli-loader.mjs) that runs it through that
// cache. Every user's run is a cold start: resolving, reading and linking some 330 modules was
// about a third of the CPU a 10 s run spent outside its load window, and compiling what they
// hold another fifth. One script (not ESM chunks: Node 20 has no code cache for ES modules)
// loads as one file and compiles from the cache.
//
// What is bundled: the project's own compiled code, and the npm packages on the cold path of
// every command (START_PACKAGES) with whatever they import. Every other package stays a
// require() of node_modules (heavy, optional or loaded only by some commands: Pact, MSW, fastify,
// ioredis, autocannon, tsx, …), made only when the code needing it runs. Lazy `import()`s of
// the project's modules stay lazy: their module bodies run on first use.
//
// The library's entry points (`nexus-harness/engine`, …) are not bundled: they stay tsc's
// dist/harness/entry/*.js, so a user's bundler and types see ordinary modules.
//
// Code in the bundle must not find files beside itself by `import.meta.url` (the bundle lives in
// dist/cli/, not where its source was): use `packageRoot()` (harness/util/package-root.ts).
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist/harness/cli/main.js');
const outdir = join(root, 'dist/cli');
const bundleFile = join(outdir, 'nexus-harness.cjs');

/** npm packages every command loads at start: bundled, with their own dependencies. */
const START_PACKAGES = new Set(['yargs', 'zod', 'bottleneck', 'lru-cache']);

/** `zod` of `zod/mini`, `@scope/name` of `@scope/name/sub`. */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Bare imports of packages outside START_PACKAGES stay outside: require()s of node_modules at run time. */
const keepOtherPackagesExternal = {
  name: 'keep-other-packages-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { external: true };
      // A dependency of a bundled package goes where that package goes: into the bundle.
      if (args.importer.includes(`${join('node_modules', '')}`)) return undefined;
      return START_PACKAGES.has(packageName(args.path)) ? undefined : { external: true };
    });
  },
};

/**
 * In a CommonJS bundle a static import of an external package becomes `require()` (its CommonJS
 * build) but an `import()` stays an import (its ES build): one process would hold two copies of
 * a dual package (MSW's handlers from one, its `setupServer` from the other). And the bundle runs
 * as a `node:vm` script, whose own `import()` Node 20 refuses without a flag. So an `import()` of
 * a package or a Node built-in becomes a lazy `require()`.
 */
const importsAsRequire = {
  name: 'imports-as-require',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      if (START_PACKAGES.has(packageName(args.path))) return undefined;
      return { path: args.path, namespace: 'import-as-require' };
    });
    b.onLoad({ filter: /.*/, namespace: 'import-as-require' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});\n`,
      loader: 'js',
      resolveDir: root,
    }));
  },
};

/**
 * The one `import()` of a computed specifier (harness/util/import-module.ts: a user's scenario
 * module) goes to the loader's own `import()`, handed to the bundle as `__nhImportModule` (see
 * BUNDLE_WRAPPER). The build fails if the module no longer has the shape this replaces.
 */
const IMPORT_MODULE_BODY = 'return import(specifier);';
const importThroughLoader = {
  name: 'import-through-loader',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]harness[\\/]util[\\/]import-module\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (source.split(IMPORT_MODULE_BODY).length !== 2) {
        throw new Error(
          `bundle-cli: ${args.path} no longer holds "${IMPORT_MODULE_BODY}" once: update importThroughLoader.`,
        );
      }
      return {
        contents: source.replace(IMPORT_MODULE_BODY, 'return __nhImportModule(specifier);'),
        loader: 'js',
      };
    });
  },
};

/**
 * string-width (yargs' help layout, three copies in two versions) makes an `Intl.Segmenter` as
 * it loads: ICU's segmentation data, 11-14 ms of CPU on every command, help shown or not. Here
 * it is made on first use instead (string-width 8 never uses it for ASCII). The build fails if
 * the line is not there, so an upgrade that changes it is noticed rather than silently slower.
 */
const SEGMENTER_LINE = 'const segmenter = new Intl.Segmenter();';
const lazySegmenter = {
  name: 'lazy-segmenter',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (source.split(SEGMENTER_LINE).length !== 2) {
        throw new Error(
          `bundle-cli: ${args.path} no longer has the line "${SEGMENTER_LINE}" once: update lazySegmenter.`,
        );
      }
      const lazy =
        'let segmenterMade;\nconst segmenter = { segment: (text) => (segmenterMade ??= new Intl.Segmenter()).segment(text) };';
      return { contents: source.replace(SEGMENTER_LINE, lazy), loader: 'js' };
    });
  },
};

/**
 * zod's every entry re-exports its ~40 locales (`z.locales`, about 500 KB of source): the CLI
 * uses English only, which zod registers itself (classic/schemas.js imports locales/en.js).
 * In the bundle the locales' index exports `en` alone, so a fresh process compiles 500 KB less.
 * `z.locales.xx` is not used by the CLI; the library's entry points are not bundled and keep
 * them all. The build checks below that no other locale got in.
 */
const englishOnlyZodLocales = {
  name: 'english-only-zod-locales',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: 'export { default as en } from "./en.js";\n',
      loader: 'js',
    }));
  },
};

if (!existsSync(entry)) {
  process.stderr.write(`bundle-cli: ${relative(root, entry)} is missing: run tsc first (npm run build).\n`);
  process.exit(1);
}
rmSync(outdir, { recursive: true, force: true });
const result = await build({
  entryPoints: [entry],
  outfile: bundleFile,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // The bundle's `import.meta`: its own file (set by the loader as __filename), and `resolve`
  // from there; harness code reads `import.meta.url` to find the package (packageRoot) and to
  // make a require() (createRequire).
  banner: {
    js: "var __nhImportMeta = { url: require('node:url').pathToFileURL(__filename).href, resolve: (s) => require('node:url').pathToFileURL(require.resolve(s)).href };",
  },
  define: { 'import.meta': '__nhImportMeta' },
  plugins: [
    importsAsRequire,
    importThroughLoader,
    keepOtherPackagesExternal,
    lazySegmenter,
    englishOnlyZodLocales,
  ],
  legalComments: 'none',
  // Class and function names as written (`HarnessError`, not `_HarnessError`): errors print them.
  keepNames: true,
  logLevel: 'warning',
  metafile: true,
});
const otherLocales = Object.keys(result.metafile.inputs).filter((p) =>
  /zod[\\/]v4[\\/]locales[\\/](?!en\.js|index\.js)/.test(p),
);
if (otherLocales.length > 0) {
  process.stderr.write(
    `bundle-cli: zod locales other than en got into the bundle (${otherLocales.slice(0, 3).join(', ')} …): update englishOnlyZodLocales.\n`,
  );
  process.exit(1);
}
// The bundle file is one function expression: Node's CommonJS wrapper and the loader's
// `import()` (scripts/cli-loader.mjs calls it with these). Written wrapped, so the loader compiles
// the file's text as it is: no second copy of 1.8 MB to make, and the code cache below is of
// exactly that text. A `#!` line (esbuild keeps main.ts's) is valid only at a script's start.
// Strict, as the ES modules it was built from (the banner esbuild writes comes before its own
// "use strict", which would then not count).
const BUNDLE_WRAPPER =
  '(function (exports, require, module, __filename, __dirname, __nhImportModule) {"use strict";';
const body = readFileSync(bundleFile, 'utf8').replace(/^#![^\n]*\n/, '');
// Any `import()` left would fail at run time (see importsAsRequire): fail the build instead.
// (Not a method named import, `api.import(…)`, nor `import()` in a comment.)
const leftImport = /(?<![.\w$])import\((?!\))/.exec(body);
if (leftImport !== null) {
  const line = body.slice(0, leftImport.index).split('\n').length;
  process.stderr.write(
    `bundle-cli: an import() is left in the bundle (line ${line}); route it through importModule.\n`,
  );
  process.exit(1);
}
const code = `${BUNDLE_WRAPPER}${body}\n})`;
writeFileSync(bundleFile, code);
const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);

// The code cache of this Node (the loader picks it by version and arch): compiled here once,
// deserialised by every run.
const cache = new Script(code, { filename: bundleFile }).createCachedData();
// The name scripts/cli-loader.mjs looks for (its `shippedCache`): keep the two in step.
const cacheName = `nexus-harness.${hash}.${process.version}-${process.arch}.v8-cache`;
writeFileSync(join(outdir, cacheName), cache);

const LOADER_HASH_MARK = "'__NH_BUNDLE_HASH__'";
const loader = readFileSync(join(root, 'scripts/cli-loader.mjs'), 'utf8');
if (loader.split(LOADER_HASH_MARK).length !== 2) {
  process.stderr.write(`bundle-cli: scripts/cli-loader.mjs must hold ${LOADER_HASH_MARK} once.\n`);
  process.exit(1);
}
const bin = join(outdir, 'main.js');
writeFileSync(bin, loader.replace(LOADER_HASH_MARK, `'${hash}'`));
chmodSync(bin, 0o755);
process.stdout.write(
  `bundle-cli: dist/cli/main.js runs dist/cli/nexus-harness.cjs (${(code.length / 1024).toFixed(0)} KiB, ` +
    `${Object.keys(result.metafile.inputs).length} modules) with ${cacheName} (${(cache.length / 1024).toFixed(0)} KiB)\n`,
);
