/**
 * The HTML report's data and page, without a browser: the percentile distribution of a known
 * histogram, the embedded JSON that no name can break out of, series columns older results
 * lack, runs overlaid, and a page that names no network resource. The browser test
 * (html-browser.test.ts) renders the same pages in Chromium.
 */
import { describe, expect, it } from 'vitest';
import { TrendCell } from '../../harness/engine/recorder/cells.js';
import { decodeResultMetrics } from '../../harness/engine/result/codec.js';
import type { RunResult } from '../../harness/engine/result/types.js';
import { count, duration, ms, percent } from '../../reports/html/format.js';
import {
  chartsOf,
  jsonForScript,
  PAGE_CSP,
  pageDataOf,
  percentileDistribution,
  renderHtml,
} from '../../reports/html/index.js';
import { renderReport } from '../../reports/index.js';
import { sampleResult } from './sample-result.js';

/** The page's embedded data, read back as the browser does. */
function embeddedData(html: string): ReturnType<typeof pageDataOf> {
  const match = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html);
  if (match === null) throw new Error('no report-data script in the page');
  return JSON.parse(match[1]!);
}

function chartRun(result: RunResult, tag = '') {
  return { tag, data: decodeResultMetrics(result.metrics), result };
}

describe('percentileDistribution', () => {
  it("places 1 … 1000 ms at HdrHistogram's x = 1/(1−p), ending at the maximum", () => {
    const trend = new TrendCell('op_duration', {}, '[]');
    for (let ms = 1; ms <= 1_000; ms++) trend.record(ms);
    const points = percentileDistribution(trend);
    // Five points per halving of the distance to 100 %, while the samples can tell them apart.
    expect(points.slice(0, 6).map((p) => p.x)).toEqual([1, 2 ** 0.2, 2 ** 0.4, 2 ** 0.6, 2 ** 0.8, 2]);
    const at = (x: number) => points.find((p) => Math.abs(p.x - x) < 1e-9)!;
    expect(at(1)).toMatchObject({ percentile: 0, ms: 1 });
    expect(at(2).percentile).toBeCloseTo(50, 9);
    expect(at(2).ms).toBeCloseTo(500, -1); // HdrHistogram's value, within its 0.1 %
    // The grid stops below the count (2^(50/5) = 1024 is past 1,000 samples); the maximum ends it.
    expect(points.at(-2)!.x).toBeCloseTo(2 ** (49 / 5), 9);
    const last = points.at(-1)!;
    expect(last.x).toBe(1_000);
    expect(last.percentile).toBeCloseTo(99.9, 9);
    expect(last.ms).toBe(1_000);
    // x = 10 is not on the grid (2^(i/5)); its neighbours bracket p90 = 900 ms.
    const p90 = points.filter((p) => p.x <= 10).at(-1)!;
    expect(p90.percentile).toBeGreaterThan(89);
    expect(p90.ms / (p90.percentile * 10)).toBeCloseTo(1, 2);
    for (let i = 1; i < points.length; i++) {
      expect(points[i]!.x).toBeGreaterThan(points[i - 1]!.x);
      expect(points[i]!.ms).toBeGreaterThanOrEqual(points[i - 1]!.ms);
    }
  });

  it('is one point for one sample and empty for none', () => {
    const trend = new TrendCell('op_duration', {}, '[]');
    expect(percentileDistribution(trend)).toEqual([]);
    trend.record(12.5);
    expect(percentileDistribution(trend)).toEqual([{ x: 1, percentile: 0, ms: 12.5 }]);
  });
});

describe("the report's number formats", () => {
  it('prints ms to three figures, seconds from 10 s, run lengths and shares', () => {
    expect([0.41234, 12.44, 212.48, 12_500, 10_000, null].map(ms)).toEqual([
      '0.412 ms',
      '12.4 ms',
      '212 ms',
      '12.5 s',
      '10 s',
      '–',
    ]);
    expect([850, 3_492, 125_000, 120_000].map(duration)).toEqual(['850 ms', '3.49 s', '2 min 5 s', '2 min']);
    expect([percent(1, 200), percent(0, 5), percent(1, 3), percent(1, 0)]).toEqual([
      '0.5 %',
      '0 %',
      '33.3 %',
      '–',
    ]);
    expect(count(12_345)).toBe('12,345');
  });
});

describe('jsonForScript', () => {
  it('escapes every < so no string can end the script element, and reads back unchanged', () => {
    const hostile = { name: '</script><script>alert(1)</script><!--', line: 'a\u2028b' };
    const text = jsonForScript(hostile);
    expect(text).not.toContain('<');
    expect(text).not.toContain('\u2028');
    expect(JSON.parse(text)).toEqual(hostile);
  });

  it('keeps a hostile scenario name inside the data of the page', () => {
    const result = sampleResult();
    const name = '</script><script>document.title="pwned"</script>';
    result.scenario = { name };
    const html = renderHtml(result);
    expect(html).not.toContain('<script>document.title');
    expect(html).toContain('<title>&lt;/script&gt;&lt;script&gt;document.title=&quot;pwned&quot;');
    expect(embeddedData(html).runs[0]!.scenario).toBe(name);
  });
});

describe('renderHtml', () => {
  it('is one self-contained page: CSP, uPlot and the data inline, no URL to load anything from', () => {
    const html = renderReport(sampleResult(), 'html');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}">`);
    expect(PAGE_CSP).toContain("default-src 'none'");
    expect(html).toContain('uPlot'); // the library, inlined
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+rel="stylesheet"/);
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).toContain('<link rel="icon" href="data:,">'); // no favicon request either
    expect(html).toContain('<body data-live="false">');
  });

  it('puts the verdict, the facts of every table and all five charts in the data', () => {
    const data = embeddedData(
      // Written passing first: the table still lists the failure first.
      renderHtml(sampleResult({ op_failed: ['rate<0.5'], 'op_duration{op:send_message}': ['p(95)<0.001'] })),
    );
    expect(data.state).toBe('final');
    const [run] = data.runs;
    expect(run).toMatchObject({ scenario: 'smoke', verdict: 'failed', tag: '' });
    expect(run!.because).toBe('failed: op_duration{op:send_message}: p(95)<0.001 (38.015 ms)');
    expect(run!.tables.map((t) => t.id)).toEqual([
      'thresholds',
      'operations',
      'statuses',
      'audit',
      'setup',
      'metadata',
    ]);
    const thresholds = run!.tables.find((t) => t.id === 'thresholds')!;
    // Failures first, whatever the order they were written in.
    expect(thresholds.rows.map((r) => (r[0] as { text: string }).text)).toEqual(['✗ fail', '✓ pass']);
    expect(thresholds.rows[0]).toEqual([
      { text: '✗ fail', tone: 'bad' },
      'op_duration{op:send_message}',
      'p(95)<0.001',
      '38.015 ms',
    ]);
    const operations = run!.tables.find((t) => t.id === 'operations')!;
    expect(operations.columns.map((c) => c.label)).toEqual([
      'operation',
      'count',
      'goodput',
      'failed',
      'p50',
      'p90',
      'p99',
      'p99.9',
      'max',
      'service p99',
      'queue p99',
    ]);
    expect(operations.rows[0]).toEqual([
      'get_session',
      '20',
      '1.8/s', // 18 successful in 10 s
      { text: '2 (10 %)', tone: 'bad' },
      '52.5 ms',
      '90.6 ms',
      '100 ms',
      '100 ms',
      '100 ms',
      { text: '3 ms', title: '1 sample' },
      '–', // no queue_time recorded
    ]);
    expect(data.charts.map((c) => c.id)).toEqual([
      'latency',
      'latency-over-time',
      'throughput',
      'rate-limited',
      'generator',
    ]);
    const latency = data.charts[0]!;
    expect(latency.lines.map((l) => l.label)).toEqual(['op_duration', 'http_req_duration']);
    expect(latency.empty).toBeNull();
    expect(data.charts.find((c) => c.id === 'generator')!.empty).toBe(
      'no queue_time or schedule_lateness recorded',
    );
  });

  it('renders the errors counter and its examples when the result has them, and no errors table otherwise', () => {
    const plain = pageDataOf([sampleResult()]);
    expect(plain.runs[0]!.tables.some((t) => t.id === 'errors')).toBe(false);
    const result = sampleResult();
    // A base URL without /api/public: every 404 says what to check.
    result.target = { kind: 'url', baseUrl: 'http://127.0.0.1:4010' };
    result.metrics.attempt_errors = {
      kind: 'counter',
      unit: 'errors',
      values: [
        { tags: { op: 'get_session', reason: 'ECONNRESET' }, stats: { count: 12, rate: 1.2 } },
        { tags: { op: 'send_message', reason: '404' }, stats: { count: 50, rate: 5 } },
        { tags: { op: 'get_session', reason: '404' }, stats: { count: 10, rate: 1 } },
      ],
    };
    result.errorExamples = { '404': 'Failed to send the message: 404 Not Found' };
    const errors = pageDataOf([result]).runs[0]!.tables.find((t) => t.id === 'errors')!;
    expect(errors.columns.map((c) => c.label)).toEqual([
      'reason',
      'count',
      'operations',
      'example',
      'what to check',
    ]);
    expect(errors.rows).toEqual([
      [
        { text: '404', tone: 'bad' },
        '60',
        'send_message ×50, get_session ×10',
        { text: 'Failed to send the message: 404 Not Found', tone: 'muted' },
        { text: 'Not Found — the base URL has no path; check --url ends with /api/public', tone: 'warn' },
      ],
      [{ text: 'ECONNRESET', tone: 'bad' }, '12', 'get_session ×12', { text: '', tone: 'muted' }, ''],
    ]);
  });

  it('overlays several runs: one line per run and metric, later runs dashed, each with its tables', () => {
    const a = sampleResult();
    const b = sampleResult({ op_failed: ['rate<0.01'] });
    const data = pageDataOf([a, b]);
    expect(data.runs.map((r) => [r.tag, r.verdict])).toEqual([
      ['A', 'passed'],
      ['B', 'failed'],
    ]);
    const latency = data.charts[0]!;
    expect(latency.lines.map((l) => [l.label, l.dash])).toEqual([
      ['op_duration · A', 0],
      ['http_req_duration · A', 0],
      ['op_duration · B', 1],
      ['http_req_duration · B', 1],
    ]);
    expect(latency.lines[0]!.color).toBe(latency.lines[2]!.color);
  });
});

describe('chartsOf and the series columns', () => {
  it('draws p90 and retries from the series, and leaves them out for older results without them', () => {
    const result = sampleResult();
    const lines = (r: RunResult, id: string) =>
      chartsOf([chartRun(r)])
        .find((c) => c.id === id)!
        .lines.map((l) => l.label);
    expect(lines(result, 'latency-over-time')).toEqual(['p50', 'p90', 'p99']);
    expect(lines(result, 'rate-limited')).toEqual(['429/s', 'retries/s']);
    const { p90Ms: _p90, retries: _retries, ...older } = result.series;
    const old = { ...result, series: older };
    expect(lines(old, 'latency-over-time')).toEqual(['p50', 'p99']);
    expect(lines(old, 'rate-limited')).toEqual(['429/s']);
    expect(() => renderHtml(old)).not.toThrow();
  });

  it('counts per interval as rates, dropping a last interval too short to be one', () => {
    const result = sampleResult();
    const series = {
      intervalSec: 1,
      tSec: [0, 1, 2],
      ops: [10, 20, 1],
      errors: [0, 5, 0],
      rateLimited: [0, 0, 0],
      p50Ms: [1, 2, 3],
      p99Ms: [2, 4, 6],
    };
    const throughput = chartsOf([chartRun({ ...result, series, durationMs: 2_100 })]).find(
      (c) => c.id === 'throughput',
    )!;
    expect(throughput.x).toEqual([0, 1, 2]);
    expect(throughput.lines.map((l) => [l.label, l.values])).toEqual([
      ['ops/s', [10, 20, null]],
      ['goodput/s', [10, 15, null]],
    ]);
  });
});
