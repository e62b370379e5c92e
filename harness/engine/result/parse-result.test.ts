import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../util/validation.js';
import { createResult } from './create-result.js';
import { mergeResults } from './merge-results.js';
import { parseResult } from './parse-result.js';
import { virtualRecorder } from './test-helpers.js';

function sampleResult() {
  const { recorder, at } = virtualRecorder();
  recorder.trend('op_duration', { op: 'send' }).record(12);
  recorder.counter('ops', { op: 'send' }).add();
  recorder.rate('op_failed', {}).add(false);
  recorder.gauge('vus', {}).set(2);
  at(1_000);
  recorder.stop();
  return createResult({
    runId: 'run-1',
    startedAt: '2026-01-01T00:00:00Z',
    recorder,
    scenario: { name: 'smoke' },
  });
}

describe('parseResult', () => {
  it('accepts a result that went through JSON, and it still merges', () => {
    const text = JSON.stringify(sampleResult());
    const parsed = parseResult(JSON.parse(text));
    expect(parsed.runId).toBe('run-1');
    expect(mergeResults(parsed, parseResult(JSON.parse(text))).metrics.ops?.values[0]?.stats).toMatchObject({
      count: 2,
    });
  });

  it("keeps the generator's load window and whole-run figures when a result is read back", () => {
    const result = sampleResult();
    const generator = {
      ...result.generator,
      loadWindow: { fromMs: 100, toMs: 2_100 },
      wholeRun: {
        elapsedMs: 2_500,
        eventLoopDelayMs: null,
        cpu: { meanCores: 0.4, userMs: 800, systemMs: 200 },
      },
    };
    const parsed = parseResult(JSON.parse(JSON.stringify({ ...result, generator })));
    expect(parsed.generator).toMatchObject({
      loadWindow: { fromMs: 100, toMs: 2_100 },
      wholeRun: { elapsedMs: 2_500 },
    });
  });

  it('keeps the completion report when a result is read back (report, merge and compare read results from files)', () => {
    const completion = { executors: [{ name: 'main', demanded: 10, done: 9, dropped: 1 }], rate: 0.9 };
    const parsed = parseResult(JSON.parse(JSON.stringify({ ...sampleResult(), completion })));
    expect(parsed.completion).toEqual(completion);
  });

  it('keeps the run metadata when there is some, and accepts older results without it', () => {
    const result = sampleResult();
    expect(parseResult(JSON.parse(JSON.stringify(result))).meta).toBeUndefined();
    const meta = {
      harnessVersion: '0.1.0',
      node: 'v20.20.2',
      os: 'linux 6.8.0 (x64)',
      cpus: 2,
      commandLine: 'nexus-harness run smoke --seed 3',
      unsafeIgnoreRateLimits: false,
      seed: 3,
    };
    expect(parseResult(JSON.parse(JSON.stringify({ ...result, meta }))).meta).toEqual(meta);
    expect(() => parseResult({ ...result, meta: { ...meta, cpus: 'two' } })).toThrow(/meta\.cpus/);
  });

  it("keeps the series' retries and p90 columns, and reads older results without them", () => {
    const result = JSON.parse(JSON.stringify(sampleResult()));
    const series = parseResult(result).series;
    expect(series.retries).toEqual([0, 0]);
    expect(series.p90Ms?.[0]).toBeCloseTo(12, 0); // the sketch's bucket, within 3.2 %
    expect(series.p90Ms?.[1]).toBeNull();
    delete result.series.retries;
    delete result.series.p90Ms;
    const older = parseResult(result).series;
    expect(older).not.toHaveProperty('retries');
    expect(older).not.toHaveProperty('p90Ms');
    expect(older.ops).toEqual([1, 0]);
  });

  it('names every bad field at once', () => {
    const bad = JSON.parse(JSON.stringify(sampleResult()));
    bad.version = 2;
    bad.startedAt = 'yesterday';
    bad.metrics.op_duration.values[0].histogram = '';
    bad.metrics.ops.kind = 'histogram';
    delete bad.series.p99Ms;
    try {
      parseResult(bad, 'out/result.json');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const paths = (err as ConfigError).problems.map((p) => p.path).sort();
      expect(paths).toEqual([
        'metrics.op_duration.values[0].histogram',
        'metrics.ops.kind',
        'series.p99Ms',
        'startedAt',
        'version',
      ]);
      expect((err as Error).message).toMatch(/^Invalid out\/result\.json: 5 problem/);
    }
  });
});
