/**
 * `check()` and `metric` of a scripted iteration: k6's semantics over the engine's sink.
 * Every sample carries the `executor` tag (checks also `check:<name>`), set by the harness
 * over the author's tags. Once an iteration's signal has aborted (graceful stop ran out,
 * Ctrl-C) its checks still return their outcome but record nothing, as its `op_duration`
 * records nothing: what runs after the cut measures the cut, not the target.
 *
 * Tag sets are bounded here, where the author's tags enter the engine (the built-in metrics'
 * tags are bounded by construction and never pass this way): see {@link MAX_TAG_SETS}.
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
import { formatNumber } from '../../util/format-number.js';
import { canonicalTagKey } from '../recorder/tag-key.js';
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
import { printable, type ReasonTally, reasonOf } from './reason-tally.js';

/**
 * Distinct tag sets kept per custom metric, and for `checks` (each check name, executor and
 * tags of the author is one), by kind. Past it, samples with a tag set not seen yet go to one
 * overflow series per executor, `{ executor, overflow: 'true' }` (for `checks` also
 * `check: OVERFLOW_CHECK`), and one notice names the metric. A unique tag per iteration (an
 * id, a timestamp) would otherwise add a cell per sample: memory, the result and the summary
 * would grow without end and throughput collapse. A trend series is an HDR histogram of
 * ~94 KB, hence its lower bound (100 → at most ~9 MB per trend metric); the others hold a few
 * numbers each.
 *
 * @example
 * MAX_TAG_SETS.counter; // 1000
 */
export const MAX_TAG_SETS: Readonly<Record<MetricKind, number>> = Object.freeze({
  trend: 100,
  counter: 1_000,
  rate: 1_000,
  gauge: 1_000,
});

/** The `check` tag of the `checks` overflow series (see {@link MAX_TAG_SETS}). */
export const OVERFLOW_CHECK = '(other checks, beyond the cap)';

/**
 * Why `name` cannot be a check's name, or null when it can: a threshold key
 * (`checks{check:<name>}`) could not select it — its values are trimmed, unquoted, and end at
 * `,` or `}`.
 *
 * @example
 * checkNameProblem('status is 200'); // null
 * checkNameProblem('200, body ok'); // "it contains ','"
 */
export function checkNameProblem(name: string): string | null {
  if (name.trim() === '') return 'it is empty';
  const bad = /[,{}]/.exec(name);
  if (bad) return `it contains '${bad[0]}'`;
  if (name !== name.trim()) return 'it starts or ends with whitespace';
  if (/^(["']).*\1$/s.test(name)) return 'it is wrapped in quotes';
  return null;
}

/** Options of {@link createScriptApi}. */
export interface ScriptApiOptions {
  sink: SampleSink;
  /** The scenario's custom metrics: `metric.<kind>(name)` accepts only these. */
  metrics: MetricDeclarations;
  /**
   * Where assertions that threw or returned a promise, and check names refused, are counted
   * (for a notice at the end).
   */
  checkProblems?: ReasonTally;
  /** Distinct tag sets per metric, by kind (`checks` is a rate). Default {@link MAX_TAG_SETS}. */
  maxTagSets?: Partial<Record<MetricKind, number>>;
}

/**
 * What one iteration gets: `check` and `metric`, bound to its executor and its signal.
 *
 * @example
 * const { check, metric } = api.forIteration('main', ctx.signal);
 */
export interface ScriptApi {
  forIteration(executor: string, signal: AbortSignal): { check: CheckFn; metric: ScriptMetrics };
  /** One notice per metric that reached its tag-set bound (empty when none did). */
  notices(): string[];
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
  for (const [k, v] of Object.entries(tags)) out[k] = typeof v === 'string' ? v : printable(v);
  return { ...out, ...own };
}

/** One metric's series as the script API made them: bounded by `max`. */
interface Table {
  kind: MetricKind;
  max: number;
  /** Canonical tag key → handle. */
  handles: Map<string, Handle>;
  /** Executor → its overflow handle. */
  overflow: Map<string, Handle>;
  /** Samples that went to an overflow handle. */
  overflowed: number;
}

/**
 * Builds the scripted iteration's `check` and `metric` over `sink`. Each metric's handles are
 * kept by canonical tag key, at most {@link MAX_TAG_SETS} of them; those without the author's
 * tags are also cached per (executor, name), so an untagged sample costs one map lookup.
 *
 * @example
 * const api = createScriptApi({ sink: recorder, metrics: { login_time: 'trend' } });
 * const { check, metric } = api.forIteration('main', signal);
 * check(200, { 'is 200': (s) => s === 200 }); // true; checks{check:is 200,executor:main} +1 pass
 * metric.trend('login_time').add(12.5);
 */
export function createScriptApi(options: ScriptApiOptions): ScriptApi {
  const { sink, metrics: declared } = options;
  const caps = { ...MAX_TAG_SETS, ...options.maxTagSets };
  const tables = new Map<string, Table>();
  const overflowHandles = new Set<Handle>();
  // Both hold only handles of the tables below the bound: at most the bound each.
  const untagged = new Map<string, Handle>();
  const untaggedChecks = new Map<string, Handle>();

  function make(kind: MetricKind, name: string, tags: Tags): Handle {
    // Custom names are not `MetricName`s: the recorder was created with the scenario's
    // declarations and checks them itself.
    const metric = name as MetricName;
    return kind === 'trend'
      ? sink.trend(metric, tags)
      : kind === 'counter'
        ? sink.counter(metric, tags)
        : kind === 'rate'
          ? sink.rate(metric, tags)
          : sink.gauge(metric, tags);
  }

  /** The handle of `name` for `tags` (the harness's own included), or its overflow handle. */
  function handle(kind: MetricKind, name: string, tags: Tags, executor: string): Handle {
    let table = tables.get(name);
    if (table === undefined) {
      table = { kind, max: caps[kind], handles: new Map(), overflow: new Map(), overflowed: 0 };
      tables.set(name, table);
    }
    const key = canonicalTagKey(tags);
    const found = table.handles.get(key);
    if (found !== undefined) return found;
    if (table.handles.size < table.max) {
      const made = make(kind, name, tags);
      table.handles.set(key, made);
      return made;
    }
    table.overflowed++;
    let spill = table.overflow.get(executor);
    if (spill === undefined) {
      const own: Tags =
        name === 'checks'
          ? { check: OVERFLOW_CHECK, executor, overflow: 'true' }
          : { executor, overflow: 'true' };
      spill = make(kind, name, own);
      table.overflow.set(executor, spill);
      overflowHandles.add(spill);
    }
    return spill;
  }

  /** `handle`, remembered under `cacheKey` in `cache` unless it is an overflow handle. */
  function cached(
    cache: Map<string, Handle>,
    cacheKey: string,
    kind: MetricKind,
    name: string,
    tags: Tags,
    executor: string,
  ): Handle {
    const hit = cache.get(cacheKey);
    if (hit !== undefined) return hit;
    const h = handle(kind, name, tags, executor);
    if (!overflowHandles.has(h)) cache.set(cacheKey, h);
    return h;
  }

  function declaredAs(name: unknown, kind: MetricKind): string {
    const actual = typeof name === 'string' && Object.hasOwn(declared, name) ? declared[name] : undefined;
    if (actual === kind) return name as string;
    const names = Object.keys(declared);
    const known = names.length === 0 ? 'the scenario declares none' : `declared: ${names.join(', ')}`;
    throw new HarnessError(
      actual === undefined ? ERROR_CODES.metricUnknown : ERROR_CODES.metricKind,
      actual === undefined
        ? `Failed to record custom ${kind} '${printable(name)}': it is not declared. ` +
            `Add metrics: { ${printable(name)}: '${kind}' } to the scenario (${known}).`
        : `Failed to record custom ${kind} '${printable(name)}': it is declared as a ${actual}. Use metric.${actual}('${printable(name)}').`,
    );
  }

  function finite(value: unknown, what: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      // The author's mistake in plain JS terms, as a wrong argument to any function.
      throw new TypeError(`Failed to record ${what}: expected a finite number (got ${printable(value)}).`);
    }
    return value;
  }

  return {
    forIteration(executor, signal) {
      const own: Tags = { executor };
      const record = (kind: MetricKind, name: string, tags: ScriptTags | undefined) =>
        tags === undefined
          ? cached(untagged, `${kind}\u0000${name}\u0000${executor}`, kind, name, own, executor)
          : handle(kind, name, withTags(own, tags), executor);

      const check: CheckFn = (value, checks, tags) => {
        let all = true;
        for (const [name, assertion] of Object.entries(checks)) {
          let passed = false;
          const refused = checkNameProblem(name);
          if (refused !== null) {
            // A name no threshold can select is an authoring error, as an undeclared metric
            // is: counted as a failed check (so `checks` gates see it), the assertion not run.
            options.checkProblems?.add(
              `check name '${name}' refused (${refused}): no threshold key can select it; counted as failed, rename it`,
            );
          } else {
            try {
              const outcome = assertion(value);
              if (isThenable(outcome)) {
                // A promise is truthy: counting it would pass every async assertion unseen.
                (outcome as Promise<unknown>).then(undefined, () => {});
                options.checkProblems?.add(
                  `check '${name}' returned a promise: checks are synchronous, await the value first`,
                );
              } else passed = Boolean(outcome);
            } catch (err) {
              options.checkProblems?.add(`check '${name}' threw: ${reasonOf(err)}`);
            }
          }
          if (!signal.aborted) {
            const h =
              tags === undefined
                ? cached(
                    untaggedChecks,
                    `${name}\u0000${executor}`,
                    'rate',
                    'checks',
                    { check: name, executor },
                    executor,
                  )
                : handle('rate', 'checks', withTags({ ...own, check: name }, tags), executor);
            (h as RateHandle).add(passed);
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
    notices() {
      const out: string[] = [];
      for (const [name, t] of tables) {
        if (t.overflowed === 0) continue;
        const n = formatNumber(t.max);
        const k = formatNumber(t.overflowed);
        out.push(
          name === 'checks'
            ? `checks reached ${n} distinct check names and tag sets: ${k} further result(s) were counted ` +
                `as checks{check:${OVERFLOW_CHECK},overflow:true}. Give checks fixed names: put ids in the checked value, not in the name or a tag.`
            : `custom ${t.kind} '${name}' reached ${n} distinct tag sets: ${k} sample(s) with further tag sets were recorded ` +
                `as ${name}{overflow:true}. Tag values must come from a small set: put ids in a log, not in a tag.`,
        );
      }
      return out;
    },
  };
}
