// `npm run build`, after tsc: bundles the bin (dist/harness/cli/main.js and what it imports)
// into dist/cli/ with esbuild, so a fresh `nexus-harness` process loads a few files instead of
// some 330 modules. Every user's run is a cold start, and resolving, reading and linking those
// modules was about a third of the CPU a 10 s run spent outside its load window.
//
// What is bundled: the project's own compiled code, and the npm packages on the cold path of
// every command (START_PACKAGES) with whatever they import. Every other package stays an
// import of node_modules (heavy, optional or loaded only by some commands: Pact, MSW, fastify,
// ioredis, autocannon, tsx, …). Lazy `import()`s stay lazy: each becomes a chunk of its own.
//
// The library's entry points (`nexus-harness/engine`, …) are not bundled: they stay tsc's
// dist/harness/entry/*.js, so a user's bundler and types see ordinary modules.
//
// Code in the bundle must not find files beside itself by `import.meta.url` (a chunk lives in
// dist/cli/, not where its source was): use `packageRoot()` (harness/util/package-root.ts).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist/harness/cli/main.js');
const outdir = join(root, 'dist/cli');

/** npm packages every command loads at start: bundled, with their own dependencies. */
const START_PACKAGES = new Set(['yargs', 'zod', 'bottleneck', 'lru-cache']);

/** `zod` of `zod/mini`, `@scope/name` of `@scope/name/sub`. */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Bare imports of packages outside START_PACKAGES stay imports (resolved from node_modules at run time). */
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
  entryPoints: { main: entry },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunks/[name]-[hash]',
  // Bundled CommonJS packages (bottleneck, hdr-histogram-js) call require(): give them Node's.
  banner: {
    js: "import { createRequire as __nhCreateRequire } from 'node:module';\nconst require = __nhCreateRequire(import.meta.url);",
  },
  plugins: [keepOtherPackagesExternal, lazySegmenter, englishOnlyZodLocales],
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
const files = Object.keys(result.metafile.outputs).length;
const bytes = Object.values(result.metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
process.stdout.write(
  `bundle-cli: dist/cli/main.js and ${files - 1} chunk(s), ${(bytes / 1024).toFixed(0)} KiB\n`,
);
