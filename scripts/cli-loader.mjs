#!/usr/bin/env node
// The bin (dist/cli/main.js), as `npm run build` writes it from scripts/cli-loader.mjs: it runs
// the CLI's bundle, nexus-harness.cjs beside it (one CommonJS script), through V8's code cache.
// Every user's run is a fresh process: compiling the bundle's ~2 MB of JavaScript again each
// time was a fifth of the CPU a 10 s run spent outside its load window. Node 20 has no compile
// cache of its own for user code (module.enableCompileCache is Node 22), so this does it:
//
// - the build ships a cache made by the Node that built it (its version and arch in the name);
// - a process whose Node's V8 rejects that cache (another version, other V8 flags) compiles as
//   usual and, at exit, writes a cache of its own to the user's cache folder
//   ($XDG_CACHE_HOME or ~/.cache, nexus-harness/), which later runs read first. Never /tmp: a
//   cache is code, and a shared folder would let another user plant it;
// - NEXUS_HARNESS_COMPILE_CACHE=off reads and writes none.
//
// Caches are named by the bundle's content hash, so a cache only ever meets the bundle it was
// made from (V8 itself checks only the source's length). A cache that cannot be read or written
// is skipped silently: it only ever costs speed, never a run.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

const BUNDLE_HASH = '__NH_BUNDLE_HASH__';
const here = dirname(fileURLToPath(import.meta.url));
const bundle = join(here, 'nexus-harness.cjs');
const cacheOn = process.env.NEXUS_HARNESS_COMPILE_CACHE !== 'off';
const runtime = `${process.version}-${process.arch}`;
// The name scripts/bundle-cli.mjs writes the shipped cache under: keep the two in step.
const shippedCache = join(here, `nexus-harness.${BUNDLE_HASH}.${runtime}.v8-cache`);

/** The user's own cache for this bundle, Node and V8 flags (a flag V8 counts makes another cache). */
function userCachePath() {
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const flags = Buffer.from(process.execArgv.join(' ')).toString('base64url').slice(0, 40);
  return join(base, 'nexus-harness', `${BUNDLE_HASH}.${runtime}${flags ? `.${flags}` : ''}.v8-cache`);
}

function readOrUndefined(path) {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

const userCache = cacheOn ? userCachePath() : null;
const cachedData = cacheOn ? (readOrUndefined(userCache) ?? readOrUndefined(shippedCache)) : undefined;
// The bundle's text is one function expression (Node's CommonJS wrapper, written by the build).
const script = new Script(readFileSync(bundle, 'utf8'), { filename: bundle, cachedData });
if (userCache !== null && script.cachedDataRejected !== false) {
  // No cache, or V8 refused it: this process compiled the bundle; keep that for the next one.
  process.once('exit', () => {
    try {
      mkdirSync(dirname(userCache), { recursive: true });
      const partial = `${userCache}.${process.pid}.partial`;
      writeFileSync(partial, script.createCachedData());
      renameSync(partial, userCache);
    } catch {
      // a read-only or full home: the next run compiles again, nothing else changes
    }
  });
}

const module = { exports: {} };
// The last argument: the one `import()` the bundle makes (a user's scenario module, see
// harness/util/import-module.ts), made here, in an ES module, where Node allows it.
script.runInThisContext()(
  module.exports,
  createRequire(bundle),
  module,
  bundle,
  here,
  (specifier) => import(specifier),
);
