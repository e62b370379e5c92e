/**
 * `exportK6Script`: a scenario as a k6 script (ES module): the same executors and options,
 * the op mix as k6 code, thresholds in k6's grammar, 429 an expected status, our metric names.
 */
import type { Scenario } from '../../../../scenarios/model/scenario.js';
import { UsageError } from '../../../util/errors.js';
import { K6_SCRIPT_METRICS } from '../k6-metrics.js';
import { executorOptions } from './executor-options.js';
import { k6Thresholds } from './k6-thresholds.js';
import { workloadCode } from './workload-code.js';

/** JSON as a JS literal, indented to sit inside `options`. */
const literal = (value: unknown, indent: string): string =>
  JSON.stringify(value, null, 2).replaceAll('\n', `\n${indent}`);

/**
 * The k6 script of a validated scenario (apply `--duration`/`--rate`/`--vus` first with
 * `applyOverrides`). Deterministic: the same scenario gives the same text. Throws a
 * `UsageError` naming what k6 cannot do: a scripted iteration, an op such as `chat`.
 *
 * @example
 * const script = exportK6Script(validateScenario(BUILTIN_SCENARIOS.steady));
 * writeFileSync('steady.k6.js', script);
 */
export function exportK6Script(scenario: Scenario): string {
  if (scenario.workload === null) {
    throw new UsageError(
      `Failed to export scenario ${scenario.name} as a k6 script: it has a scripted iteration (a TypeScript function run by the harness), which has no k6 form. Run it with nexus-harness run, or give the scenario an op mix (workload) instead.`,
    );
  }
  const workload = workloadCode(scenario.workload, scenario.name);
  const scenarios = Object.fromEntries(
    Object.entries(scenario.executors).map(([name, e]) => [name, executorOptions(name, e)]),
  );
  const { kept, left } = k6Thresholds(scenario.thresholds as Record<string, unknown[]>);
  const metrics = Object.entries(K6_SCRIPT_METRICS)
    .map(([name, [kind, time]]) => `const ${camel(name)} = new ${kind}('${name}'${time ? ', true' : ''});`)
    .join('\n');
  const leftNote =
    left.length === 0
      ? ''
      : `// Not checked by k6 (the harness's own measurements, which k6 does not make): ${left.join(', ')}.\n// Run the scenario with nexus-harness for those (the audit needs the mock's ledger).\n`;
  const description = scenario.description === '' ? '' : ` — ${scenario.description}`;
  return `// k6 script of the nexus-harness scenario "${scenario.name}"${description}
// Written by \`nexus-harness k6 export ${scenario.name}\`: export again rather than edit.
// Needs k6 v0.48 or later (v1, v2 too). Run it against a Nexus API (the mock: nexus-harness mock):
//   NEXUS_BASE_URL=http://127.0.0.1:4010/api/public NEXUS_API_KEY=nexus-mock-key k6 run --out json=points.ndjson script.js
// then judge it as a harness run: nexus-harness import k6 points.ndjson --scenario ${scenario.name}
import http from 'k6/http';
import { sleep } from 'k6';
import { Counter, Rate, Trend } from 'k6/metrics';

const BASE = __ENV.NEXUS_BASE_URL;
const KEY = __ENV.NEXUS_API_KEY;
if (!BASE) throw new Error('Set NEXUS_BASE_URL to the API base URL, e.g. http://127.0.0.1:4010/api/public');
if (!KEY) throw new Error('Set NEXUS_API_KEY to the API key (the mock accepts nexus-mock-key)');
const GET_HEADERS = { 'api-key': KEY, accept: 'application/json' };
const POST_HEADERS = { 'api-key': KEY, accept: 'application/json', 'content-type': 'application/json' };

// Our metric names, so the imported run is judged and reported like one of ours.
${metrics}

// A 429 is the API's answer to load, not a failure: expected, and counted in rate_limited.
http.setResponseCallback(http.expectedStatuses({ min: 200, max: 399 }, 429));

export const options = {
  scenarios: ${literal(scenarios, '  ')},
  thresholds: ${literal(kept, '  ')},
};
${leftNote}
${workload}`;
}

/** `op_duration` → `opDuration`. */
function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}
