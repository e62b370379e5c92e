import { exitCodeOfResult } from '../../harness/cli/exit-codes.js';
import type { RunResult } from '../../harness/engine/result/types.js';
import { type RunOptions, runScenario } from '../../harness/engine/run/run-scenario.js';
import { type TargetChoice, targetFor } from '../../harness/targets/index.js';
import { validateScenario } from '../../scenarios/model/scenario.js';
import type { TargetKind } from '../../scenarios/model/target.js';

/** {@link runScenario}'s options with the target named as `--target` names it. */
export interface RunOnOptions extends Omit<RunOptions, 'target'>, TargetChoice {
  /** Default: the scenario's own `target` (`mock` unless it says otherwise). */
  target?: TargetKind;
}

/**
 * Runs a scenario as `nexus-harness run` does (the target by kind, the exit code the CLI would
 * return), without writing a result file.
 *
 * @example
 * const { result, exitCode } = await runOn(smoke, { durationMs: 2_000 });
 */
export async function runOn(
  input: unknown,
  options: RunOnOptions = {},
): Promise<{ result: RunResult; exitCode: number }> {
  const { target, url, allowRemote, pactFile, ...rest } = options;
  const scenario = validateScenario(input);
  const result = await runScenario(scenario, {
    ...rest,
    target: targetFor(target ?? scenario.target, { url: url ?? scenario.url, allowRemote, pactFile }),
  });
  return { result, exitCode: exitCodeOfResult(result) };
}
