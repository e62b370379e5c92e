/**
 * The files the HTML page inlines, read once per process: uPlot (script and stylesheet, from
 * the installed package, so this works from the sources, `dist/` and the bundled bin alike)
 * and the page's own script and styles (`reports/html/` in the sources; `npm run build` copies
 * them to `dist/reports/html/`). Found from the package root, not from this file: in the
 * bundled bin this code runs from a chunk in `dist/cli/`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../../harness/util/package-root.js';

/** The texts a page inlines. */
export interface PageAssets {
  uplotScript: string;
  uplotStyles: string;
  pageScript: string;
  pageStyles: string;
}

let cached: PageAssets | null = null;

/**
 * `text`, checked to be safe inside a `<script>` or `<style>` element: it must not contain the
 * element's end tag (nothing escapes inside them; a library release that grew one must fail
 * loudly, not cut the page).
 */
function inlinable(text: string, element: 'script' | 'style', what: string): string {
  if (new RegExp(`</${element}`, 'i').test(text)) {
    throw new Error(`Failed to inline ${what}: it contains </${element}, which would end the element early.`);
  }
  return text;
}

/**
 * The page's inlined texts (read on first use, then kept).
 *
 * @example
 * const { uplotScript } = pageAssets(); // uPlot's IIFE build, ~51 KB
 */
export function pageAssets(): PageAssets {
  if (cached !== null) return cached;
  const require = createRequire(import.meta.url);
  const read = (path: string) => readFileSync(path, 'utf8');
  // Run from the sources (tsx, vitest) this file is .ts; built, the copies under dist/ are read.
  const ownDir = join(packageRoot(), import.meta.url.endsWith('.ts') ? '' : 'dist', 'reports', 'html');
  const own = (name: string) => read(join(ownDir, name));
  cached = {
    uplotScript: inlinable(read(require.resolve('uplot/dist/uPlot.iife.min.js')), 'script', 'uPlot'),
    uplotStyles: inlinable(read(require.resolve('uplot/dist/uPlot.min.css')), 'style', "uPlot's styles"),
    pageScript: inlinable(own('page-script.js'), 'script', "the report's script"),
    pageStyles: inlinable(own('page-styles.css'), 'style', "the report's styles"),
  };
  return cached;
}
