import { describe, expect, it } from 'vitest';
import { createResult } from './create-result.js';
import { mergeResults } from './merge-results.js';
import { parseResult } from './parse-result.js';
import { virtualRecorder } from './test-helpers.js';
import type { RunResult } from './types.js';

/** A run whose `attempt_errors` counter holds `counts` (reason → count), with `examples`. */
function resultWith(
  counts: Record<string, number>,
  examples?: Record<string, string>,
  startedAt = '2026-01-01T00:00:00.000Z',
): RunResult {
  const { recorder, at } = virtualRecorder();
  for (const [reason, count] of Object.entries(counts))
    recorder.counter('attempt_errors', { op: 'get_session', reason }).add(count);
  at(10_000);
  recorder.stop();
  return createResult({ runId: 'r', startedAt, recorder, scenario: { name: 's' }, errorExamples: examples });
}

describe("the result's errorExamples", () => {
  it('is left out of a result without failures (an empty record is not written)', () => {
    expect('errorExamples' in resultWith({})).toBe(false);
    expect('errorExamples' in resultWith({}, {})).toBe(false);
    expect(resultWith({ '404': 1 }, { '404': 'Not Found' }).errorExamples).toEqual({ '404': 'Not Found' });
  });

  it('survives JSON and parseResult; results without it still parse; a bad one is named', () => {
    const written = resultWith({ '404': 2 }, { '404': 'Failed to GET /thread/{id}: status 404.' });
    const read = parseResult(JSON.parse(JSON.stringify(written)));
    expect(read.errorExamples).toEqual({ '404': 'Failed to GET /thread/{id}: status 404.' });
    const { errorExamples: _, ...older } = written;
    expect(parseResult(JSON.parse(JSON.stringify(older))).errorExamples).toBeUndefined();
    expect(() =>
      parseResult({ ...JSON.parse(JSON.stringify(written)), errorExamples: { '404': 7 } }),
    ).toThrow(/errorExamples\.404/);
  });

  it('a merge sums the errors counter and keeps the first example of each reason', () => {
    const a = resultWith({ '404': 2 }, { '404': 'first 404' }, '2026-01-01T00:00:00.000Z');
    const b = resultWith(
      { '404': 3, ECONNRESET: 1 },
      { '404': 'second 404', ECONNRESET: 'reset' },
      '2026-01-01T00:00:01.000Z',
    );
    const c = resultWith({});
    const merged = mergeResults(a, b, c);
    expect(merged.errorExamples).toEqual({ '404': 'first 404', ECONNRESET: 'reset' });
    expect(mergeResults(b, a).errorExamples).toEqual({ '404': 'second 404', ECONNRESET: 'reset' });
    const counts = merged.metrics.attempt_errors!.values.map((v) => [
      v.tags.reason,
      (v.stats as { count: number }).count,
    ]);
    expect(counts.sort()).toEqual([
      ['404', 5],
      ['ECONNRESET', 1],
    ]);
    expect('errorExamples' in mergeResults(c, resultWith({}))).toBe(false);
  });
});
