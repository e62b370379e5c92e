/**
 * How long the harness's pods may take, for the Job's `activeDeadlineSeconds`: a pod that
 * hangs (a target that never answers, a volume that never mounts) must not hold its node and
 * its share of the key's quota forever.
 */
import { executorTiming } from '../../../scenarios/model/executors/executor-config.js';
import type { Scenario } from '../../../scenarios/model/scenario.js';

/**
 * Room for what is not the load itself, ms: scheduling, pulling the image, the harness's
 * start-up and setup (at most 30 s), the audit, and writing the result.
 */
export const DEADLINE_SLACK_MS = 10 * 60_000;

/**
 * When the scenario's last executor is done, graceful stop included, ms from the start: the
 * latest moment a run keeps its word to end by (its executors' duration + gracefulStop).
 *
 * @example
 * scenarioEndMs(validateScenario(BUILTIN_SCENARIOS.steady)) // e.g. 60_000 + 30_000
 */
export function scenarioEndMs(scenario: Scenario): number {
  let end = 0;
  for (const e of Object.values(scenario.executors)) end = Math.max(end, executorTiming(e).latestEndMs);
  return end;
}

/**
 * The Job's `activeDeadlineSeconds` for the scenario: its end ({@link scenarioEndMs}) plus
 * {@link DEADLINE_SLACK_MS}, in whole seconds.
 *
 * @example
 * jobDeadlineSeconds(steady) // 690 for a 60 s run with a 30 s graceful stop
 */
export function jobDeadlineSeconds(scenario: Scenario): number {
  return Math.ceil((scenarioEndMs(scenario) + DEADLINE_SLACK_MS) / 1000);
}
