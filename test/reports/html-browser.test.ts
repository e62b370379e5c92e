/**
 * Acceptance: the HTML report of a real run, and the live dashboard during one, opened in real
 * headless Chromium (Debian's `chromium`, driven by playwright-core), light and dark. Every
 * chart painted (pixels read back from its canvas), the tables there, no request except to the
 * page's own loopback server, no console error, no page error, the dashboard updated by at
 * least two server-sent events; a screenshot of each page in test/.output/. Without chromium
 * the suite is skipped and says why.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  canvasInk,
  findChromium,
  foreignRequests,
  launchChromium,
  NO_CHROMIUM_REASON,
  type PageRecord,
  type TestBrowser,
} from '../support/chromium.js';
import { runCliInProcess as cli } from '../support/cli.js';
import { serveOnePage } from '../support/static-server.js';

const bin = findChromium();
if (bin === null) console.warn(`[html-browser] skipped: ${NO_CHROMIUM_REASON}`);

/** Where the screenshots go (git-ignored). */
const OUTPUT = resolve('test', '.output');

const CHARTS = ['latency', 'latency-over-time', 'throughput', 'rate-limited', 'generator'];
const TABLES = ['thresholds', 'operations', 'statuses', 'audit', 'completion', 'setup', 'metadata'];

/** What the page shows, read from its DOM. */
async function pageFacts(page: Page): Promise<{
  verdict: string;
  charts: string[];
  tables: { id: string; rows: number; empty: boolean }[];
  background: string;
}> {
  // A string, not a function: the test build has no DOM types.
  return page.evaluate(`({
    verdict: document.querySelector('.banner .verdict')?.textContent ?? '',
    charts: [...document.querySelectorAll('[data-chart]')].map((c) => c.dataset.chart),
    tables: [...document.querySelectorAll('[data-table]')].map((t) => ({
      id: t.dataset.table,
      rows: t.querySelectorAll('tbody tr').length,
      empty: t.querySelector('.empty') !== null,
    })),
    background: getComputedStyle(document.body).backgroundColor,
  })`);
}

/** The checks every page of the report passes: charts painted, tables there, nothing else asked for, no error. */
async function expectSoundPage(page: Page, record: PageRecord, origin: string): Promise<void> {
  const facts = await pageFacts(page);
  expect(facts.charts).toEqual(CHARTS);
  const ink = await canvasInk(page);
  // One canvas per chart (none is empty for a smoke run), each with axes and lines painted.
  expect(ink.map((c) => c.chart)).toEqual(CHARTS);
  for (const canvas of ink) {
    expect(canvas.width, canvas.chart).toBeGreaterThan(200);
    expect(canvas.painted, `${canvas.chart}: painted pixels`).toBeGreaterThan(2_000);
  }
  const tables = new Map(facts.tables.map((t) => [t.id, t]));
  for (const id of TABLES) expect(tables.has(id), `table ${id}`).toBe(true);
  expect(tables.get('thresholds')!.rows).toBeGreaterThanOrEqual(5);
  expect(tables.get('operations')!.rows).toBeGreaterThanOrEqual(3);
  expect(tables.get('audit')!.rows).toBe(4);
  expect(foreignRequests(record, origin)).toEqual([]);
  expect(record.consoleErrors).toEqual([]);
  expect(record.pageErrors).toEqual([]);
}

describe.skipIf(bin === null)('the HTML report in headless Chromium', () => {
  let browser: TestBrowser;
  const dir = mkdtempSync(join(tmpdir(), 'nh-html-browser-'));

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    browser = await launchChromium(bin!);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders run --report html of a smoke run: charts painted, tables, no network, no error, light and dark', async () => {
    const out = join(dir, 'static');
    const run = await cli(['run', 'smoke', '--duration', '2s', '--quiet', '--report', 'html', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const server = await serveOnePage(readFileSync(join(out, 'report.html'), 'utf8'));
    try {
      const backgrounds: string[] = [];
      for (const colorScheme of ['light', 'dark'] as const) {
        const { page, record } = await browser.newPage({ colorScheme });
        await page.goto(`${server.origin}/`);
        await page.waitForSelector('[data-chart="generator"] canvas');
        await expectSoundPage(page, record, server.origin);
        const facts = await pageFacts(page);
        expect(facts.verdict).toBe('PASSED');
        backgrounds.push(facts.background);
        const shot = join(OUTPUT, `html-report-${colorScheme}.png`);
        await page.screenshot({ path: shot, fullPage: true });
        console.log(`[html-browser] screenshot: ${shot}`);
        await page.close();
      }
      // Dark mode is its own palette, not the light page inverted by the browser.
      expect(backgrounds[0]).toBe('rgb(245, 246, 248)');
      expect(backgrounds[1]).toBe('rgb(14, 17, 22)');
      // The page asked its server for itself and nothing else (no favicon, no asset).
      expect(server.requested).toEqual(['/', '/']);
    } finally {
      await server.close();
    }
  }, 90_000);

  it('shows run --dashboard live: updated by server-sent events, then the final page; report.html left behind', async () => {
    const out = join(dir, 'live');
    let announced: (url: string) => void = () => {};
    const url = new Promise<string>((resolve) => {
      announced = resolve;
    });
    const run = cli(['run', 'smoke', '--duration', '5s', '--quiet', '--dashboard', '--out', out], {
      onStderr: (text) => {
        const match = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(text);
        if (match) announced(match[1]!);
      },
    });
    const first = await Promise.race([
      url,
      run.then((r) => Promise.reject(new Error(`run ended first: ${r.stderr}`))),
    ]);
    const origin = new URL(first).origin;
    const { page, record } = await browser.newPage({ colorScheme: 'light' });
    await page.goto(first);
    // Live: at least one snapshot in, the banner says RUNNING.
    // Selectors, not waitForFunction: the page's CSP forbids the eval that a string predicate needs.
    await page.waitForSelector('body[data-state="open"]:not([data-updates="0"])', { timeout: 20_000 });
    expect((await pageFacts(page)).verdict).toBe('RUNNING');
    const liveShot = join(OUTPUT, 'dashboard-live.png');
    await page.screenshot({ path: liveShot, fullPage: true });
    console.log(`[html-browser] screenshot: ${liveShot}`);
    // The run ends: the server sends the final page and closes.
    await page.waitForSelector('body[data-state="ended"]', { timeout: 30_000 });
    const outcome = await run;
    expect(outcome.code, outcome.stderr).toBe(0);
    const updates = Number(await page.evaluate('document.body.dataset.updates'));
    expect(updates, 'server-sent updates').toBeGreaterThanOrEqual(2);
    console.log(`[html-browser] dashboard: ${updates} server-sent updates, then the end event`);
    expect((await pageFacts(page)).verdict).toBe('PASSED');
    await expectSoundPage(page, record, origin);
    expect(record.requests).toEqual([first, `${origin}/events`]);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await page.waitForSelector('[data-chart="generator"] canvas');
      const shot = join(OUTPUT, `dashboard-final-${colorScheme}.png`);
      await page.screenshot({ path: shot, fullPage: true });
      console.log(`[html-browser] screenshot: ${shot}`);
    }
    expect(record.consoleErrors).toEqual([]);
    expect(record.pageErrors).toEqual([]);
    // What the dashboard leaves behind: the final page beside result.json.
    const report = readFileSync(join(out, 'report.html'), 'utf8');
    expect(report).toContain('<body data-live="false">');
    expect(outcome.stderr).toContain(`dashboard: ${first} (live while the run lasts`);
    await page.close();
  }, 120_000);
});
