import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it, type TestContext } from 'vitest';
import type { AuditReport } from '../../harness/engine/auditor/audit.js';
import type { CompletionReport } from '../../harness/engine/run/completion.js';
import { judge } from '../../harness/engine/thresholds/judge.js';
import { type RunningMockServer, startMockServer } from '../../mock-server/http/server.js';
import { runOn } from '../support/run.js';

/**
 * Issue "a run keeps its word": each case was reproduced on main before the fix (the figures
 * in the comments), against real mock servers on loopback, through the real client. The runs
 * take real time (runScenario runs on the real clock), so they are kept short; the cases that
 * only wait (on a budget, a stalled mock, a restart) run side by side, and those whose
 * assertions weigh the machine (a flood, a latency threshold, a bound after a signal) on their own.
 */

/** A mock on loopback for one test, closed when that test ends (concurrent tests share no list). */
async function mock(
  ctx: TestContext,
  config: unknown,
  options: { port?: number; adminToken?: string } = {},
): Promise<RunningMockServer> {
  const server = await startMockServer({ config, shutdownGraceMs: 0, ...options });
  ctx.onTestFinished(() => server.close());
  return server;
}

/** A mock in a process of its own (so that it can be frozen with SIGSTOP); resolves with its URL. */
function mockProcess(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'harness/cli/main.ts', 'mock', '--port', '0', '--no-limits'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.push(child);
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const url = /(http:\/\/127\.0\.0\.1:\d+\/api\/public)/.exec(out)?.[1];
      if (url) resolve({ child, url });
    });
    child.on('exit', (code) => reject(new Error(`mock exited early (${code}): ${out}`)));
  });
}
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) {
    child.kill('SIGCONT');
    child.kill('SIGKILL');
  }
});

const statusOf = (thresholds: { metric: string; status?: string }[], metric: string) =>
  thresholds.filter((t) => t.metric === metric).map((t) => t.status);

describe('a run keeps its word (on its own: the machine is part of what is measured)', () => {
  it('an impossible arrival rate ends on time, with dropped = demanded − started (was 29 s, 2 dropped)', async () => {
    const { result, exitCode } = await runOn({
      name: 'flood',
      executors: {
        flood: {
          executor: 'constant-arrival-rate',
          rate: 100_000,
          duration: '1s',
          gracefulStop: '1s',
          preAllocatedVUs: 4,
          maxVUs: 4,
        },
      },
      workload: { mix: { getSession: 1 } },
      mock: { limits: false },
    });
    const c = result.completion as CompletionReport;
    // duration + gracefulStop + the short bound for the client and the audit
    expect(result.durationMs).toBeLessThan(1_000 + 1_000 + 2_000);
    expect(c.demanded).toBe(100_000);
    expect(c.notStarted).toBe(0);
    expect(c.dropped).toBe(100_000 - c.completed - c.interrupted);
    // Most of it could not start: 4 VUs on loopback manage some 10,000 a second (more as the
    // harness gets leaner), far from 100,000.
    expect(c.dropped).toBeGreaterThan(100_000 / 2);
    // Did far less than asked: the default completion threshold fails the run.
    expect(statusOf(result.thresholds, 'completion')).toEqual(['fail']);
    expect(exitCode).toBe(99);
  });

  // On its own: steady's op_duration p(99)<500 judges the exit code.
  it('a url target follows the server, not the real quota: 1 s of steady on a no-limit mock ends in seconds (was 240 s for 20 s)', async (ctx) => {
    const server = await mock(ctx, { limits: false });
    const notices: string[] = [];
    const { result, exitCode } = await runOn((await import('../../scenarios/builtin/steady.js')).default, {
      target: 'url',
      url: server.url,
      durationMs: 1_000,
      onNotice: (text) => notices.push(text),
    });
    // As the engine measured it: 1 s of load, the graceful stop it did not need, and slack.
    expect(result.durationMs).toBeLessThan(8_000);
    expect(notices[0]).toMatch(
      /client budgets: none of the client's own: it follows the server's X-RateLimit-\*/,
    );
    expect(result.scenario).toMatchObject({
      budgets: { source: 'server', perMinute: false, perHour: false },
    });
    expect(exitCode, JSON.stringify(result.thresholds)).toBe(0);
  });

  it('a mock frozen at the end of the run cannot hold it: the ledger read is bounded, a signal cuts it', async () => {
    const frozenRun = async (abortWhenAuditing: boolean) => {
      const { child, url } = await mockProcess();
      const ctl = new AbortController();
      let abortedAt = 0;
      const started = Date.now();
      const run = runOn(
        {
          name: 'frozen',
          executors: {
            main: {
              executor: 'constant-arrival-rate',
              rate: 10,
              duration: '1s',
              gracefulStop: '1s',
              preAllocatedVUs: 5,
            },
          },
          workload: { mix: { getSession: 1 } },
        },
        {
          target: 'url',
          url,
          signal: ctl.signal,
          progressIntervalMs: 100,
          onProgress: (p) => {
            if (abortWhenAuditing && p.phase === 'auditing' && abortedAt === 0) {
              abortedAt = Date.now();
              ctl.abort(new Error('interrupted by SIGTERM'));
            }
          },
        },
      );
      setTimeout(() => child.kill('SIGSTOP'), 600); // mid-run: requests hang, then the audit's read
      const outcome = await run;
      return {
        ...outcome,
        wallMs: Date.now() - started,
        afterAbortMs: abortedAt === 0 ? null : Date.now() - abortedAt,
      };
    };

    // Two mocks, two runs, side by side: one left to its bounds, one cut by a signal.
    const [bounded, cut] = await Promise.all([frozenRun(false), frozenRun(true)]);
    // duration 1 s + gracefulStop 1 s + client close 1 s + one 3 s bound on the ledger read, and slack
    expect(bounded.wallMs).toBeLessThan(9_000);
    expect(bounded.result.audit).toBeNull();
    expect(bounded.result.notices?.join('\n')).toMatch(
      /no audit: the mock's ledger could not be read \(reading the mock's ledger took longer than 3000 ms\)/,
    );

    expect(cut.afterAbortMs).not.toBeNull();
    expect(cut.afterAbortMs!).toBeLessThan(1_500);
    expect(cut.exitCode).toBe(105);
    expect(cut.result.notices?.join('\n')).toMatch(/the run was stopped while the ledger was read/);
  }, 60_000);
});

describe.concurrent('a run keeps its word (side by side: these runs mostly wait)', () => {
  it('a rate the budget cannot carry is announced, cut at duration + gracefulStop, and the held work shown', async (ctx) => {
    const { expect } = ctx;
    const notices: string[] = [];
    const progress: (string | null)[] = [];
    const { result, exitCode } = await runOn(
      {
        name: 'too-fast-for-60-per-minute',
        executors: {
          main: {
            executor: 'constant-arrival-rate',
            rate: 90,
            duration: '1s',
            gracefulStop: '1s',
            preAllocatedVUs: 20,
            maxVUs: 100,
          },
        },
        workload: { mix: { getSession: 1 } },
        // The mock's real limits (60 per minute): the client's budget is 1 request/s.
      },
      {
        progressIntervalMs: 250,
        onNotice: (text) => notices.push(text),
        onProgress: (p) => progress.push(p.waitingFor),
      },
    );
    expect(result.durationMs).toBeLessThan(1_000 + 1_000 + 2_000);
    expect(notices[0]).toMatch(/client budgets: the mock's limits: 60 per 60 s and 1,000 per 3,600 s/);
    expect(notices[1]).toMatch(
      /demands 90 iterations .* in at most 2 s, but the client's budget lets 60 requests through/,
    );
    expect(notices.join('\n')).toMatch(
      /attempt\(s\) waited up to [\d.]+ s and were still in the client when the run ended/,
    );
    // Progress went on past the plan and said what it waited for.
    expect(progress.some((w) => w !== null && /graceful stop: waiting for \d+ operation/.test(w))).toBe(true);
    const c = result.completion as CompletionReport;
    expect(c.demanded).toBe(90);
    expect(c.interrupted).toBeGreaterThan(0);
    expect(c.completed + c.interrupted + c.dropped + c.notStarted).toBe(90);
    expect(result.notices).toEqual(notices);
    expect(exitCode).toBe(99);
  });

  it('a run in which nothing succeeded fails: no data is not a pass (was "op_failed (actual no data) ✓", exit 0)', async (ctx) => {
    const { expect } = ctx;
    // One request a minute, already spent: every operation waits for a reset the run never
    // reaches, so none completes.
    const server = await mock(ctx, { limits: { perMinute: { limit: 1, windowMs: 60_000 } } });
    await fetch(`${server.url}/thread`, { method: 'POST', headers: { 'api-key': 'nexus-mock-key' } });
    // smoke, with a 1 s graceful stop instead of its 5 s (the operations wait for a minute).
    const smoke = (await import('../../scenarios/builtin/smoke.js')).default;
    const main = { ...smoke.executors.main!, gracefulStop: '1s' };
    const { result, exitCode } = await runOn(
      { ...smoke, executors: { main } },
      { target: 'url', url: server.url, durationMs: 1_000 },
    );
    expect(result.metrics.ops?.values.every((v) => 'count' in v.stats && v.stats.count === 0) ?? true).toBe(
      true,
    );
    expect(statusOf(result.thresholds, 'op_failed')).toEqual(['no-data']);
    expect(result.thresholds.find((t) => t.metric === 'op_failed')?.ok).toBe(false);
    expect(result.verdict).toBe('failed');
    expect(exitCode).toBe(99);
  });

  it('without an op_failed threshold of its own, a run whose operations all stall or all fail still fails', async (ctx) => {
    const { expect } = ctx;
    const quick = {
      executor: 'constant-arrival-rate',
      rate: 10,
      duration: '1s',
      gracefulStop: '1s',
      preAllocatedVUs: 5,
    };
    const [stalled, refused] = await Promise.all([
      runOn({
        name: 'all-stall',
        executors: { main: quick },
        workload: { mix: { createSession: 1 } },
        mock: { limits: false, faults: [{ type: 'stall', probability: 1 }] },
        thresholds: { lost: ['count==0'] },
      }),
      runOn({
        name: 'all-429',
        executors: { main: quick },
        workload: { mix: { createSession: 1 } },
        client: { retry: { maxRateLimitWaitMs: '1s' } },
        mock: { limits: false, faults: [{ type: 'rate-limit', probability: 1, retryAfterSec: 3_600 }] },
        thresholds: { completion: ['rate>0'] },
      }),
    ]);
    expect(stalled.result.thresholds.find((t) => t.metric === 'op_failed')).toMatchObject({
      expression: 'rate<1',
      status: 'no-data',
      ok: false,
    });
    expect(stalled.exitCode).toBe(99);
    expect(refused.result.thresholds.find((t) => t.metric === 'op_failed')).toMatchObject({
      expression: 'rate<1',
      status: 'fail',
      actual: 1,
    });
    expect(refused.exitCode).toBe(99);
  });

  it('audit thresholds on a target without a ledger are n/a, not passed', async (ctx) => {
    const { expect } = ctx;
    // A mock whose admin API wants a token the harness does not have: no ledger to audit.
    const server = await mock(ctx, { limits: false }, { adminToken: 'not-given-to-the-harness' });
    const { result } = await runOn((await import('../../scenarios/builtin/smoke.js')).default, {
      target: 'url',
      url: server.url,
      durationMs: 1_000,
      env: {},
    });
    expect(result.audit).toBeNull();
    for (const metric of ['duplicates', 'lost', 'retry_after_violations']) {
      expect(statusOf(result.thresholds, metric)).toEqual(['n/a']);
    }
    expect(statusOf(result.thresholds, 'op_failed')).toEqual(['pass']);
  });

  it('a mock restarted mid-run is a gap in the audit, not 100 lost operations (was lost: 100, complete: true)', async (ctx) => {
    const { expect } = ctx;
    const first = await mock(ctx, { limits: false });
    const port = first.port;
    const run = runOn(
      {
        name: 'restart',
        executors: {
          main: {
            executor: 'constant-arrival-rate',
            rate: 20,
            duration: '3s',
            gracefulStop: '2s',
            preAllocatedVUs: 10,
          },
        },
        workload: { mix: { createSession: 1 } },
        client: { retry: { maxAttempts: 5 } },
      },
      { target: 'url', url: first.url, progressIntervalMs: 200 },
    );
    await new Promise((r) => setTimeout(r, 1_000));
    await first.close();
    await mock(ctx, { limits: false }, { port });
    const { result } = await run;
    const audit = result.audit as AuditReport;
    expect(audit.complete).toBe(false);
    expect(audit.incomplete.join('\n')).toMatch(/the mock restarted during the run/);
    expect(audit.lost.count).toBe(0);
    expect(audit.duplicates.count).toBe(0);
    expect(result.notices?.join('\n')).toMatch(/audit incomplete: the mock restarted/);
  });

  it('a run that did less than it was asked fails: 101 shared iterations against 60 per minute (was 60 done, PASSED)', async (ctx) => {
    const { expect } = ctx;
    const { result, exitCode } = await runOn({
      name: 'short',
      executors: {
        main: {
          executor: 'shared-iterations',
          vus: 10,
          iterations: 101,
          maxDuration: '1s',
          gracefulStop: '1s',
        },
      },
      workload: { mix: { getSession: 1 } },
      mock: { limits: { perMinute: { limit: 60, windowMs: 60_000 } } },
    });
    const c = result.completion as CompletionReport;
    expect(c.demanded).toBe(101);
    expect(c.completed).toBeLessThan(101);
    expect(c.shortfall).toBe(101 - c.completed);
    expect(statusOf(result.thresholds, 'completion')).toEqual(['fail']);
    expect(exitCode).toBe(99);
    // The stored result judged again (as a merged or imported one would be) gives the same verdicts.
    const again = judge(result);
    expect(again.thresholds.map((t) => [t.metric, t.expression, t.status])).toEqual(
      result.thresholds.map((t) => [t.metric, t.expression, t.status]),
    );
    expect(again.verdict).toBe(result.verdict);
  });

  it('a scenario may allow a shortfall with its own completion threshold', async (ctx) => {
    const { expect } = ctx;
    const { result } = await runOn({
      name: 'allowed',
      executors: {
        main: {
          executor: 'shared-iterations',
          vus: 10,
          iterations: 101,
          maxDuration: '1s',
          gracefulStop: '1s',
        },
      },
      workload: { mix: { getSession: 1 } },
      mock: { limits: { perMinute: { limit: 60, windowMs: 60_000 } } },
      thresholds: { completion: ['rate>0.1'] },
    });
    expect(result.thresholds.filter((t) => t.metric === 'completion').map((t) => t.expression)).toEqual([
      'rate>0.1',
    ]);
    expect(statusOf(result.thresholds, 'completion')).toEqual(['pass']);
  });
});
