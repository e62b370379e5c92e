import { BUILTIN_SCENARIOS } from '../../scenarios/builtin/index.js';
import { loadScenarioFile } from '../../scenarios/model/load.js';
import { type Scenario, validateScenario } from '../../scenarios/model/scenario.js';
import { UsageError } from './exit-codes.js';

const FILE_LIKE = /[/\\]|\.(json|ts|mts|js|mjs)$/;

/**
 * Resolves what a user typed after `run`/`validate`: a built-in scenario's name, or a path to
 * a scenario file (`.json`, `.ts`, …). Invalid scenarios throw a `ConfigError` naming every
 * problem; an unknown name lists the built-ins.
 *
 * @example
 * const scenario = await resolveScenario('rate-limit-storm');
 */
export async function resolveScenario(ref: string): Promise<Scenario> {
  const builtin = BUILTIN_SCENARIOS[ref];
  if (builtin !== undefined) return validateScenario(builtin, `built-in scenario ${ref}`);
  if (FILE_LIKE.test(ref)) return loadScenarioFile(ref);
  throw new UsageError(
    `Unknown scenario "${ref}". Built-in scenarios: ${Object.keys(BUILTIN_SCENARIOS).join(', ')}; ` +
      'or give a path to a .json or .ts scenario file (see nexus-harness list).',
  );
}
