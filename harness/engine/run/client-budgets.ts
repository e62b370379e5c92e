import type { ClientSettings } from '../../../scenarios/model/client-settings.js';
import { executorTiming } from '../../../scenarios/model/executors/executor-config.js';
import type { Scenario } from '../../../scenarios/model/scenario.js';
import type { WindowBudget } from '../../client/limiter.js';
import type { NexusClientOptions } from '../../client/options.js';
import { formatNumber } from '../../util/format-number.js';
import { demandedIterations } from '../executors/demand.js';
import type { TargetBudgets } from './target.js';

/** Where the client's own request budgets came from, for the run's opening notice and the result. */
export type BudgetSource = 'scenario' | 'mock' | 'server' | 'real' | 'none';

/** The client's request budgets of a run, as the result document records them. */
export interface RunBudgets {
  source: BudgetSource;
  perMinute: WindowBudget | false;
  perHour: WindowBudget | false;
  /**
   * The tightest budget's long-run rate, requests per second (the hour's, usually); `null` when
   * there is none. For what a run of a given length can send, see {@link allowedRequests}.
   */
  allowedPerSec: number | null;
  /** One sentence for people: what paces the client, and why. */
  text: string;
}

type RateLimit = Exclude<NexusClientOptions['rateLimit'], undefined>;

const perSec = (w: WindowBudget | false | undefined) => (w ? (w.limit * 1_000) / w.windowMs : Infinity);
const fmt = (v: number) => formatNumber(v, v < 10 ? 2 : 0);
const windowText = (w: WindowBudget) =>
  `${fmt(w.limit)} per ${w.windowMs % 1_000 === 0 ? `${fmt(w.windowMs / 1_000)} s` : `${fmt(w.windowMs)} ms`}`;

/**
 * The client's request budgets for a run: what the scenario sets explicitly wins; otherwise
 * the target decides. A target with a quota (the real API) sets a ceiling; the harness's own
 * mock (`mock`, `msw`) the limits it is configured with; any other target (`url`, `pact`) none
 * of the client's own — the client then follows what the server announces (`X-RateLimit-*`,
 * `Retry-After`), instead of the real API's 60 per minute, which would hold a fast local
 * target to one request a second.
 *
 * @example
 * const b = runBudgets(scenario, { from: 'server' });
 * b.text; // "none of the client's own: it follows the server's X-RateLimit-* and Retry-After"
 */
export function runBudgets(scenario: Scenario, target: TargetBudgets): RunBudgets {
  const own = scenario.client.rateLimit;
  if (own === false) return NO_BUDGETS;
  if (target.from === 'quota') {
    // The quota is a ceiling: the scenario may ask for less, never for more.
    const clamp = (w: WindowBudget | false | undefined, quota: WindowBudget) =>
      w && perSec(w) < perSec(quota) ? w : { ...quota };
    return budgets('real', clamp(own?.perMinute, target.perMinute), clamp(own?.perHour, target.perHour));
  }
  const mockLimits = target.from === 'mock' ? target.limits : null;
  const fallback = (w: 'perMinute' | 'perHour'): WindowBudget | false =>
    mockLimits === null || mockLimits === false ? false : mockLimits[w];
  const perMinute = own?.perMinute ?? fallback('perMinute');
  const perHour = own?.perHour ?? fallback('perHour');
  const fromScenario = own?.perMinute !== undefined || own?.perHour !== undefined;
  const source: BudgetSource = fromScenario
    ? 'scenario'
    : mockLimits
      ? 'mock'
      : mockLimits === false
        ? 'none'
        : 'server';
  return budgets(source, perMinute, perHour);
}

function budgets(
  source: BudgetSource,
  perMinute: WindowBudget | false,
  perHour: WindowBudget | false,
): RunBudgets {
  const tightest = Math.min(perSec(perMinute), perSec(perHour));
  const windows = [perMinute, perHour].filter((w): w is WindowBudget => w !== false).map(windowText);
  const list = windows.length === 0 ? 'no request budget' : windows.join(' and ');
  const text = {
    scenario: `the scenario's: ${list}`,
    mock: `the mock's limits: ${list} (set client.rateLimit or mock.limits to change them)`,
    real: `the real Nexus API's quota: ${list}`,
    server: "none of the client's own: it follows the server's X-RateLimit-* and Retry-After",
    none: "none: the client's budgets are off (it still honours the server's 429s)",
  }[source];
  return { source, perMinute, perHour, allowedPerSec: Number.isFinite(tightest) ? tightest : null, text };
}

/** No budgets at all (the target says so: a Pact mock server states no limits). */
export const NO_BUDGETS: RunBudgets = budgets('none', false, false);

/** The client's `rateLimit` option for {@link runBudgets}' budgets, over the scenario's other settings. */
export function rateLimitOption(scenario: Scenario, b: RunBudgets): RateLimit {
  const own = scenario.client.rateLimit;
  if (own === false) return false;
  return { ...own, perMinute: b.perMinute, perHour: b.perHour };
}

/**
 * Requests a budget lets through in `lengthMs`: each window refills at its start, so a run
 * of length T gets `limit × ⌈T / windowMs⌉` from each window, and the tightest wins.
 *
 * @example
 * allowedRequests(budgets, 90_000); // 120 under 60 per 60 s (two windows)
 */
export function allowedRequests(b: RunBudgets, lengthMs: number): number {
  let allowed = Number.POSITIVE_INFINITY;
  for (const w of [b.perMinute, b.perHour]) {
    if (w) allowed = Math.min(allowed, w.limit * Math.max(1, Math.ceil(lengthMs / w.windowMs)));
  }
  return allowed;
}

/**
 * The warning printed at the start of a run that demands more iterations (each at least one
 * request) than the client's budget lets through in the run's length, or `null` when it fits
 * (or demands no count: closed-model time-based load has no number to compare before it runs).
 *
 * @example
 * capacityWarning(scenario, budgets); // "the scenario demands 90 iterations in 5 s …"
 */
export function capacityWarning(scenario: Scenario, b: RunBudgets): string | null {
  let demanded = 0;
  let lengthMs = 0;
  for (const e of Object.values(scenario.executors)) {
    demanded += demandedIterations(e) ?? 0;
    lengthMs = Math.max(lengthMs, executorTiming(e).latestEndMs);
  }
  const allowed = allowedRequests(b, lengthMs);
  if (demanded === 0 || demanded <= allowed) return null;
  return (
    `the scenario demands ${fmt(demanded)} iterations (each at least one request) in at most ${fmt(lengthMs / 1_000)} s, ` +
    `but the client's budget lets ${fmt(allowed)} requests through in that time (${b.text}): operations will wait in ` +
    'the client, and what still waits at duration + gracefulStop is cut off and counted as interrupted'
  );
}

/** The client options of a run: the scenario's settings, then what the target imposes, then the budgets. */
export function clientOptionsFor(
  scenario: Scenario,
  imposed: NexusClientOptions,
  b: RunBudgets,
): NexusClientOptions {
  const rateLimit = imposed.rateLimit === false ? false : rateLimitOption(scenario, b);
  return { ...toClientOptions(scenario.client), ...imposed, rateLimit };
}

/**
 * The client options these settings stand for; the caller adds `apiKey`, `baseUrl`, hooks and
 * clocks. Fields not set are left out so the client's own defaults apply.
 *
 * @example
 * createNexusClient({ ...toClientOptions(scenario.client), apiKey, baseUrl, hooks });
 */
export function toClientOptions(settings: ClientSettings): NexusClientOptions {
  const options: NexusClientOptions = {};
  for (const [key, value] of Object.entries(settings)) {
    if (value !== undefined) (options as Record<string, unknown>)[key] = value;
  }
  return options;
}
