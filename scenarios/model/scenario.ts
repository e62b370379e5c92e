import { z } from 'zod';
import { parseWithSchema } from '../../harness/util/validation.js';
import { mockConfigSchema } from '../../mock-server/core/config.js';
import { appSettingsSchema } from './app-settings.js';
import { clientSettingsSchema } from './client-settings.js';
import { executorConfigSchema } from './executors/executor-config.js';
import { checkExecutorLimits } from './limits.js';
import { metricDeclarationsSchema } from './metrics.js';
import { iterationSchema } from './script.js';
import { TARGET_KINDS } from './target.js';
import { thresholdsSchema } from './thresholds.js';
import { type Workload, workloadSchema } from './workload.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const nameMessage = 'expected a name of letters, digits, "_", "." or "-"';

/** The op mix of a scenario that gives none: whole conversations. */
const defaultWorkload = (): Workload => workloadSchema.parse({ mix: { conversation: 1 } });

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/**
 * A scenario: executors (several, each from its `startTime`), the workload (the op mix) or a
 * scripted `iteration` (one or the other), custom `metrics`, client and mock settings,
 * thresholds, and the default target. Durations accept k6 strings (`'30s'`, `'1m30s'`) or ms
 * and come out as ms. A scripted scenario's resolved `workload` is `null`: it has no op mix.
 *
 * @example
 * scenarioSchema.safeParse(input).success
 */
export const scenarioSchema = z
  .strictObject({
    /** The JSON Schema an editor validates the file with (`scenarios/model/scenario.schema.json`); ignored. */
    $schema: z.string({ error: 'expected the path or URL of a JSON Schema' }).optional(),
    name: z.string({ error: nameMessage }).regex(NAME, { error: nameMessage }),
    description: z.string({ error: 'expected a string' }).default(''),
    executors: z
      .record(z.string().regex(NAME, { error: `executor names: ${nameMessage}` }), executorConfigSchema, {
        error: 'expected an object of executor name → executor config',
      })
      .refine((e) => Object.keys(e).length > 0, { error: 'expected at least one executor' })
      // `when`: sizes are checked even while another executor has a problem, so all are named at once.
      .superRefine((e, ctx) => checkExecutorLimits(e, ctx), { when: () => true }),
    /** The op mix; default `{ mix: { conversation: 1 } }`. Not with `iteration` (`null` is accepted there). */
    workload: workloadSchema.nullable().optional(),
    /**
     * A scripted iteration (TypeScript/JavaScript scenarios only): run instead of the op mix,
     * with the run's client, `check()` and the declared custom `metrics`.
     */
    iteration: iterationSchema.optional(),
    /** Custom metrics of the scripted iteration, name → kind; thresholds may name them. Default none. */
    metrics: metricDeclarationsSchema.default({}),
    client: clientSettingsSchema.default({}),
    /** The mock's own configuration (see `mock-server/core/config.ts`); its `seed` defaults to the scenario's. */
    mock: mockConfigSchema.default(() => mockConfigSchema.parse({})),
    /** The chat app's settings for `target: 'app'` (its per-user limits, key grace); see `app-settings.ts`. */
    app: appSettingsSchema.optional(),
    thresholds: thresholdsSchema.default({}),
    target: z.enum(TARGET_KINDS, { error: `expected one of ${TARGET_KINDS.join(', ')}` }).default('mock'),
    /** Base URL for `target: 'url'` (required) or `'pact'`, e.g. `http://127.0.0.1:4010/api/public`. */
    url: z
      .string({ error: 'expected an http(s) URL' })
      .refine((u) => /^https?:\/\/[^/\s]+/.test(u) && URL.canParse(u), { error: 'expected an http(s) URL' })
      .optional(),
    /** Seeds the workload's choices and, unless `mock.seed` is set, the mock. Default 1. */
    seed: z.number({ error: 'expected an integer' }).int({ error: 'expected an integer' }).default(1),
  })
  // `when` runs this on input that may not be an object at all (`null`, a list): guard it.
  .refine((s) => !(isRecord(s) && s.target === 'url' && s.url === undefined), {
    path: ['url'],
    error: "expected an http(s) URL: target 'url' needs one",
    when: () => true,
  })
  // One way to say what an iteration does: the op mix, or a function. Both would leave the
  // reader guessing which one runs, so neither takes precedence.
  .refine((s) => !(isRecord(s) && typeof s.iteration === 'function' && isRecord(s.workload)), {
    path: ['workload'],
    error:
      'expected no workload: this scenario has a scripted iteration, which runs instead of the op mix; remove workload (or iteration)',
    when: () => true,
  })
  .refine((s) => !(isRecord(s) && s.iteration === undefined && s.workload === null), {
    path: ['workload'],
    error: 'expected a workload object: only a scenario with a scripted iteration has none',
    when: () => true,
  })
  .transform((s) => ({
    ...s,
    workload: s.iteration === undefined ? (s.workload ?? defaultWorkload()) : null,
  }));

/** A validated scenario: durations in ms, every default applied, `mock` a full mock config. */
export type Scenario = z.output<typeof scenarioSchema>;
/** A scenario as authored in TypeScript or JSON. */
export type ScenarioInput = z.input<typeof scenarioSchema>;

/** Gives the mock the scenario's seed when the scenario does not set `mock.seed`; never mutates `input`. */
function inheritSeed(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const scenario = input as Record<string, unknown>;
  const seed = Number.isInteger(scenario.seed) ? (scenario.seed as number) : 1;
  if (scenario.mock === undefined) return { ...scenario, mock: { seed } };
  const mock = scenario.mock;
  if (typeof mock === 'object' && mock !== null && !Array.isArray(mock) && !('seed' in mock)) {
    return { ...scenario, mock: { ...mock, seed } };
  }
  return input;
}

/**
 * Validates a scenario and applies its defaults. Throws a `ConfigError` (code
 * `NH_CONFIG_INVALID`) that lists every problem with its field path, the value found and what
 * is allowed, e.g. `executors.main.rate: expected a positive number (got -5)`.
 *
 * @example
 * const scenario = validateScenario({
 *   name: 'steady',
 *   executors: { main: { executor: 'constant-arrival-rate', rate: 20, duration: '30s', preAllocatedVUs: 10 } },
 *   workload: { mix: { sendMessage: 3, listMessages: 1 } },
 * });
 * scenario.executors.main.duration // 30000
 */
export function validateScenario(input: unknown, what = 'scenario'): Scenario {
  return parseWithSchema(scenarioSchema, inheritSeed(input), what);
}
