/**
 * Our k6 summary export against real k6 v0.48 `--summary-export` files (`test/fixtures/k6-samples/`,
 * copied from `../shared/k6-samples/`): the same fields of the same kinds per metric kind, thresholds
 * `true` when failed, and k6's ids for groups and checks; and k6's importer reads it back.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importK6File } from '../../harness/runners/k6/import/import-k6.js';
import { renderK6Summary } from '../../reports/k6-summary.js';
import { sampleResult } from './sample-result.js';

const SAMPLES = join('test', 'fixtures', 'k6-samples');
type Json = Record<string, unknown>;
const sample = (name: string) => JSON.parse(readFileSync(join(SAMPLES, name), 'utf8')) as Json;

/** A metric's field names (without `thresholds`), sorted: k6's shape of that kind. */
const shape = (m: Json) =>
  Object.keys(m)
    .filter((k) => k !== 'thresholds')
    .sort();

describe('renderK6Summary', () => {
  const real = sample('summary-export-failed.json');
  const realMetrics = real.metrics as Record<string, Json>;
  const ours = renderK6Summary(
    sampleResult({ 'op_duration{op:send_message}': ['p(95)<0.001', 'p(99)<500'], op_failed: ['rate<0.5'] }),
  );
  const metrics = ours.metrics as unknown as Record<string, Json>;

  it("gives each metric kind k6's fields", () => {
    // k6's trend, counter, rate and gauge, from the real export.
    const trend = shape(realMetrics.http_req_duration!);
    const counter = shape(realMetrics.http_reqs!);
    const rate = shape(realMetrics.http_req_failed!);
    const gauge = shape(realMetrics.vus!);
    expect(shape(metrics.op_duration!)).toEqual(trend);
    expect(shape(metrics['op_duration{op:send_message}']!)).toEqual(trend);
    expect(shape(metrics.http_reqs!)).toEqual(counter);
    expect(shape(metrics.op_failed!)).toEqual(rate);
    expect(shape(metrics.checks!)).toEqual(shape(realMetrics.checks!));
    expect(shape(metrics.vus!)).toEqual(gauge);
    for (const m of Object.values(metrics))
      for (const [k, v] of Object.entries(m)) if (k !== 'thresholds') expect(v, k).toBeTypeOf('number');
  });

  it('marks a failed threshold true and a passed one false, under the submetric as k6 names it', () => {
    const realFailed = realMetrics['op_duration{op:send_message}']!.thresholds;
    expect(realFailed).toEqual({ 'p(95)<0.001': true });
    expect(metrics['op_duration{op:send_message}']!.thresholds).toEqual({
      'p(95)<0.001': true,
      'p(99)<500': false,
    });
    expect(metrics.op_failed!.thresholds).toEqual({ 'rate<0.5': false });
    expect(metrics['op_duration{op:send_message}']).toMatchObject({ min: 1, max: 40, avg: 20.5 });
    expect(metrics.http_reqs).toEqual({ count: 75, rate: 7.5 });
  });

  it("has k6's root group, with checks named and id'd as k6 does", () => {
    const realRoot = real.root_group as Json;
    expect(Object.keys(ours.root_group).sort()).toEqual(Object.keys(realRoot).sort());
    expect(ours.root_group.id).toBe(realRoot.id);
    const realCheck = (realRoot.checks as Record<string, Json>)['session answered']!;
    const check = ours.root_group.checks['session answered']!;
    expect(Object.keys(check).sort()).toEqual(Object.keys(realCheck).sort());
    expect(check).toMatchObject({ id: realCheck.id, path: realCheck.path, passes: 1, fails: 1 });
  });

  it("is read back by our k6 importer as k6's own export, with its verdicts", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nh-k6-summary-'));
    const file = join(dir, 'summary.json');
    writeFileSync(file, JSON.stringify(ours, null, 4));
    const { result } = await importK6File(file, {}).finally(() => rmSync(dir, { recursive: true }));
    expect(result.passed).toBe(false);
    expect(result.metrics.http_reqs?.values[0]?.stats).toMatchObject({ count: 75 });
    const failed = result.thresholds.filter((t) => !t.ok).map((t) => `${t.metric}: ${t.expression}`);
    expect(failed).toEqual(['op_duration{op:send_message}: p(95)<0.001']);
  });
});
