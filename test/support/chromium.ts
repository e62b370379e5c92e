/**
 * Real headless Chromium for tests: Debian's `chromium` driven by playwright-core, with a fresh
 * profile in a temp dir, every background service that would phone home switched off, and a
 * record of each request a page makes (so a test can prove a page stayed on its own server).
 *
 * @example
 * const bin = findChromium();
 * if (bin === null) console.warn(`[my-suite] skipped: ${NO_CHROMIUM_REASON}`);
 * describe.skipIf(bin === null)('my suite', () => {
 *   let browser: TestBrowser;
 *   beforeAll(async () => { browser = await launchChromium(bin!); });
 *   afterAll(() => browser?.close());
 * });
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/**
 * The chromium binary on PATH (`chromium`, else `chromium-browser`), or null.
 *
 * @example
 * describe.skipIf(findChromium() === null)('in a browser', () => {});
 */
export function findChromium(): string | null {
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const path = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
      if (path !== '') return path;
    } catch {
      // not this one
    }
  }
  return null;
}

/** The reason to print when {@link findChromium} finds nothing. */
export const NO_CHROMIUM_REASON =
  'no chromium binary on PATH (apt-get install -y --no-install-recommends chromium)';

/** Flags that keep Chromium headless, sandbox-free (root in CI) and off the network on its own account. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** What a page did while a test watched it. */
export interface PageRecord {
  /** Every URL the page requested, in order (`data:` and `about:` included). */
  requests: string[];
  /** Console messages of type `error`. */
  consoleErrors: string[];
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
}

/** A browser a test launched. */
export interface TestBrowser {
  /** The browser's one context (its profile is the fresh temp dir). */
  context: BrowserContext;
  /** A new page (1280 × 900, `colorScheme` as given) and the record of what it does. */
  newPage(options?: { colorScheme?: 'light' | 'dark' }): Promise<{ page: Page; record: PageRecord }>;
  /** Closes the browser and removes its profile. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Launches `executablePath` headless with a fresh `--user-data-dir` (playwright takes the
 * profile as `launchPersistentContext`'s first argument, not as a flag).
 *
 * @example
 * const { page, record } = await (await launchChromium(findChromium()!)).newPage();
 */
export async function launchChromium(executablePath: string): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'nh-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
      timeout: 60_000,
    });
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
  let closed = false;
  return {
    context,
    async newPage(options = {}) {
      const page = await context.newPage();
      await page.emulateMedia({ colorScheme: options.colorScheme ?? 'light' });
      const record: PageRecord = { requests: [], consoleErrors: [], pageErrors: [] };
      page.on('request', (request) => record.requests.push(request.url()));
      page.on('console', (message) => {
        if (message.type() === 'error') record.consoleErrors.push(message.text());
      });
      page.on('pageerror', (error) => record.pageErrors.push(error.message));
      return { page, record };
    },
    async close() {
      if (closed) return;
      closed = true;
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * The requests of `record` that went anywhere but `origin` (`http://127.0.0.1:PORT`), `data:`
 * or `about:`: what a self-contained page must never make.
 *
 * @example
 * expect(foreignRequests(record, server.origin)).toEqual([]);
 */
export function foreignRequests(record: PageRecord, origin: string): string[] {
  return record.requests.filter(
    (url) => !(url.startsWith(`${origin}/`) || url === origin || /^(data|about):/.test(url)),
  );
}

/**
 * For each `<canvas>` on the page: its size and how many of its pixels are painted (alpha > 0;
 * uPlot's background is transparent, so an unpainted chart counts 0).
 *
 * @example
 * for (const c of await canvasInk(page)) expect(c.painted).toBeGreaterThan(100);
 */
export async function canvasInk(
  page: Page,
): Promise<{ chart: string; width: number; height: number; painted: number }[]> {
  // A string, not a function: the test build has no DOM types (tsconfig's lib is ES2023).
  return page.evaluate(`[...document.querySelectorAll('canvas')].map((canvas) => {
    const context = canvas.getContext('2d');
    const chart = canvas.closest('[data-chart]')?.getAttribute('data-chart') ?? '';
    if (context === null || canvas.width === 0 || canvas.height === 0)
      return { chart, width: canvas.width, height: canvas.height, painted: 0 };
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
    return { chart, width: canvas.width, height: canvas.height, painted };
  })`);
}
