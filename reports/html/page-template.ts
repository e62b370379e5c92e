/**
 * The HTML page around the data: one self-contained document (uPlot, the page's script and
 * styles inlined, the data as JSON) under a Content-Security-Policy that lets it load nothing
 * and talk only to the server it came from (the dashboard's `/events`).
 */
import { pageAssets } from './assets.js';
import { jsonForScript } from './json-script.js';
import type { PageData } from './page-data.js';

/**
 * The page's Content-Security-Policy: inline script and styles only, images from `data:` only,
 * connections only to its own origin. No network, no frames, no plugins, no base-URL changes.
 */
export const PAGE_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'";

/** `text` safe as HTML text or a double-quoted attribute value. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The page for `data`. `live: true` makes it the dashboard's: it listens to `/events` for
 * new snapshots.
 *
 * @example
 * writeFileSync('report.html', pageHtml(pageDataOf([result]), { live: false }));
 */
export function pageHtml(data: PageData, options: { live: boolean }): string {
  const assets = pageAssets();
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    '<meta name="referrer" content="no-referrer">',
    // No favicon request: the page asks nothing of anyone.
    '<link rel="icon" href="data:,">',
    `<title>${escapeHtml(data.title)}</title>`,
    `<style>${assets.uplotStyles}</style>`,
    `<style>${assets.pageStyles}</style>`,
    '</head>',
    `<body data-live="${options.live}">`,
    '<noscript><p style="padding:2em">This report draws its charts and tables with JavaScript (inline, nothing is loaded). Enable it, or read the result with <code>nexus-harness report RESULT.json --format md</code>.</p></noscript>',
    '<main id="app"></main>',
    `<script type="application/json" id="report-data">${jsonForScript(data)}</script>`,
    `<script>${assets.uplotScript}</script>`,
    `<script>${assets.pageScript}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
