import type { FaultRule } from './config.js';
import { type Random, sampleDelay } from './random.js';
import type { RouteName } from './types.js';

/** The faults chosen for one request. Reused between requests: read it, do not keep it. */
export interface FaultDecision {
  /** Total injected latency, ms. */
  delayMs: number;
  /** The first non-latency rule that fired, or `null`. */
  rule: Exclude<FaultRule, { type: 'latency' }> | null;
}

/**
 * Decides, with seeded dice, which fault rules fire for a request. The dice are rolled for
 * every rule that matches the route and time window, in rule order, until a non-latency rule
 * fires; so the same seed and the same request sequence give the same faults, whatever the
 * timing of the run.
 *
 * @example
 * const plan = new FaultPlan(rules, seededRandom(7));
 * const d = plan.decide('sendMessage', msSinceStart);
 * if (d.rule?.type === 'reset') ...
 */
export class FaultPlan {
  private readonly decision: FaultDecision = { delayMs: 0, rule: null };

  constructor(
    private rules: readonly FaultRule[],
    private rand: Random,
  ) {}

  /** True when there is no rule at all: the hot path skips the plan entirely. */
  get empty(): boolean {
    return this.rules.length === 0;
  }

  /** Replaces the rules and the dice (the admin API re-seeds so a new plan is reproducible). */
  replace(rules: readonly FaultRule[], rand: Random): void {
    this.rules = rules;
    this.rand = rand;
  }

  /** Decides the faults for a request on `route` arriving `elapsedMs` after the simulator started. */
  decide(route: RouteName, elapsedMs: number): FaultDecision {
    const decision = this.decision;
    decision.delayMs = 0;
    decision.rule = null;
    for (const rule of this.rules) {
      if (rule.route !== '*' && rule.route !== route) continue;
      if (rule.window && (elapsedMs < rule.window.startMs || elapsedMs >= rule.window.endMs)) continue;
      if (rule.probability < 1 && this.rand() >= rule.probability) continue;
      if (rule.type === 'latency') {
        decision.delayMs += sampleDelay(rule.delay, this.rand);
        continue;
      }
      decision.rule = rule;
      break;
    }
    return decision;
  }
}
