import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseResult } from '../../../harness/engine/result/parse-result.js';
import type { TrendEntry } from '../../../harness/engine/result/types.js';
import { blast } from '../../../harness/runners/autocannon/blast.js';
import { mockTarget, urlTarget } from '../../../harness/targets/index.js';
import { type RunningMockServer, startMockServer } from '../../../mock-server/http/server.js';
import { validateScenario } from '../../../scenarios/model/scenario.js';
import { runCliInProcess as cli } from '../../support/cli.js';

// Short loads on loopback, few connections: bounded on a busy 2-core machine. Assertions are on
// counts and on orderings that hold by construction, never on throughput or wall-clock time.
const scenario = (mock: unknown = { limits: false }) =>
  validateScenario({
    name: 'blast-test',
    executors: { main: { executor: 'constant-vus', vus: 2, duration: '1s' } },
    workload: { mix: { getSession: 1 } },
    mock,
    thresholds: { http_req_failed: ['rate<0.5'], completion: ['rate>0.99'] },
  });

const outRoot = mkdtempSync(join(tmpdir(), 'nexus-harness-blast-'));
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

const total = (
  entries: { tags: Record<string, string>; stats: { count: number } }[],
  tags: Record<string, string>,
) =>
  entries
    .filter((e) => Object.entries(tags).every(([k, v]) => e.tags[k] === v))
    .reduce((sum, e) => sum + e.stats.count, 0);

describe('blast against a mock on loopback', () => {
  let mock: RunningMockServer;
  beforeAll(async () => {
    mock = await startMockServer({ config: { limits: false } });
  });
  afterAll(() => mock.close());

  it("records every response autocannon counted, and the mock's ledger saw them all (closed model)", async () => {
    const since = mock.simulator.ledger(0).lastSeq;
    const { result, autocannon, tally } = await blast(scenario(), {
      target: urlTarget({ url: mock.url }),
      connections: 4,
      durationMs: 1_500,
      env: {},
    });
    const parsed = parseResult(JSON.parse(JSON.stringify(result)));
    const metric = parsed.metrics.http_reqs!;
    expect(metric.kind).toBe('counter');
    const ours = total(metric.values as never, { op: 'get_session' });
    expect(ours).toBeGreaterThan(0);
    expect(ours).toBe(autocannon.responses);
    expect(total(metric.values as never, { status: '2xx' })).toBe(ours);
    // The ledger has every answered request, plus any cut in flight at the end (never answered).
    const gets = mock.simulator.ledger(since).requests.filter((r) => r.route === 'getThread').length;
    expect(gets).toBeGreaterThanOrEqual(ours);
    expect(gets).toBeLessThanOrEqual(tally.sent);
    // Only the thresholds a blast can produce are judged; the others are named in a notice.
    expect(parsed.thresholds.map((t) => t.metric)).toEqual(['http_req_failed']);
    expect(parsed.verdict).toBe('passed');
    expect(parsed.notices?.some((n) => n.includes('not judged: completion'))).toBe(true);
    expect(parsed.setup).toMatchObject({ initialised: 4 });
  });

  it("measures from the intended start at a fixed rate: never below the service time or autocannon's raw latency", async () => {
    const { result, autocannon } = await blast(scenario(), {
      target: urlTarget({ url: mock.url }),
      connections: 4,
      rate: 200,
      durationMs: 1_500,
      env: {},
    });
    const op = (result.metrics.op_duration!.values as TrendEntry[])[0]!.stats;
    const service = (result.metrics.http_req_duration!.values as TrendEntry[]).find(
      (e) => e.tags.status === '2xx',
    )!.stats;
    expect(op.count).toBe(service.count);
    expect(op.count).toBe(autocannon.responses);
    for (const p of ['med', 'p(99)', 'max'] as const) expect(op[p]).toBeGreaterThanOrEqual(service[p]);
    // autocannon's histogram keeps whole ms: allow its rounding, nothing more.
    expect(op['p(99)']).toBeGreaterThanOrEqual(autocannon.latencyP99Ms - 1);
    expect(op.max).toBeGreaterThanOrEqual(autocannon.latencyMaxMs - 1);
    expect(result.metrics.dropped_iterations).toBeDefined();
  });
});

describe('blast against the mock it starts', () => {
  it("maps 429s to rate_limited when the scenario's mock limits are on", async () => {
    const { result, autocannon } = await blast(
      scenario({ limits: { perMinute: { limit: 10, windowMs: 60_000 } } }),
      {
        target: mockTarget(),
        connections: 2,
        durationMs: 1_000,
        env: {},
      },
    );
    const limited = total(result.metrics.rate_limited!.values as never, {});
    expect(limited).toBeGreaterThan(0);
    expect(total(result.metrics.http_reqs!.values as never, { status: '429' })).toBe(limited);
    expect(limited).toBe(autocannon.non2xx);
    // A 429 is not a failed request (architecture.md), but it is a failed operation.
    const failed = result.metrics.http_req_failed!.values[0]!.stats as { passes: number };
    expect(failed.passes).toBe(0);
    const opFailed = result.metrics.op_failed!.values[0]!.stats as { passes: number };
    expect(opFailed.passes).toBe(limited);
  });
});

describe('nexus-harness blast', () => {
  it('writes a result that parses and exits 0 when its thresholds pass', async () => {
    const out = join(outRoot, 'ok');
    const outcome = await cli([
      'blast',
      'steady',
      '--mix',
      'getSession=1',
      '--connections',
      '2',
      '--rate',
      '0',
      '--duration',
      '1s',
      '--out',
      out,
    ]);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout).toMatch(/steady on mock/);
    expect(outcome.stdout).toMatch(/its own count [\d,]+ responses/);
    const result = parseResult(JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')));
    expect(result.verdict).toBe('passed');
  });

  it('exits 99 when a threshold on a metric it records fails', async () => {
    const file = join(outRoot, 'strict.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'strict',
        executors: { main: { executor: 'constant-vus', vus: 1, duration: '500ms' } },
        workload: { mix: { getSession: 1 } },
        mock: { limits: false },
        // No answer on loopback takes less than a microsecond.
        thresholds: { http_req_duration: ['p(99)<0.0001'] },
      }),
    );
    const outcome = await cli(['blast', file, '--no-out']);
    expect(outcome.code, outcome.stderr).toBe(99);
    expect(outcome.stdout).toContain('FAILED');
  });

  it('refuses an op autocannon cannot send with a clear message (exit 2)', async () => {
    const out = join(outRoot, 'refused');
    const outcome = await cli(['blast', 'steady', '--out', out]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/op poll \(.*\) cannot be one autocannon request/);
    // Refused before the out-dir is made: no empty folder left behind.
    expect(existsSync(out)).toBe(false);
    const chat = await cli(['blast', 'steady', '--mix', 'chat=1,getSession=1', '--no-out']);
    expect(chat.code).toBe(2);
    expect(chat.stderr).toContain('op chat');
  });

  it('refuses a URL that is not loopback without --allow-remote (exit 2)', async () => {
    const outcome = await cli([
      'blast',
      'steady',
      '--mix',
      'getSession=1',
      '--target',
      'url',
      '--url',
      'http://203.0.113.7:4010/api/public',
      '--no-out',
    ]);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(
      /Refusing to send load to 203\.0\.113\.7:4010: it is not a loopback address/,
    );
  });

  it('names a bad --mix entry (exit 2)', async () => {
    const outcome = await cli(['blast', 'steady', '--mix', 'getSesion=1', '--no-out']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/did you mean "getSession"/);
  });
});
