/**
 * A preload (`node --import ./test/support/load-probe.mjs …`) that reports, at exit, what the
 * process loaded and how much memory it held, for the module-load budget of the CLI
 * and of the package's entry points (test/package/packed-tarball.test.ts, on the installed
 * package). Plain JavaScript: it runs in front of the compiled code, with no TypeScript loader.
 *
 * - `NEXUS_PROBE_OUT`: the file the report is appended to, one entry a line: `esm <url>` for
 *   each module an ES import resolved (recorded by a resolve hook, only with
 *   `NEXUS_PROBE_TRACE=1`: the hooks run on a thread of their own, which costs memory, so the
 *   RSS figure is taken in a run without them), `cjs <path>` for each CommonJS module in
 *   `require.cache` (packages that `require()` each other never reach the ES hooks), and
 *   `rss <bytes>`.
 */
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

let out;

/** Hooks thread: receives the report file. */
export function initialize(data) {
  out = data.out;
}

/** Hooks thread: records every resolved ES module. */
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(out, `esm ${resolved.url}\n`);
  return resolved;
}

if (isMainThread && process.env.NEXUS_PROBE_OUT) {
  const file = process.env.NEXUS_PROBE_OUT;
  if (process.env.NEXUS_PROBE_TRACE === '1') register(import.meta.url, { data: { out: file } });
  process.on('exit', () => {
    const cjs = Object.keys(createRequire(import.meta.url).cache).map((path) => `cjs ${path}\n`);
    appendFileSync(file, `${cjs.join('')}rss ${process.memoryUsage().rss}\n`);
  });
}
