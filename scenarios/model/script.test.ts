import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../harness/util/validation.js';
import { defineScenario } from './define-scenario.js';
import { parseScenarioJson } from './load.js';
import { validateScenario } from './scenario.js';

const base = {
  name: 'scripted',
  executors: { main: { executor: 'constant-vus', vus: 1, duration: '1s' } },
} as const;

function problems(input: unknown): string[] {
  try {
    validateScenario(input);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  return [];
}

describe('a scripted iteration in the scenario model', () => {
  it('keeps the function as it is, has no op mix, and validates again to the same scenario', () => {
    const iteration = async () => {};
    const scenario = validateScenario({ ...base, iteration, metrics: { login_time: 'trend' } });
    expect(scenario.iteration).toBe(iteration);
    expect(scenario.workload).toBeNull();
    expect(scenario.metrics).toEqual({ login_time: 'trend' });
    // runOn validates, then runScenario and the overrides validate the output again.
    expect(validateScenario(scenario)).toEqual(scenario);
    expect(validateScenario(base).workload?.mix).toEqual({ conversation: 1 });
    expect(validateScenario(base).metrics).toEqual({});
  });

  it('refuses an op mix beside it, naming the field, rather than guessing which one runs', () => {
    expect(problems({ ...base, iteration: async () => {}, workload: { mix: { sendMessage: 1 } } })).toEqual([
      'workload: expected no workload: this scenario has a scripted iteration, which runs instead of the op mix; remove workload (or iteration) (got {"mix":{"sendMessage":1}})',
    ]);
    expect(problems({ ...base, workload: null })).toEqual([
      'workload: expected a workload object: only a scenario with a scripted iteration has none (got null)',
    ]);
  });

  it('tells a JSON scenario that an iteration needs a code file', () => {
    const json = parseScenarioJson(
      JSON.stringify({ ...base, iteration: 'async ({ client }) => {}' }),
      'scripted.json',
    );
    expect(problems(json)).toEqual([
      expect.stringMatching(
        /^iteration: expected a function: a scripted iteration is code, so it needs a \.ts, \.mts, \.js or \.mjs scenario file \(a JSON scenario describes its load with workload\.mix instead\)/,
      ),
    ]);
  });

  it("checks custom metric names by k6's rule and keeps them apart from the built-in ones", () => {
    expect(
      problems({
        ...base,
        iteration: async () => {},
        metrics: {
          'bad-name': 'trend',
          '9lives': 'counter',
          checks: 'rate',
          op_duration: 'trend',
          ok: 'histogram',
        },
      }),
    ).toEqual([
      'metrics.bad-name: expected a metric name of letters, digits and _ (not starting with a digit, at most 128 characters) (got key "bad-name")',
      'metrics.9lives: expected a metric name of letters, digits and _ (not starting with a digit, at most 128 characters) (got key "9lives")',
      "metrics.checks: 'checks' is a built-in metric (rate: Passed assertions of a scripted iteration's check(), tagged check:<name>); give the custom metric another name (got key \"checks\")",
      'metrics.op_duration: \'op_duration\' is a built-in metric (trend: Operation latency from its intended start (coordinated-omission correct)); give the custom metric another name (got key "op_duration")',
      'metrics.ok: expected one of counter, trend, rate, gauge (got "histogram")',
    ]);
  });

  it('types the context: declared names only, each with its kind', () => {
    const scenario = defineScenario({
      ...base,
      metrics: { login_time: 'trend', logins: 'counter' },
      iteration: async ({ metric, check, vu }) => {
        metric.trend('login_time').add(1);
        metric.counter('logins').add();
        // @ts-expect-error: not declared
        metric.trend('nope');
        // @ts-expect-error: declared as a counter
        metric.trend('logins');
        check(vu, { 'is a number': (v) => typeof v === 'number' });
      },
    });
    expect(typeof scenario.iteration).toBe('function');
  });
});
