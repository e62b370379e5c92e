import { describe, expect, it } from 'vitest';
import { NetworkError, NexusApiError, TimeoutError } from '../../client/errors.js';
import type { AttemptEndEvent, OperationInfo } from '../../client/hooks.js';
import { createRecorder } from '../recorder/recorder.js';
import { clientMetricsHooks } from './client-metrics.js';
import {
  attemptErrorReason,
  createErrorMetrics,
  MAX_ERROR_REASONS,
  MAX_EXAMPLE_LENGTH,
  messageOf,
} from './error-metrics.js';
import { OTHER_REASON } from './reason-tally.js';

const recorder = () => createRecorder({ clock: { now: () => 0 }, tickMs: false, health: false });

/** The `attempt_errors` counter as [op, reason, count] rows. */
function errorCounts(rec: ReturnType<typeof recorder>): [string | undefined, string | undefined, number][] {
  rec.stop();
  return rec
    .metrics()
    .filter((d) => d.name === 'attempt_errors' && d.kind === 'counter')
    .map((d) => [d.tags.op, d.tags.reason, (d as { count: number }).count] as [string, string, number])
    .sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`));
}

describe('attemptErrorReason', () => {
  it('is the exact status for an answer neither 2xx nor 429, the errno or code without one, and none for a 429', () => {
    expect(attemptErrorReason(404, new NexusApiError('GET /thread/{id}', 404, null))).toBe('404');
    expect(attemptErrorReason(503, undefined)).toBe('503');
    expect(attemptErrorReason(302, undefined)).toBe('302');
    expect(attemptErrorReason(429, new NexusApiError('POST /thread', 429, null))).toBeNull();
    expect(attemptErrorReason(null, new NetworkError('POST /thread', 'ECONNRESET', 'maybe'))).toBe(
      'ECONNRESET',
    );
    expect(attemptErrorReason(null, new NetworkError('POST /thread', 'UNKNOWN', 'maybe'))).toBe(
      'NH_CLIENT_NETWORK',
    );
    expect(attemptErrorReason(null, new TimeoutError('POST /thread', 'attempt', 100))).toBe(
      'NH_CLIENT_TIMEOUT',
    );
    // A 2xx whose body is not JSON: the client's code.
    expect(attemptErrorReason(200, new NexusApiError('GET /thread/{id}', 200, 'x'))).toBe(
      'NH_CLIENT_API_ERROR',
    );
    expect(attemptErrorReason(200, undefined)).toBeNull();
    expect(attemptErrorReason(null, new TypeError('boom'))).toBe('TypeError');
    expect(attemptErrorReason(null, 'thrown')).toBe('UNKNOWN');
  });

  it('messageOf never throws, whatever was thrown', () => {
    expect(messageOf(new Error('a\nb'))).toBe('a\nb');
    expect(messageOf(Object.create(null))).toBe('[unprintable object]');
  });
});

describe('createErrorMetrics', () => {
  it('counts by op and reason, keeps the first example per reason, redacted and cut to 200 characters', () => {
    const rec = recorder();
    const errors = createErrorMetrics(rec, { secrets: ['sk-live-0123456789'] });
    errors.record({ op: 'get_session' }, '404', 'first 404 with key sk-live-0123456789 in it');
    errors.record({ op: 'get_session' }, '404', 'second 404');
    errors.record({ op: 'send_message' }, '404', 'third');
    errors.record({ op: 'send_message' }, 'ECONNRESET', `long ${'x'.repeat(500)}\n`);
    const examples = errors.examples();
    expect(examples['404']).toBe('first 404 with key [redacted] in it');
    expect(examples.ECONNRESET).toHaveLength(MAX_EXAMPLE_LENGTH);
    expect(examples.ECONNRESET!.endsWith('…')).toBe(true);
    expect(errorCounts(rec)).toEqual([
      ['get_session', '404', 2],
      ['send_message', '404', 1],
      ['send_message', 'ECONNRESET', 1],
    ]);
  });

  it(`keeps at most ${MAX_ERROR_REASONS} distinct reasons as tags; the rest count as one`, () => {
    const rec = recorder();
    const errors = createErrorMetrics(rec);
    for (let i = 0; i < 50; i++) errors.record({ op: 'x' }, `5${String(i).padStart(2, '0')}`, `status ${i}`);
    const counts = errorCounts(rec);
    expect(counts).toHaveLength(MAX_ERROR_REASONS + 1);
    expect(counts.find(([, reason]) => reason === OTHER_REASON)).toEqual(['x', OTHER_REASON, 30]);
    expect(Object.keys(errors.examples())).toHaveLength(MAX_ERROR_REASONS + 1);
  });
});

describe("clientMetricsHooks' errors", () => {
  const op: OperationInfo = {
    seq: 1,
    name: 'getSession',
    opId: undefined,
    startedAtMs: 0,
    idempotencyKey: undefined,
  };
  const end = (
    status: number | null,
    outcome: AttemptEndEvent['outcome'],
    error?: Error,
  ): AttemptEndEvent => ({
    op,
    attempt: 1,
    atMs: 1,
    durationMs: 1,
    status,
    errorCode: null,
    outcome,
    error,
  });

  it('counts failed attempts only: a 2xx and a 429 count nothing; examples come with the reasons', () => {
    const rec = recorder();
    const hooks = clientMetricsHooks(rec, {}, { secrets: [] });
    hooks.onAttemptEnd!(end(200, 'ok'));
    hooks.onAttemptEnd!(end(429, 'rate-limited', new NexusApiError('GET /thread/{id}', 429, null)));
    hooks.onAttemptEnd!(
      end(404, 'failed', new NexusApiError('GET /thread/{id}', 404, { message: 'Not Found' })),
    );
    hooks.onAttemptEnd!(end(null, 'failed', new NetworkError('GET /thread/{id}', 'ECONNRESET', 'maybe')));
    expect(hooks.errorExamples()).toEqual({
      '404': 'Failed to GET /thread/{id}: status 404: Not Found.',
      ECONNRESET: expect.stringMatching(/^Failed to GET \/thread\/\{id\}: network error ECONNRESET\./),
    });
    expect(errorCounts(rec)).toEqual([
      ['get_session', '404', 1],
      ['get_session', 'ECONNRESET', 1],
    ]);
  });
});
