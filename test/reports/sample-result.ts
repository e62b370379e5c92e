/** Result documents for the report tests: a recorder on virtual time, judged by `judge()`. */
import type { AuditReport } from '../../harness/engine/auditor/audit-report.js';
import { createResult } from '../../harness/engine/result/create-result.js';
import { virtualRecorder } from '../../harness/engine/result/test-helpers.js';
import type { RunResult } from '../../harness/engine/result/types.js';
import { judge } from '../../harness/engine/thresholds/judge.js';

/** An audit with `duplicates` duplicates (op ids `op-1`…) and nothing else wrong. */
export function sampleAudit(duplicates = 0): AuditReport {
  const examples = Array.from({ length: Math.min(duplicates, 3) }, (_, i) => `op-${i + 1}`);
  return {
    complete: true,
    incomplete: [],
    unjudged: 0,
    operations: 60,
    requests: 75,
    duplicates: { count: duplicates, examples },
    lost: { count: 0, examples: [] },
    failedButApplied: { count: 1, examples: ['op-9'] },
    retryAfterViolations: { count: 0, examples: [], details: [] },
    rateLimited: 15,
    rateLimitedRatio: 0.2,
    retryAmplification: 1.25,
    passed: duplicates === 0,
  };
}

/**
 * A 10 s run of two operations (send_message 1…40 ms, get_session 10…100 ms), 15 × 429, a
 * check, judged against `thresholds` (k6's shape), with `audit` (null: a target without a ledger).
 */
export function sampleResult(
  thresholds: Record<string, string[]> = {
    'op_duration{op:send_message}': ['p(99)<500'],
    op_failed: ['rate<0.5'],
    duplicates: ['count==0'],
  },
  audit: AuditReport | null = sampleAudit(),
): RunResult {
  const { recorder, at } = virtualRecorder();
  for (const [op, n, base] of [
    ['send_message', 40, 0],
    ['get_session', 20, 5],
  ] as const) {
    const ops = recorder.counter('ops', { op, executor: 'main' });
    const failed = recorder.rate('op_failed', { op, executor: 'main' });
    const duration = recorder.trend('op_duration', { op, executor: 'main' });
    for (let i = 1; i <= n; i++) {
      ops.add();
      failed.add(op === 'get_session' && i <= 2);
      duration.record(base + i * (op === 'send_message' ? 1 : 4.75));
    }
    recorder.trend('http_req_duration', { op, status: '2xx' }).record(3);
  }
  recorder.counter('http_reqs', { status: '2xx' }).add(60);
  recorder.counter('http_reqs', { status: '429' }).add(15);
  recorder.counter('rate_limited', { op: 'send_message' }).add(15);
  recorder.counter('duplicates', {}).add(audit?.duplicates.count ?? 0);
  recorder.rate('checks', { check: 'session answered' }).add(true);
  recorder.rate('checks', { check: 'session answered' }).add(false);
  recorder.gauge('vus', {}).set(2);
  at(10_000);
  recorder.stop();
  const result = createResult({
    runId: '20260101T000000Z-abc123',
    startedAt: '2026-01-01T00:00:00.000Z',
    recorder,
    scenario: { name: 'smoke', thresholds },
    target: { kind: 'mock', baseUrl: 'http://127.0.0.1:4010/api/public' },
    audit,
    notices: audit === null ? ['no audit: this target has no ledger (url)'] : [],
  });
  const judged = judge(result);
  return { ...result, thresholds: judged.thresholds, passed: judged.passed, verdict: judged.verdict };
}
