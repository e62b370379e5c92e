import { fingerprintKey } from '../../../mock-server/core/keys.js';
import { redactUrl } from '../../util/url.js';
import type { Recorder } from '../recorder/recorder.js';
import { snapshotToResultMetrics } from './codec.js';
import {
  RESULT_SCHEMA,
  RESULT_VERSION,
  type ResultSetup,
  type RunResult,
  type ThresholdOutcome,
} from './types.js';

/**
 * What the run orchestration knows that the recorder does not.
 *
 * @example
 * createResult({ runId: 'r1', startedAt: new Date(), recorder, interrupted: true });
 */
export interface CreateResultInput {
  runId: string;
  /** Wall-clock start of the run (a `Date` or ISO string). */
  startedAt: Date | string;
  /** Wall-clock end; default `startedAt` + the recorder's elapsed time. */
  endedAt?: Date | string;
  /** Stopped early (Ctrl-C, abortOnFail). Default false. */
  interrupted?: boolean;
  /** What stopped it early: a `signal` (the verdict is then `interrupted`) or an abortOnFail `threshold`. */
  interruptedBy?: 'signal' | 'threshold' | null;
  /** Demanded against done (see `completionOf`). */
  completion?: unknown;
  /** Notices for people, in the order they arose. */
  notices?: string[];
  /** What the run did before its clock started. */
  setup?: ResultSetup;
  /** Stored with its secrets replaced (see {@link withoutSecrets}). */
  scenario?: unknown;
  target?: unknown;
  audit?: unknown;
  /** The recorder of the run (stop it first so its duration is final). */
  recorder: Recorder;
  /** Threshold verdicts (from `evaluateThresholds`). Default none. */
  thresholds?: ThresholdOutcome[];
  /** False when something else failed the run (e.g. the auditor). Default true. */
  passed?: boolean;
  /** One example message per `attempt_errors` reason (left out of the result when empty). */
  errorExamples?: Record<string, string>;
}

/**
 * Assembles the result document from a stopped recorder and the run's metadata.
 * `durationMs` is the recorder's elapsed time (monotonic clock); `passed` is false when any
 * threshold failed or `input.passed` is false.
 *
 * @example
 * recorder.stop();
 * const result = createResult({ runId, startedAt, recorder, scenario, target: 'mock',
 *   thresholds: evaluateThresholds(parsed, recorder.metrics(), recorder.elapsedMs() / 1000) });
 */
export function createResult(input: CreateResultInput): RunResult {
  const durationMs = input.recorder.elapsedMs();
  const startedAt = new Date(input.startedAt);
  const endedAt =
    input.endedAt === undefined ? new Date(startedAt.getTime() + durationMs) : new Date(input.endedAt);
  const thresholds = input.thresholds ?? [];
  // A run stopped by a signal has not shown what it was to show: it does not pass.
  const passed = (input.passed ?? true) && input.interruptedBy !== 'signal' && thresholds.every((t) => t.ok);
  return {
    schema: RESULT_SCHEMA,
    version: RESULT_VERSION,
    runId: input.runId,
    startedAt: startedAt.toISOString(),
    endedAt: endedAt.toISOString(),
    durationMs,
    interrupted: input.interrupted ?? false,
    scenario: withoutSecrets(input.scenario ?? null),
    target: input.target ?? null,
    metrics: snapshotToResultMetrics(input.recorder),
    series: input.recorder.series(),
    generator: input.recorder.generator(),
    audit: input.audit ?? null,
    thresholds,
    passed,
    verdict: input.interruptedBy === 'signal' ? 'interrupted' : passed ? 'passed' : 'failed',
    completion: input.completion ?? null,
    notices: input.notices ?? [],
    ...(input.setup === undefined ? {} : { setup: input.setup }),
    ...(input.errorExamples === undefined || Object.keys(input.errorExamples).length === 0
      ? {}
      : { errorExamples: input.errorExamples }),
  };
}

/** The mock's default key: public (README, every mock accepts it), so it may be shown as it is. */
const PUBLIC_DEMO_KEY = 'nexus-mock-key';
/** Field names whose string values are secrets. */
const SECRET_FIELD = /^(apiKeys?|.*(token|secret|password))$/i;

/**
 * `value` (a scenario as resolved) with its secrets replaced, for the result document: API keys,
 * tokens, secrets and passwords by their {@link fingerprintKey} (the public demo key stays), and
 * URLs without credentials. Walks plain objects and arrays; returns a copy.
 *
 * @example
 * withoutSecrets({ mock: { apiKeys: ['sk-1', 'nexus-mock-key'] } }) // { mock: { apiKeys: ['k_…', 'nexus-mock-key'] } }
 */
function withoutSecrets(value: unknown, secret = false): unknown {
  if (typeof value === 'string') {
    if (secret) return value === PUBLIC_DEMO_KEY ? value : fingerprintKey(value);
    return value.includes('@') ? redactUrl(value) : value;
  }
  if (Array.isArray(value)) return value.map((v) => withoutSecrets(v, secret));
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype)
    return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, withoutSecrets(v, secret || SECRET_FIELD.test(k))]),
  );
}
