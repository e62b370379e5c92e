/**
 * `check()` and `metric` of a scripted iteration: k6's semantics over the engine's sink.
 * Every sample carries the `executor` tag (checks also `check:<name>`), set by the harness
 * over the author's tags. Once an iteration's signal has aborted (graceful stop ran out,
 * Ctrl-C) its checks still return their outcome but record nothing, as its `op_duration`
 * records nothing: what runs after the cut measures the cut, not the target.
 */
import type {
  CheckFn,
  ScriptCounter,
  ScriptGauge,
  ScriptMetrics,
  ScriptRate,
  ScriptTags,
  ScriptTrend,
} from '../../../scenarios/model/script.js';
import { ERROR_CODES, HarnessError } from '../../util/errors.js';
import type {
  CounterHandle,
  GaugeHandle,
  MetricDeclarations,
  MetricKind,
  MetricName,
  RateHandle,
  SampleSink,
  Tags,
  TrendHandle,
} from '../types.js';
import type { ReasonTally } from './reason-tally.js';

/** Options of {@link createScriptApi}. */
export interface ScriptApiOptions {
  sink: SampleSink;
  /** The scenario's custom metrics: `metric.<kind>(name)` accepts only these. */
  metrics: MetricDeclarations;
  /** Where assertions that threw or returned a promise are counted (for a notice at the end). */
  checkProblems?: ReasonTally;
}

/**
 * What one iteration gets: `check` and `metric`, bound to its executor and its signal.
 *
 * @example
 * const { check, metric } = api.forIteration('main', ctx.signal);
 */
export interface ScriptApi {
  forIteration(executor: string, signal: AbortSignal): { check: CheckFn; metric: ScriptMetrics };
}

type Handle = TrendHandle | CounterHandle | RateHandle | GaugeHandle;

function isThenable(v: unknown): boolean {
  return (
    (typeof v === 'object' || typeof v === 'function') &&
    v !== null &&
    typeof (v as { then?: unknown }).then === 'function'
  );
}

/** The author's tags with the harness's own on top; values as strings. */
function withTags(own: Tags, tags: ScriptTags | undefined): Tags {
  if (tags === undefined) return own;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(tags)) out[k] = String(v);
  return { ...out, ...own };
}

/**
 * Builds the scripted iteration's `check` and `metric` over `sink`. Handles without the
 * author's tags are made once per (executor, name) and reused; tagged ones go through the
 * sink's own lookup (one canonical key per sample).
 *
 * @example
 * const api = createScriptApi({ sink: recorder, metrics: { login_time: 'trend' } });
 * const { check, metric } = api.forIteration('main', signal);
 * check(200, { 'is 200': (s) => s === 200 }); // true; checks{check:is 200,executor:main} +1 pass
 * metric.trend('login_time').add(12.5);
 */
export function createScriptApi(options: ScriptApiOptions): ScriptApi {
  const { sink, metrics: declared } = options;
  const untagged = new Map<string, Handle>();

  function handle(kind: MetricKind, name: string, tags: Tags, cacheKey: string | null): Handle {
    if (cacheKey !== null) {
      const cached = untagged.get(cacheKey);
      if (cached !== undefined) return cached;
    }
    // Custom names are not `MetricName`s: the recorder was created with the scenario's
    // declarations and checks them itself.
    const metric = name as MetricName;
    const made =
      kind === 'trend'
        ? sink.trend(metric, tags)
        : kind === 'counter'
          ? sink.counter(metric, tags)
          : kind === 'rate'
            ? sink.rate(metric, tags)
            : sink.gauge(metric, tags);
    if (cacheKey !== null) untagged.set(cacheKey, made);
    return made;
  }

  function declaredAs(name: unknown, kind: MetricKind): string {
    const actual = typeof name === 'string' && Object.hasOwn(declared, name) ? declared[name] : undefined;
    if (actual === kind) return name as string;
    const names = Object.keys(declared);
    const known = names.length === 0 ? 'the scenario declares none' : `declared: ${names.join(', ')}`;
    throw new HarnessError(
      actual === undefined ? ERROR_CODES.metricUnknown : ERROR_CODES.metricKind,
      actual === undefined
        ? `Failed to record custom ${kind} '${String(name)}': it is not declared. ` +
            `Add metrics: { ${String(name)}: '${kind}' } to the scenario (${known}).`
        : `Failed to record custom ${kind} '${String(name)}': it is declared as a ${actual}. Use metric.${actual}('${String(name)}').`,
    );
  }

  function finite(value: unknown, what: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      // The author's mistake in plain JS terms, as a wrong argument to any function.
      throw new TypeError(`Failed to record ${what}: expected a finite number (got ${String(value)}).`);
    }
    return value;
  }

  return {
    forIteration(executor, signal) {
      const own: Tags = { executor };
      const record = (kind: MetricKind, name: string, tags: ScriptTags | undefined) =>
        handle(
          kind,
          name,
          withTags(own, tags),
          tags === undefined ? `${kind}\u0000${name}\u0000${executor}` : null,
        );

      const check: CheckFn = (value, checks, tags) => {
        let all = true;
        for (const [name, assertion] of Object.entries(checks)) {
          let passed: boolean;
          try {
            const outcome = assertion(value);
            if (isThenable(outcome)) {
              // A promise is truthy: counting it would pass every async assertion unseen.
              (outcome as Promise<unknown>).then(undefined, () => {});
              options.checkProblems?.add(
                `check '${name}' returned a promise: checks are synchronous, await the value first`,
              );
              passed = false;
            } else passed = Boolean(outcome);
          } catch (err) {
            options.checkProblems?.add(
              `check '${name}' threw: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`,
            );
            passed = false;
          }
          if (!signal.aborted) {
            const tagged = withTags({ ...own, check: name }, tags);
            const cacheKey = tags === undefined ? `check\u0000${name}\u0000${executor}` : null;
            (handle('rate', 'checks', tagged, cacheKey) as RateHandle).add(passed);
          }
          if (!passed) all = false;
        }
        return all;
      };

      const metric: ScriptMetrics = {
        trend(name): ScriptTrend {
          const n = declaredAs(name, 'trend');
          return {
            add(valueMs, tags) {
              const v = finite(valueMs, `custom trend '${n}'`);
              if (!signal.aborted) (record('trend', n, tags) as TrendHandle).record(v);
            },
          };
        },
        counter(name): ScriptCounter {
          const n = declaredAs(name, 'counter');
          return {
            add(by = 1, tags) {
              const v = finite(by, `custom counter '${n}'`);
              if (!signal.aborted) (record('counter', n, tags) as CounterHandle).add(v);
            },
          };
        },
        rate(name): ScriptRate {
          const n = declaredAs(name, 'rate');
          return {
            add(value, tags) {
              // k6's Rate: a non-zero number counts as true.
              if (!signal.aborted) (record('rate', n, tags) as RateHandle).add(Boolean(value));
            },
          };
        },
        gauge(name): ScriptGauge {
          const n = declaredAs(name, 'gauge');
          return {
            add(value, tags) {
              const v = finite(value, `custom gauge '${n}'`);
              if (!signal.aborted) (record('gauge', n, tags) as GaugeHandle).set(v);
            },
          };
        },
      };
      return { check, metric };
    },
  };
}
