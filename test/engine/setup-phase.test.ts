import { describe, expect, it } from 'vitest';
import type { MetricData } from '../../harness/engine/recorder/index.js';
import { decodeResultMetrics } from '../../harness/engine/result/codec.js';
import { parseResult } from '../../harness/engine/result/parse-result.js';
import { runOn } from '../support/run.js';

/**
 * The run's setup happens before its clock starts (as k6's init): the VUs an executor starts
 * with get their sessions (`sessions: per-vu`) and warm-up reads open the pool, and none of it
 * is in any metric; all of it is in the ledger and audited. VUs an arrival-rate executor adds
 * later are set up as the run needs them, timed as `vu_init_duration`.
 */
function total(data: readonly MetricData[], name: string, tag?: [string, string]): number {
  let n = 0;
  for (const d of data) {
    if (d.name !== name || (tag && d.tags[tag[0]] !== tag[1])) continue;
    if (d.kind === 'counter') n += d.count;
    if (d.kind === 'trend') n += d.count;
  }
  return n;
}

describe('the setup phase, before t0', () => {
  it('creates every pre-allocated VU its session and warms the pool; nothing of it is measured, all of it is audited', async () => {
    const { result, exitCode } = await runOn({
      name: 'setup-phase',
      executors: {
        main: {
          executor: 'constant-arrival-rate',
          rate: 50,
          duration: '1s',
          preAllocatedVUs: 6,
          maxVUs: 6,
          gracefulStop: '2s',
        },
      },
      workload: { mix: { getSession: 1 }, sessions: 'per-vu' },
      client: { pool: { connections: 4 } },
      mock: { limits: false },
    });
    expect(exitCode).toBe(0);
    const setup = result.setup!;
    expect(setup).toMatchObject({ vus: 6, initialised: 6, initFailed: 0, cutShort: null });
    expect(setup.warmRequests).toBeGreaterThan(0);
    expect(setup.connections).toBeGreaterThan(0);
    expect(setup.durationMs).toBeGreaterThan(0);

    const data = decodeResultMetrics(result.metrics);
    // The sessions were made in the setup: the run itself only reads.
    expect(total(data, 'http_reqs', ['op', 'create_session'])).toBe(0);
    expect(total(data, 'http_reqs')).toBe(total(data, 'ops'));
    expect(total(data, 'ops')).toBe(50);
    expect(total(data, 'vu_init_duration')).toBe(0);

    // The audit judged the setup's sessions (none lost or made twice), and counts the load apart
    // from the setup's requests: retry amplification is of the load.
    const audit = result.audit as {
      requests: number;
      operations: number;
      retryAmplification: number;
      duplicates: { count: number };
      lost: { count: number };
    };
    expect(setup.requests).toBe(6 + setup.warmRequests);
    expect(audit.requests).toBe(50);
    expect(audit.operations).toBe(50);
    expect(audit.retryAmplification).toBe(1);
    expect(audit.duplicates.count).toBe(0);
    expect(audit.lost.count).toBe(0);

    // The result document keeps it.
    expect(parseResult(JSON.parse(JSON.stringify(result)), 'result.json').setup).toEqual(setup);
  });

  it('sets up a VU added during the run off the critical path, and times it as vu_init_duration', async () => {
    const { result } = await runOn({
      name: 'setup-growth',
      executors: {
        main: {
          executor: 'constant-arrival-rate',
          rate: 40,
          duration: '1s',
          preAllocatedVUs: 1,
          maxVUs: 10,
          gracefulStop: '2s',
        },
      },
      // Each iteration waits for the assistant (tens of ms): one VU is not enough at 40/s.
      workload: { mix: { waitForReply: 1 }, sessions: 'per-vu' },
      mock: { limits: false },
    });
    expect(result.setup).toMatchObject({ vus: 1, initialised: 1 });
    const data = decodeResultMetrics(result.metrics);
    const added = total(data, 'vu_init_duration');
    expect(added).toBeGreaterThan(0);
    // Every VU but the pre-allocated one was set up during the run; its session request is on
    // the wire in the load window (so in http_reqs), one per VU added, none made by an iteration.
    const vusMax = data.find((d) => d.name === 'vus_max' && d.kind === 'gauge');
    expect(vusMax?.kind === 'gauge' && vusMax.value).toBe(1 + added);
    expect(total(data, 'http_reqs', ['op', 'create_session'])).toBe(added);
  });

  it('sets up nothing for a mix that makes its own sessions, and still runs', async () => {
    const { result, exitCode } = await runOn({
      name: 'setup-none',
      executors: { main: { executor: 'shared-iterations', vus: 2, iterations: 4, maxDuration: '10s' } },
      workload: { mix: { createSession: 1 } },
      mock: { limits: false },
    });
    expect(exitCode).toBe(0);
    expect(result.setup).toMatchObject({ vus: 2, initialised: 0, warmRequests: 0 });
    expect(total(decodeResultMetrics(result.metrics), 'ops')).toBe(4);
  });
});

describe('no setup where requests may be limited', () => {
  it('sends nothing before the clock to a mock with limits (a quota would pay for it), nor with --unsafe-ignore-rate-limits', async () => {
    const scenario = {
      name: 'setup-limited',
      executors: {
        main: { executor: 'constant-arrival-rate', rate: 4, duration: '1s', preAllocatedVUs: 30, maxVUs: 30 },
      },
      workload: { mix: { getSession: 1 }, sessions: 'per-vu' },
      // The real API's 60 a minute: 30 sessions before the clock would spend half of it.
      mock: {},
    };
    const { result } = await runOn(scenario);
    expect(result.setup).toMatchObject({ vus: 0, initialised: 0, warmRequests: 0, requests: 0 });
    expect(result.setup?.skipped).toMatch(/may limit requests/);
    // Only the VUs that ran made a session: 4 iterations on 1 free VU at a time.
    const audit = result.audit as { requests: number };
    expect(audit.requests).toBeLessThan(30);
    const unsafe = await runOn({ ...scenario, mock: { limits: false } }, { unsafeIgnoreRateLimits: true });
    expect(unsafe.result.setup?.skipped).toMatch(/unsafe/);
  });
});
