/**
 * Reading a result document back (from a file, another process, a baseline): checks the
 * schema and version and the shape of everything this code reads, and reports every problem
 * at once. `scenario`, `target` and `audit` belong to other parts and are not checked here.
 */
import { z } from 'zod';
import { parseWithSchema } from '../../util/validation.js';
import { RESULT_SCHEMA, RESULT_VERSION, type RunResult } from './types.js';

const tags = z.record(z.string(), z.string());
const finite = z.number();
const nullableNumber = z.number().nullable();

const trendStats = z.object({
  count: finite,
  sum: finite,
  min: finite,
  max: finite,
  avg: finite,
  med: finite,
  'p(90)': finite,
  'p(95)': finite,
  'p(99)': finite,
  'p(99.9)': finite,
});

const metric = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('trend'),
    unit: z.string(),
    values: z.array(z.object({ tags, stats: trendStats, histogram: z.string().min(1) })),
  }),
  z.object({
    kind: z.literal('counter'),
    unit: z.string(),
    values: z.array(z.object({ tags, stats: z.object({ count: finite, rate: finite }) })),
  }),
  z.object({
    kind: z.literal('rate'),
    unit: z.string(),
    values: z.array(z.object({ tags, stats: z.object({ rate: finite, passes: finite, fails: finite }) })),
  }),
  z.object({
    kind: z.literal('gauge'),
    unit: z.string(),
    values: z.array(z.object({ tags, stats: z.object({ value: finite, min: finite, max: finite }) })),
  }),
]);

const series = z.object({
  intervalSec: z.number().positive(),
  tSec: z.array(finite),
  ops: z.array(finite),
  errors: z.array(finite),
  rateLimited: z.array(finite),
  // Written since the HTML report's charts; older results have neither column.
  retries: z.array(finite).optional(),
  p50Ms: z.array(nullableNumber),
  p90Ms: z.array(nullableNumber).optional(),
  p99Ms: z.array(nullableNumber),
});

const loopDelay = z.object({ p50: finite, p99: finite, max: finite, mean: finite }).nullable();
const generator = z.object({
  eventLoopDelayMs: loopDelay,
  cpu: z.object({ meanCores: finite, peakWindowCores: finite, userMs: finite, systemMs: finite }),
  samples: finite,
  warnings: z.array(z.string()),
  // Written since the figures judge the load window; older results have neither.
  loadWindow: z.object({ fromMs: finite, toMs: finite }).nullable().optional(),
  wholeRun: z
    .object({
      elapsedMs: finite,
      eventLoopDelayMs: loopDelay,
      cpu: z.object({ meanCores: finite, userMs: finite, systemMs: finite }),
    })
    .optional(),
});

const threshold = z.object({
  metric: z.string(),
  expression: z.string(),
  ok: z.boolean(),
  actual: nullableNumber,
  abortOnFail: z.boolean(),
  abort: z.boolean(),
  // Written since the "no data fails" change; results from before it have no status.
  status: z.enum(['pass', 'fail', 'no-data', 'n/a']).optional(),
  note: z.string().optional(),
});

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 date');

/**
 * The zod schema of a version-1 result document.
 *
 * @example
 * const ok = runResultSchema.safeParse(value).success;
 */
export const runResultSchema = z.object({
  schema: z.literal(RESULT_SCHEMA),
  version: z.literal(RESULT_VERSION),
  runId: z.string().min(1),
  startedAt: isoDate,
  endedAt: isoDate,
  durationMs: z.number().nonnegative(),
  interrupted: z.boolean(),
  scenario: z.unknown(),
  target: z.unknown(),
  metrics: z.record(z.string(), metric),
  series,
  generator,
  audit: z.unknown(),
  thresholds: z.array(threshold),
  passed: z.boolean(),
  verdict: z.enum(['passed', 'failed', 'interrupted']).optional(),
  // Kept as written (its shape is CompletionReport's): a re-read result must not lose it.
  completion: z.unknown().optional(),
  notices: z.array(z.string()).optional(),
  // Written since the setup phase; older results have none.
  setup: z
    .object({
      durationMs: finite,
      vus: finite,
      initialised: finite,
      initFailed: finite,
      warmRequests: finite,
      requests: finite,
      rateLimited: finite,
      connections: finite,
      cutShort: z.string().nullable(),
      skipped: z.string().nullable(),
    })
    .optional(),
  // Written by the CLI since reports; older results and in-process runs have none.
  meta: z
    .object({
      harnessVersion: z.string(),
      node: z.string(),
      os: z.string(),
      cpus: finite,
      commandLine: z.string(),
      unsafeIgnoreRateLimits: z.boolean(),
      seed: nullableNumber,
    })
    .optional(),
  // Written since the errors counter; older results, imported ones and clean runs have none.
  errorExamples: z.record(z.string(), z.string()).optional(),
});

/**
 * Validates a parsed JSON value as a result document (version 1). Throws a `ConfigError`
 * (`NH_CONFIG_INVALID`) naming every bad field, e.g. `metrics.op_duration.values[0].histogram`.
 * Histograms are decoded later, by whatever reads them (`decodeResultMetrics`, `mergeResults`).
 *
 * @example
 * const result = parseResult(JSON.parse(readFileSync(file, 'utf8')), file);
 * const merged = mergeResults(result, other);
 */
export function parseResult(value: unknown, source = 'result document'): RunResult {
  return parseWithSchema(runResultSchema, value, source) as RunResult;
}
