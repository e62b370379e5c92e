import { BUILTIN_SCENARIOS } from '../../scenarios/builtin/index.js';
import { loadScenarioInput } from '../../scenarios/model/load.js';
import { type Scenario, validateScenario } from '../../scenarios/model/scenario.js';
import { parseThresholds } from '../engine/thresholds/index.js';
import { type MetricDeclarations, type MetricKind, metricCatalogue } from '../engine/types.js';
import { didYouMeanHint } from '../util/did-you-mean.js';
import { UsageError } from '../util/errors.js';
import { ConfigError, type ValidationProblem } from '../util/validation.js';

const FILE_LIKE = /[/\\]|\.(json|ts|mts|js|mjs)$/;

/** `thresholds.x` for a threshold problem's path `x` (`thresholds["odd key"]` for a quoted one). */
function underThresholds(problem: ValidationProblem): ValidationProblem {
  const { path } = problem;
  return {
    ...problem,
    path: path === '' ? 'thresholds' : `thresholds${path.startsWith('[') ? '' : '.'}${path}`,
  };
}

const KINDS: ReadonlySet<unknown> = new Set(['counter', 'trend', 'rate', 'gauge']);

/**
 * The custom metrics a scenario declares, read from its input as far as it is well formed:
 * thresholds on them are then checked even while another part of the scenario has a problem
 * (a bad declaration is reported by the scenario's own validation).
 */
function declaredMetrics(input: unknown): MetricDeclarations {
  const metrics = (input as { metrics?: unknown } | null)?.metrics;
  if (typeof metrics !== 'object' || metrics === null) return {};
  const out: Record<string, MetricKind> = {};
  for (const [name, kind] of Object.entries(metrics)) if (KINDS.has(kind)) out[name] = kind as MetricKind;
  return out;
}

/**
 * Resolves what a user typed after `run`/`validate`: a built-in scenario's name, or a path to
 * a scenario file (`.json`, `.ts`, …; a TypeScript file loads through tsx on demand). The
 * scenario and its thresholds (metric names, built-in or declared in `metrics`; expressions)
 * are checked together: one `ConfigError` names the file and lists every
 * problem of both. An unknown name suggests the closest built-in and lists them all.
 *
 * @example
 * const scenario = await resolveScenario('rate-limit-storm');
 */
export async function resolveScenario(ref: string): Promise<Scenario> {
  let input: unknown;
  let what: string;
  const builtin = Object.hasOwn(BUILTIN_SCENARIOS, ref) ? BUILTIN_SCENARIOS[ref] : undefined;
  if (builtin !== undefined) {
    input = builtin;
    what = `built-in scenario ${ref}`;
  } else if (FILE_LIKE.test(ref)) {
    input = await loadScenarioInput(ref);
    what = `scenario file ${ref}`;
  } else {
    const names = Object.keys(BUILTIN_SCENARIOS);
    throw new UsageError(
      `Unknown scenario "${ref}".${didYouMeanHint(ref, names)} Built-in scenarios: ${names.join(', ')}; ` +
        'or give a path to a .json or .ts scenario file (see nexus-harness list).',
    );
  }
  const problems: ValidationProblem[] = [];
  let scenario: Scenario | undefined;
  try {
    scenario = validateScenario(input, what);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  // The thresholds' expressions and metric names, unless their shape already failed above.
  const thresholds = (input as { thresholds?: unknown } | null)?.thresholds;
  const shapeFailed = problems.some((p) => /^thresholds(?:$|[.[])/.test(p.path));
  if (thresholds !== undefined && typeof input === 'object' && !shapeFailed) {
    try {
      parseThresholds(thresholds, metricCatalogue(scenario?.metrics ?? declaredMetrics(input)));
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      problems.push(...err.problems.map(underThresholds));
    }
  }
  if (problems.length > 0 || scenario === undefined) throw new ConfigError(what, problems);
  return scenario;
}

const resolvedFor = new WeakMap<object, Map<string, Promise<Scenario>>>();

/**
 * {@link resolveScenario}, once per CLI invocation (`invocation`: its command context). `run`'s
 * flag checks and its handler both need the scenario: reading and validating it twice cost a
 * fresh process 16-21 ms more (a `.ts` file: a second tsx import), all before the load. Another
 * invocation, in the same process, reads the file again.
 *
 * @example
 * const scenario = await resolveScenarioOnce(argv.scenario, ctx);
 */
export function resolveScenarioOnce(ref: string, invocation: object): Promise<Scenario> {
  let cache = resolvedFor.get(invocation);
  if (cache === undefined) {
    cache = new Map();
    resolvedFor.set(invocation, cache);
  }
  let resolved = cache.get(ref);
  if (resolved === undefined) {
    resolved = resolveScenario(ref);
    cache.set(ref, resolved);
  }
  return resolved;
}
