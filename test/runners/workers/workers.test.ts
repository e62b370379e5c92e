/**
 * Acceptance of split runs (issue 13, items 3 and 5), with real processes on loopback:
 * `run --workers 2` does exactly what the scenario demands; a budget shared through a real
 * Redis keeps two workers under the mock's per-key limit (and, as the control, two workers
 * without it exceed it); and the local simulation of a Kubernetes Indexed Job — three
 * processes with JOB_COMPLETION_INDEX=0..2 and `--segments 3` against one mock, then `merge` —
 * gives the totals of one run of the same scenario.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demandedIterations } from '../../../harness/engine/executors/demand.js';
import type { RunResult } from '../../../harness/engine/result/types.js';
import { applyOverrides } from '../../../harness/engine/run/overrides.js';
import { fingerprintKey } from '../../../mock-server/core/keys.js';
import { type RunningMockServer, startMockServer } from '../../../mock-server/http/server.js';
import steady from '../../../scenarios/builtin/steady.js';
import { validateScenario } from '../../../scenarios/model/scenario.js';
import { runCli } from '../../support/cli.js';
import { findRedisServer, NO_REDIS_REASON, startRedisServer } from '../../support/redis-server.js';

const dir = mkdtempSync(join(tmpdir(), 'nexus-harness-workers-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const readResult = (path: string): RunResult => JSON.parse(readFileSync(path, 'utf8')) as RunResult;

/** A counter's total over every tag set (`ops`, `iterations`). */
function total(result: RunResult, metric: string): number {
  const values = result.metrics[metric]?.values ?? [];
  return values.reduce((n, v) => n + ((v.stats as { count?: number }).count ?? 0), 0);
}

interface Completion {
  demanded: number | null;
  completed: number;
  dropped: number;
  interrupted: number;
}

/** The key's requests and 429s in a mock's whole ledger. */
function keyLedger(mock: RunningMockServer, apiKey = 'nexus-mock-key') {
  const keyId = fingerprintKey(apiKey);
  const requests = mock.simulator.ledger(0).requests.filter((r) => r.keyId === keyId);
  return { requests: requests.length, rateLimited: requests.filter((r) => r.status === 429).length };
}

const LONG = 150_000;

describe('run --workers', () => {
  it(
    'steady over 2 workers performs exactly what the scenario demands, with a complete audit',
    async () => {
      const out = join(dir, 'workers-steady');
      const run = await runCli(
        ['run', 'steady', '--workers', '2', '--duration', '3s', '--rate', '50', '--out', out],
        { killAfterMs: LONG },
      );
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      expect(run.stdout).toMatch(/merged 2 workers/);
      const demanded = demandedIterations(
        applyOverrides(validateScenario(steady), { durationMs: 3_000, rate: 50 }).executors.main!,
      );
      expect(demanded).toBe(150);
      const result = readResult(join(out, 'result.json'));
      const completion = result.completion as Completion;
      // ± 0: every iteration of the one-process schedule, once.
      expect(completion).toMatchObject({ demanded, completed: demanded, dropped: 0, interrupted: 0 });
      expect(total(result, 'iterations')).toBe(demanded);
      expect(total(result, 'ops')).toBe(demanded);
      const audit = result.audit as { complete: boolean; operations: number; duplicates: { count: number } };
      expect(audit.complete).toBe(true);
      expect(audit.duplicates.count).toBe(0);
      // The whole scenario, not one worker's share.
      expect((result.scenario as { resolved: typeof steady }).resolved.executors.main).toMatchObject({
        rate: 50,
        maxVUs: 200,
      });
      expect(result.verdict).toBe('passed');
    },
    LONG,
  );
});

describe('run --workers, interrupted', () => {
  it(
    'Ctrl-C stops every worker once, and the partial merged result is still written (exit 105)',
    async () => {
      const out = join(dir, 'workers-interrupted');
      let sent = false;
      const run = await runCli(
        ['run', 'steady', '--workers', '2', '--duration', '30s', '--rate', '20', '--out', out],
        {
          killAfterMs: LONG,
          onStderr: (text, child) => {
            // Both workers are running their load (each has reported operations done): the
            // terminal's Ctrl-C reaches the parent only.
            if (
              !sent &&
              /\[worker 0\] \[\d+s\].* ops [1-9]/.test(text) &&
              /\[worker 1\] \[\d+s\].* ops [1-9]/.test(text)
            ) {
              sent = true;
              child.kill('SIGINT');
            }
          },
        },
      );
      expect(sent).toBe(true);
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(105);
      expect(run.stderr).toMatch(/\[worker 0\] exited 105/);
      expect(run.stderr).toMatch(/\[worker 1\] exited 105/);
      expect(run.stdout).toMatch(/INTERRUPTED \(partial result, not a pass\)/);
      const result = readResult(join(out, 'result.json'));
      expect(result.verdict).toBe('interrupted');
      const completion = result.completion as Completion & { notStarted: number };
      // The whole schedule is demanded (600), a part of it done, the rest never started.
      expect(completion.demanded).toBe(600);
      expect(completion.completed).toBeGreaterThan(0);
      expect(completion.completed).toBeLessThan(600);
    },
    LONG,
  );
});

/** Demands 20 reads/s for 3 s of a key its mock limits to 10 per second. */
const SHARED_BUDGET = 'test/fixtures/workers/shared-budget.json';

describe('run --workers on its own mock, without a shared budget', () => {
  it(
    "judges Retry-After over the whole key on its own mock: workers that do not share a budget break each other's pauses (exit 99)",
    async () => {
      const out = join(dir, 'workers-apart');
      const run = await runCli(['run', SHARED_BUDGET, '--workers', '2', '--out', out], { killAfterMs: LONG });
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(99);
      const result = readResult(join(out, 'result.json'));
      const shared = (
        result.target as { sharedLedger: { rateLimited: number; retryAfterViolations: number } }
      ).sharedLedger;
      expect(shared.rateLimited).toBeGreaterThan(0);
      expect(shared.retryAfterViolations).toBeGreaterThan(0);
      // The merged audit and its metric say so, and the scenario's threshold failed on it.
      expect((result.audit as { retryAfterViolations: { count: number } }).retryAfterViolations.count).toBe(
        shared.retryAfterViolations,
      );
      expect(result.thresholds.find((t) => t.metric === 'retry_after_violations')).toMatchObject({
        ok: false,
        actual: shared.retryAfterViolations,
      });
    },
    LONG,
  );
});

const redisBin = findRedisServer();
if (redisBin === null) console.warn(`[run --workers --redis] skipped: ${NO_REDIS_REASON}`);

describe.skipIf(redisBin === null)('run --workers with a budget shared through Redis', () => {
  const limits = {
    perMinute: { limit: 10, windowMs: 1_000 },
    perHour: { limit: 1_000, windowMs: 3_600_000 },
  };

  async function twoWorkers(extra: string[]) {
    const mock = await startMockServer({ config: { limits } });
    try {
      const run = await runCli(
        ['run', SHARED_BUDGET, '--workers', '2', '--mock-url', mock.url, '--no-out', ...extra],
        { killAfterMs: LONG },
      );
      return { run, ledger: keyLedger(mock) };
    } finally {
      await mock.close();
    }
  }

  it(
    "never exceeds the mock's per-key limit with --redis; two budgets of their own do (the control)",
    async () => {
      const redis = await startRedisServer();
      try {
        const shared = await twoWorkers(['--redis', redis.url]);
        expect(shared.run.code, `${shared.run.stdout}\n${shared.run.stderr}`).toBe(0);
        // Load reached the mock (the limit was worth checking), and it never answered 429.
        expect(shared.ledger.requests).toBeGreaterThan(limits.perMinute.limit);
        expect(shared.ledger.rateLimited).toBe(0);
        expect(shared.run.stdout).toMatch(/429 0 /);
      } finally {
        await redis.stop();
      }
      // The same two workers, each with a budget of its own: together they exceed the limit,
      // so the check above is one that can fail.
      const apart = await twoWorkers([]);
      expect(apart.run.stdout, apart.run.stderr).toMatch(/merged 2 workers/);
      expect(apart.run.stderr).toMatch(/each of the 2 workers has the client budget of its own/);
      expect(apart.ledger.rateLimited).toBeGreaterThan(0);
    },
    LONG,
  );
});

describe('a Kubernetes Indexed Job, simulated: --segments 3 with JOB_COMPLETION_INDEX=0..2, then merge', () => {
  it(
    'gives the totals of one run of the same scenario',
    async () => {
      const load = ['--duration', '3s', '--rate', '30', '--quiet'];
      const mock = await startMockServer({ config: { limits: false } });
      let pods: Awaited<ReturnType<typeof runCli>>[];
      try {
        pods = await Promise.all(
          [0, 1, 2].map((index) =>
            runCli(
              [
                'run',
                'steady',
                '--segments',
                '3',
                '--out',
                join(dir, 'job', String(index)),
                '--mock-url',
                mock.url,
                ...load,
              ],
              { env: { JOB_COMPLETION_INDEX: String(index) }, killAfterMs: LONG },
            ),
          ),
        );
      } finally {
        await mock.close();
      }
      for (const pod of pods) expect(pod.code, `${pod.stdout}\n${pod.stderr}`).toBe(0);
      const mergedPath = join(dir, 'job', 'merged.json');
      const merge = await runCli(
        ['merge', ...[0, 1, 2].map((i) => join(dir, 'job', String(i), 'result.json')), '-o', mergedPath],
        { killAfterMs: LONG },
      );
      expect(merge.code, `${merge.stdout}\n${merge.stderr}`).toBe(0);
      const single = await runCli(['run', 'steady', '--out', join(dir, 'single'), ...load], {
        killAfterMs: LONG,
      });
      expect(single.code, `${single.stdout}\n${single.stderr}`).toBe(0);

      const merged = readResult(mergedPath);
      const one = readResult(join(dir, 'single', 'result.json'));
      const parts = [0, 1, 2].map((i) => readResult(join(dir, 'job', String(i), 'result.json')));
      // Each pod ran a third of the schedule (its stripe), and together the whole of it.
      expect(parts.map((p) => (p.completion as Completion).demanded)).toEqual([30, 30, 30]);
      expect((merged.completion as Completion).demanded).toBe((one.completion as Completion).demanded);
      expect((merged.completion as Completion).completed).toBe((one.completion as Completion).completed);
      expect(total(merged, 'iterations')).toBe(total(one, 'iterations'));
      expect(total(merged, 'ops')).toBe(total(one, 'ops'));
      expect(total(merged, 'ops')).toBe(90);
      const audit = (r: RunResult) => r.audit as { complete: boolean; operations: number; requests: number };
      expect(audit(merged).complete).toBe(true);
      expect(audit(merged).operations).toBe(audit(one).operations);
      expect((merged.scenario as { resolved: unknown }).resolved).toEqual(
        (one.scenario as { resolved: unknown }).resolved,
      );
      expect(merged.verdict).toBe('passed');
    },
    LONG,
  );
});
