/**
 * The k6 importer against real k6 v0.48 output (`test/fixtures/k6-samples/`, a byte-for-byte
 * copy of `../shared/k6-samples/`, recorded against the mock): every file imports; counts match what k6 printed exactly; trend figures match within
 * HDR precision (see `near` below); the failing run is judged failed, exit 99, through the CLI.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../../harness/engine/result/types.js';
import { evaluateThresholds } from '../../../harness/engine/thresholds/evaluate.js';
import { parseThresholds } from '../../../harness/engine/thresholds/parse.js';
import { metricCatalogue } from '../../../harness/engine/types.js';
import { importK6File } from '../../../harness/runners/k6/index.js';

const SAMPLES = join('test', 'fixtures', 'k6-samples');
const sample = (f: string) => join(SAMPLES, f);
const FIXTURES = join('test', 'runners', 'k6', 'fixtures');

type LegacyMetric = Record<string, number> & { thresholds?: Record<string, boolean> };
const legacy = (f: string): Record<string, LegacyMetric> =>
  JSON.parse(readFileSync(sample(f), 'utf8')).metrics;

/** Our figure of `aggregation` over the tag sets `key` selects, by the same path thresholds use. */
function figure(result: RunResult, key: string, aggregation: string): number | null {
  const kinds = Object.fromEntries(Object.entries(result.metrics).map(([k, m]) => [k, m.kind]));
  const parsed = parseThresholds({ [key]: [`${aggregation}<1e15`] }, metricCatalogue(kinds));
  return evaluateThresholds(parsed, result.metrics, result.durationMs / 1_000, { final: true })[0]!.actual;
}

/** The exact values of a trend (and tag filter) straight from the NDJSON, sorted: the reference. */
function exactValues(file: string, key: string): number[] {
  const open = key.indexOf('{');
  const name = open < 0 ? key : key.slice(0, open);
  const filter =
    open < 0
      ? []
      : key
          .slice(open + 1, -1)
          .split(',')
          .map((p) => p.split(':') as [string, string]);
  const out: number[] = [];
  for (const line of readFileSync(sample(file), 'utf8').split('\n')) {
    if (!line.includes('"Point"')) continue;
    const p = JSON.parse(line) as { metric: string; data: { value: number; tags: Record<string, string> } };
    if (p.metric === name && filter.every(([t, v]) => p.data.tags?.[t] === v)) out.push(p.data.value);
  }
  return out.sort((a, b) => a - b);
}

/**
 * HDR precision here: values are kept in whole µs (±0.0005 ms) and within 0.1 % (3 significant
 * digits). k6's percentiles interpolate between the two values around the rank, HdrHistogram's
 * is the value at the rank, so ours must lie between those two neighbours, widened by that much.
 */
function near(ours: number, lo: number, hi: number): boolean {
  return ours >= lo * 0.999 - 0.0005 && ours <= hi * 1.001 + 0.0005;
}

const PERCENTILES: Record<string, number> = { med: 50, 'p(90)': 90, 'p(95)': 95 };

describe.each([
  ['points.ndjson', 'summary-export.json'],
  ['points-failed.ndjson', 'summary-export-failed.json'],
])('importing %s', (points, summary) => {
  const k6 = legacy(summary);
  const imported = importK6File(sample(points));

  it('counts every counter, rate and gauge exactly as k6 printed it', async () => {
    const { result, format } = await imported;
    expect(format).toBe('ndjson');
    let compared = 0;
    for (const [key, printed] of Object.entries(k6)) {
      if ('avg' in printed) continue;
      if ('count' in printed) expect(figure(result, key, 'count'), key).toBe(printed.count);
      if ('passes' in printed) {
        const m = result.metrics[key]!;
        expect(m.kind).toBe('rate');
        const totals = m.values.reduce(
          (t, v) => {
            const s = v.stats as { passes: number; fails: number };
            return { passes: t.passes + s.passes, fails: t.fails + s.fails };
          },
          { passes: 0, fails: 0 },
        );
        expect(totals, key).toEqual({ passes: printed.passes, fails: printed.fails });
      }
      if ('min' in printed && 'value' in printed && !('passes' in printed)) {
        const s = result.metrics[key]!.values[0]!.stats as { value: number; min: number; max: number };
        expect(s, key).toEqual({ value: printed.value, min: printed.min, max: printed.max });
      }
      // Rates per second: ours divide by the points' span, k6's by its own run clock (a little longer).
      if ('rate' in printed && 'count' in printed) {
        expect(figure(result, key, 'rate')! / printed.rate!, key).toBeGreaterThan(0.99);
        expect(figure(result, key, 'rate')! / printed.rate!, key).toBeLessThan(1.01);
      }
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(8);
  });

  it('gives every trend (and submetric) k6 printed within HDR precision', async () => {
    const { result } = await imported;
    let compared = 0;
    for (const [key, printed] of Object.entries(k6)) {
      if (!('avg' in printed)) continue;
      const exact = exactValues(points, key);
      expect(exact.length, key).toBeGreaterThan(0);
      for (const agg of ['avg', 'min', 'max']) {
        expect(Math.abs(figure(result, key, agg)! - printed[agg]!), `${key} ${agg}`).toBeLessThanOrEqual(
          printed[agg]! * 0.001 + 0.0005,
        );
      }
      for (const [agg, p] of Object.entries(PERCENTILES)) {
        // k6's rank (linear interpolation over n − 1), and the values either side of it.
        const rank = (exact.length - 1) * (p / 100);
        const lo = exact[Math.floor(rank)]!;
        const hi = exact[Math.ceil(rank)]!;
        expect(printed[agg]!, `${key} ${agg}: k6 itself`).toBeGreaterThanOrEqual(lo - 1e-9);
        expect(printed[agg]!, `${key} ${agg}: k6 itself`).toBeLessThanOrEqual(hi + 1e-9);
        const ours = figure(result, key, agg)!;
        expect(
          near(ours, lo, hi),
          `${key} ${agg}: ours ${ours}, k6 ${printed[agg]}, around [${lo}, ${hi}]`,
        ).toBe(true);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(30);
  });

  it("re-judges k6's declared thresholds with judge() and keeps the op tag", async () => {
    const { result } = await imported;
    expect(result.thresholds.map((t) => `${t.metric}:${t.expression}:${t.status}`).sort()).toEqual([
      'checks:rate>0.9:pass',
      'http_req_failed:rate<0.01:pass',
      'rate_limited:count<1000:pass',
    ]);
    const ops = new Set(result.metrics.http_req_duration!.values.map((v) => v.tags.op));
    expect([...ops].sort()).toEqual(['create_session', 'get_session', 'send_message']);
    // url holds thread ids: one tag set per request if kept.
    expect(result.metrics.http_req_duration!.values.every((v) => !('url' in v.tags))).toBe(true);
    expect(result.notices!.join('\n')).toMatch(/op_duration\{op:send_message\}.*not their thresholds/);
  });
});

describe('importing summaries', () => {
  it.each([
    ['summary-export.json', 'summary-export'],
    ['handle-summary.json', 'handle-summary'],
  ])("%s: k6's exact counts, its verdicts, no invented histogram", async (file, format) => {
    const { result, format: detected } = await importK6File(sample(file));
    expect(detected).toBe(format);
    expect(result.verdict).toBe('passed');
    const k6 = legacy('summary-export.json');
    expect(result.metrics.http_reqs!.values[0]!.stats).toMatchObject({ count: k6.http_reqs!.count });
    expect(result.metrics.iterations!.values[0]!.stats).toMatchObject({ count: 200 });
    expect(result.metrics.checks!.values[0]!.stats).toEqual({ rate: 1, passes: 200, fails: 0 });
    expect(Object.values(result.metrics).some((m) => m.kind === 'trend')).toBe(false);
    const printed = (result.target as { k6: { printed: Record<string, Record<string, number>> } }).k6.printed;
    expect(printed['http_req_duration{op:get_session}']!['p(95)']).toBe(
      k6['http_req_duration{op:get_session}']!['p(95)'],
    );
    expect(result.notices!.join('\n')).toMatch(/no histogram/);
    expect(result.thresholds).toHaveLength(6);
    expect(result.thresholds.every((t) => t.ok && t.note === "k6's own verdict, from its summary")).toBe(
      true,
    );
    expect(result.durationMs).toBeCloseTo(6102.51, 1);
  });

  it.each(['summary-export-failed.json', 'handle-summary-failed.json'])(
    "%s: k6's failed threshold stays failed",
    async (file) => {
      const { result } = await importK6File(sample(file));
      expect(result.verdict).toBe('failed');
      const failed = result.thresholds.filter((t) => !t.ok);
      expect(failed.map((t) => `${t.metric} ${t.expression}`)).toEqual([
        'op_duration{op:send_message} p(95)<0.001',
      ]);
      expect(failed[0]!.actual).toBe(3);
    },
  );

  it('reads the k6 ≥ 1.5 machine-readable summary (a hand-made fixture: see fixtures/README.md)', async () => {
    const { result, format } = await importK6File(join(FIXTURES, 'machine-readable-summary.json'));
    expect(format).toBe('machine-readable-summary');
    expect((result.metrics.http_reqs!.values[0]!.stats as { count: number }).count).toBe(408);
    expect(result.thresholds.map((t) => `${t.metric} ${t.expression} ${t.status}`)).toContain(
      'op_duration{op:send_message} p(95)<200 pass',
    );
  });

  it('judges a threshold of ours on the figure k6 printed, and says when k6 printed none', async () => {
    const { result } = await importK6File(sample('summary-export.json'), {
      thresholds: {
        'http_req_duration{op:get_session}': ['p(95)<0.5', 'p(99)<500'],
        http_reqs: ['count>400'],
      },
    });
    const ours = result.thresholds.slice(6).map((t) => `${t.expression} ${t.status}`);
    expect(ours).toEqual(['p(95)<0.5 fail', 'p(99)<500 no-data', 'count>400 pass']);
    expect(result.verdict).toBe('failed');
  });
});
