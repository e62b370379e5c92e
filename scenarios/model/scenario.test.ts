import { describe, expect, it } from 'vitest';
import { toClientOptions } from '../../harness/engine/run/client-budgets.js';
import { ConfigError } from '../../harness/util/validation.js';
import { defineScenario } from './define-scenario.js';
import { validateScenario } from './scenario.js';

const minimal = {
  name: 'minimal',
  executors: { main: { executor: 'constant-vus', vus: 1, duration: '1s' } },
} as const;

describe('validateScenario', () => {
  it('fills in every default', () => {
    const scenario = validateScenario(minimal);
    expect(scenario).toMatchObject({
      description: '',
      target: 'mock',
      seed: 1,
      thresholds: {},
      client: {},
      workload: {
        mix: { conversation: 1 },
        sessions: 'per-vu',
        conversation: { turns: 3, thinkTime: 0 },
        waitForReply: { timeout: 30_000 },
        listMessages: { limit: 20 },
        message: { sizeChars: { min: 20, max: 200 } },
      },
    });
    expect(scenario.mock.limits).not.toBe(false);
    expect(scenario.mock.seed).toBe(1);
  });

  it('gives the mock the scenario seed unless the mock sets its own', () => {
    expect(validateScenario({ ...minimal, seed: 5 }).mock.seed).toBe(5);
    expect(validateScenario({ ...minimal, seed: 5, mock: { limits: false } }).mock).toMatchObject({
      seed: 5,
      limits: false,
    });
    expect(validateScenario({ ...minimal, seed: 5, mock: { seed: 8 } }).mock.seed).toBe(8);
  });

  it('accepts the url target with a URL and refuses a non-http one', () => {
    expect(validateScenario({ ...minimal, target: 'url', url: 'http://127.0.0.1:4010/api/public' }).url).toBe(
      'http://127.0.0.1:4010/api/public',
    );
    expect(() => validateScenario({ ...minimal, target: 'url', url: 'ftp://x' })).toThrow(
      /url: expected an http\(s\) URL \(got "ftp:\/\/x"\)/,
    );
  });

  it('throws one ConfigError listing each problem with its path and value', () => {
    let error: unknown;
    try {
      validateScenario({ name: 'x', executors: { main: { executor: 'constant-arrival-rate', rate: -5 } } });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
    expect(problems).toEqual([
      'executors.main.rate: expected a positive number (got -5)',
      expect.stringMatching(/^executors\.main\.duration: expected a duration .* \(got nothing\)$/),
      'executors.main.preAllocatedVUs: expected an integer ≥ 0 (got nothing)',
    ]);
  });

  it('says which fields are allowed where an unknown one is, and suggests the closest', () => {
    let error: ConfigError | undefined;
    try {
      validateScenario({
        ...minimal,
        executors: { main: { executor: 'constant-vus', vu: 3, duration: '1s' } },
        threshold: {},
        client: { retry: { backof: {} } },
      });
    } catch (err) {
      error = err as ConfigError;
    }
    expect(error?.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'executors.main.vu: unknown field',
      'client.retry.backof: unknown field',
      'threshold: unknown field',
    ]);
    expect(error?.message).toContain(
      'executors.main.vu: unknown field (did you mean "vus"?); expected one of executor, startTime, gracefulStop, vus, duration',
    );
    expect(error?.message).toContain('client.retry.backof: unknown field (did you mean "backoff"?)');
    expect(error?.message).toContain(
      'threshold: unknown field (did you mean "thresholds"?); expected one of $schema, name, description, executors,',
    );
  });

  it('refuses an executor name that cannot be a tag value', () => {
    expect(() =>
      validateScenario({ ...minimal, executors: { 'my executor': minimal.executors.main } }),
    ).toThrow(
      /executors\["my executor"\]: executor names: expected a name of letters, digits, "_", "." or "-" \(got key "my executor"\)/,
    );
  });
});

describe('client settings', () => {
  it('map onto NexusClientOptions, leaving unset fields to the client defaults', () => {
    const scenario = validateScenario({
      ...minimal,
      client: {
        rateLimit: { perMinute: { limit: 10, windowMs: '2s' }, perHour: false },
        retry: { maxAttempts: 5, budget: false },
        batching: false,
        idempotencyKeys: true,
        pool: { connections: 4 },
        polling: { initialIntervalMs: '100ms' },
      },
    });
    expect(toClientOptions(scenario.client)).toEqual({
      rateLimit: { perMinute: { limit: 10, windowMs: 2_000 }, perHour: false },
      retry: { maxAttempts: 5, budget: false },
      batching: false,
      idempotencyKeys: true,
      pool: { connections: 4 },
      polling: { initialIntervalMs: 100 },
    });
  });
});

describe('defineScenario', () => {
  it('returns its argument, typed, for validation at load time', () => {
    const authored = defineScenario({
      name: 'typed',
      executors: {
        open: {
          executor: 'ramping-arrival-rate',
          preAllocatedVUs: 5,
          stages: [{ duration: '10s', target: 50 }],
        },
      },
      workload: { mix: { sendMessage: 1 } },
    });
    expect(validateScenario(authored).executors.open).toMatchObject({
      maxVUs: 5,
      startRate: 0,
      timeUnit: 1_000,
    });
  });
});

describe('validateScenario on malformed input', () => {
  it('refuses null and other non-objects as a problem, not a crash', () => {
    for (const input of [null, [], 'scenario', 42]) {
      expect(() => validateScenario(input), JSON.stringify(input)).toThrow(ConfigError);
    }
  });

  it('refuses __proto__ keys in thresholds and mix instead of dropping them', () => {
    const input = {
      ...minimal,
      thresholds: JSON.parse('{"__proto__": ["count==0"]}'),
      workload: { mix: JSON.parse('{"conversation": 1, "__proto__": {"x": 1}}') },
    };
    expect(() => validateScenario(input)).toThrow(/thresholds\.__proto__: "__proto__" is not allowed/);
    expect(() => validateScenario(input)).toThrow(/workload\.mix\.__proto__/);
  });

  it('refuses 10,000-deep nesting as a problem, not a stack overflow', () => {
    const deep = JSON.parse(`${'['.repeat(10_000)}${']'.repeat(10_000)}`);
    expect(() => validateScenario(deep)).toThrow(/nested deeper than 64 levels/);
    expect(() => validateScenario({ ...minimal, description: deep })).toThrow(/description\[0\]/);
  });

  it('suggests the operation a misspelt mix entry was meant to be', () => {
    expect(() => validateScenario({ ...minimal, workload: { mix: { sendMesage: 1 } } })).toThrow(
      /workload\.mix\.sendMesage: unknown operation \(did you mean "sendMessage"\?\)/,
    );
  });
});
