import { describe, expect, it } from 'vitest';
import { formatRunSummary } from '../../harness/cli/run-summary.js';
import { parseResult } from '../../harness/engine/result/parse-result.js';
import { judge } from '../../harness/engine/thresholds/judge.js';
import { loadScenarioFile } from '../../scenarios/model/load.js';
import scripted from '../fixtures/scenarios/valid/scripted.js';
import { runOn } from '../support/run.js';

const FIXTURE = new URL('../fixtures/scenarios/valid/scripted.ts', import.meta.url).pathname;

describe('a scripted iteration against the mock', () => {
  it('records its checks and custom metrics in the result and the summary, judges their thresholds, and audits its sends', async () => {
    const { result, exitCode } = await runOn(scripted, { durationMs: 2_000 });
    // Through JSON, as result.json is read back.
    const doc = parseResult(JSON.parse(JSON.stringify(result)));

    const checks = doc.metrics.checks;
    expect(checks?.kind).toBe('rate');
    const byCheck = new Map<string, { passes: number; fails: number }>();
    for (const entry of checks?.values ?? []) {
      const s = entry.stats as { passes: number; fails: number };
      byCheck.set(entry.tags.check!, s);
      expect(entry.tags.executor).toBe('main');
    }
    expect([...byCheck.keys()].sort()).toEqual([
      'reply has content',
      'reply is from the assistant',
      'session has an id',
    ]);
    for (const s of byCheck.values()) {
      expect(s.fails).toBe(0);
      expect(s.passes).toBeGreaterThan(0);
    }

    const askTime = doc.metrics.ask_time;
    expect(askTime?.kind).toBe('trend');
    expect(askTime?.unit).toBe('ms');
    const ask = askTime!.values[0]!.stats as { count: number; 'p(95)': number; min: number };
    expect(ask.count).toBeGreaterThan(0);
    // The mock's assistant answers after 50–150 ms.
    expect(ask.min).toBeGreaterThanOrEqual(40);
    expect(doc.metrics.questions?.values[0]?.tags).toEqual({ executor: 'main', kind: 'arithmetic' });

    const askThreshold = doc.thresholds.find((t) => t.metric === 'ask_time');
    expect(askThreshold).toMatchObject({ expression: 'p(95)<3000', status: 'pass', ok: true });
    expect(askThreshold?.actual).toBeCloseTo(ask['p(95)'], 6);
    expect(doc.thresholds.find((t) => t.metric === 'checks')).toMatchObject({ status: 'pass', actual: 1 });
    expect(doc.verdict).toBe('passed');
    expect(exitCode).toBe(0);

    // Each iteration is one operation of the application.
    const ops = doc.metrics.ops?.values.find((v) => v.tags.op === 'script');
    expect(ops?.stats).toMatchObject({ count: ask.count });
    // The audit saw the script's sends: one session and one message per iteration, none lost.
    const audit = doc.audit as { operations: number; lost: { count: number }; duplicates: { count: number } };
    expect(audit.lost.count).toBe(0);
    expect(audit.duplicates.count).toBe(0);

    // A merged or re-read result is judged the same way, custom metrics included.
    expect(judge(doc).verdict).toBe('passed');

    const summary = formatRunSummary(doc, null);
    expect(summary).toMatch(/ {2}checks {5}100\.00% — ✓ \d+ {2}✗ 0/);
    expect(summary).toContain('    ✓ reply is from the assistant');
    expect(summary).toMatch(/ {2}ask_time {3}avg [\d.]+ ms {2}p50 [\d.]+ ms {2}p95 [\d.]+ ms/);
    expect(summary).toMatch(/ {2}questions {2}\d+ \([\d.]+\/s\)/);
    expect(summary).toMatch(/✓ ask_time: p\(95\)<3000 \(actual [\d.]+ ms\)/);
    process.stdout.write(summary);
  });

  it('loads from its .ts file and keeps the function through validation', async () => {
    const scenario = await loadScenarioFile(FIXTURE);
    expect(typeof scenario.iteration).toBe('function');
    expect(scenario.workload).toBeNull();
    expect(scenario.metrics).toEqual({ ask_time: 'trend', questions: 'counter' });
  });
});
