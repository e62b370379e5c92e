import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createResult } from '../../harness/engine/result/create-result.js';
import { virtualRecorder } from '../../harness/engine/result/test-helpers.js';
import type { RunResult } from '../../harness/engine/result/types.js';
import { completionOf } from '../../harness/engine/run/completion.js';
import { runCliInProcess as cli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'nexus-harness-merge-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Writes segment `index` of `count` of a run of scenario `name` (as `run --segment` stores
 * one): `done` of `demanded` iterations, one `ops` each at 10 + index ms, and an audit with
 * `duplicates` duplicates. Returns its path.
 */
function writeSegment(
  file: string,
  part: { index: number; count: number; name?: string; demanded: number; done: number; duplicates?: number },
): string {
  const { recorder, at } = virtualRecorder();
  for (let i = 0; i < part.done; i++) {
    recorder.counter('ops', { op: 'poll' }).add();
    recorder.trend('op_duration', { op: 'poll' }).record(10 + part.index);
    recorder.rate('op_failed', { op: 'poll' }).add(false);
  }
  const duplicates = part.duplicates ?? 0;
  recorder.counter('duplicates', {}).add(duplicates);
  const executors = {
    main: {
      executor: 'constant-arrival-rate' as const,
      iterations: part.done,
      failed: 0,
      dropped: 0,
      interrupted: 0,
      demanded: part.demanded,
      vusMax: 1,
      startedAtMs: 0,
      endedAtMs: 3_000,
    },
  };
  const completion = completionOf(executors);
  for (let i = 0; i < part.demanded; i++)
    recorder.rate('completion', { executor: 'main' }).add(i < part.done);
  at(3_000);
  recorder.stop();
  const whole = {
    name: part.name ?? 'steady',
    executors: { main: { executor: 'constant-arrival-rate', rate: 10 } },
  };
  const result: RunResult = createResult({
    runId: `seg-${part.index}-${part.name ?? 'steady'}`,
    startedAt: '2026-12-01T10:00:00.000Z',
    recorder,
    scenario: {
      name: whole.name,
      thresholds: { completion: ['rate==1'], duplicates: ['count==0'] },
      resolved: whole,
      executors,
      segment: { index: part.index, count: part.count },
      whole,
    },
    target: { kind: 'mock', baseUrl: 'http://127.0.0.1:1/api/public', audited: true },
    audit: {
      complete: true,
      incomplete: [],
      unjudged: 0,
      operations: part.done,
      requests: part.done,
      duplicates: {
        count: duplicates,
        examples: Array.from({ length: duplicates }, (_, i) => `seg-${part.index}.op${i}`),
      },
      lost: { count: 0, examples: [] },
      failedButApplied: { count: 0, examples: [] },
      retryAfterViolations: { count: 0, examples: [], details: [] },
      rateLimited: 0,
      rateLimitedRatio: 0,
      retryAmplification: 1,
      passed: duplicates === 0,
    },
    completion,
  });
  const path = join(dir, file);
  writeFileSync(path, JSON.stringify(result));
  return path;
}

describe('nexus-harness merge', () => {
  const a = writeSegment('a.json', { index: 0, count: 2, demanded: 10, done: 10 });
  const b = writeSegment('b.json', { index: 1, count: 2, demanded: 10, done: 10 });

  it('merges the segments of a run, writes the merged result and exits 0 when it passes', async () => {
    const out = join(dir, 'merged.json');
    const outcome = await cli(['merge', a, b, '-o', out]);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout).toMatch(/merged 2 result\(s\) of scenario steady/);
    expect(outcome.stdout).toMatch(/iterations 20 demanded, 20 done/);
    const merged = JSON.parse(readFileSync(out, 'utf8')) as RunResult;
    expect(merged.completion).toMatchObject({ demanded: 20, completed: 20 });
    expect(merged.metrics.ops?.values[0]?.stats).toMatchObject({ count: 20 });
    expect(merged.verdict).toBe('passed');
  });

  it("combines the audits' findings (not the first one's) and exits 99 when a threshold fails over the merge", async () => {
    const clean = writeSegment('clean.json', { index: 0, count: 2, demanded: 10, done: 10 });
    const dirty = writeSegment('dirty.json', { index: 1, count: 2, demanded: 10, done: 10, duplicates: 2 });
    const out = join(dir, 'dirty-merged.json');
    const outcome = await cli(['merge', clean, dirty, '-o', out]);
    expect(outcome.code, outcome.stderr).toBe(99);
    const merged = JSON.parse(readFileSync(out, 'utf8')) as RunResult;
    expect(merged.audit).toMatchObject({ duplicates: { count: 2, examples: ['seg-1.op0', 'seg-1.op1'] } });
    expect(merged.thresholds.find((t) => t.metric === 'duplicates')).toMatchObject({ ok: false, actual: 2 });
  });

  it('refuses a missing file and a file that is not a result, naming it (exit 2)', async () => {
    const missing = await cli(['merge', a, join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.json: no such file/);
    const notResult = join(dir, 'not-a-result.json');
    writeFileSync(notResult, JSON.stringify({ name: 'x' }));
    const wrong = await cli(['merge', a, notResult]);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/not-a-result\.json: not a nexus-harness result/);
  });

  it('refuses runs of different scenarios, naming them and their files (exit 2)', async () => {
    const smoke = writeSegment('smoke.json', { index: 1, count: 2, name: 'smoke', demanded: 10, done: 10 });
    const outcome = await cli(['merge', a, smoke]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/different scenarios \(steady: .*a\.json; smoke: .*smoke\.json\)/);
  });

  it('refuses a missing segment, a segment twice and the same file twice (exit 2)', async () => {
    const third = writeSegment('third.json', { index: 0, count: 3, demanded: 10, done: 10 });
    const missing = await cli(['merge', third]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/segment\(s\) 1\/3, 2\/3 missing/);
    const again = writeSegment('again.json', { index: 0, count: 2, demanded: 10, done: 10 });
    const twice = await cli(['merge', a, again, b]);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/segment 0\/2 is there twice/);
    const sameFile = await cli(['merge', a, a]);
    expect(sameFile.code).toBe(2);
    expect(sameFile.stderr).toMatch(/a\.json is given twice/);
  });

  it('refuses an -o that is a folder, in a folder that does not exist, or one of the inputs (exit 2)', async () => {
    const folder = await cli(['merge', a, b, '-o', dir]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/is a folder: give the merged result's file name/);
    const nowhere = await cli(['merge', a, b, '-o', join(dir, 'no', 'such', 'merged.json')]);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toMatch(/does not exist/);
    const input = await cli(['merge', a, b, '-o', a]);
    expect(input.code).toBe(2);
    expect(input.stderr).toMatch(/is one of the results to merge/);
  });

  it('teaches in --help: the files, -o, what the merge does and the exit codes', async () => {
    const outcome = await cli(['merge', '--help']);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/--output/);
    expect(outcome.stdout).toMatch(/HDR histograms added/);
    expect(outcome.stdout).toMatch(/Exit codes: 0 .* 99 .* 2 /s);
  });
});
