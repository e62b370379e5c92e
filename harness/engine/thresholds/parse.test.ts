import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HarnessError } from '../../util/errors.js';
import { ConfigError } from '../../util/validation.js';
import { metricCatalogue } from '../types.js';
import { parseThresholds } from './parse.js';

function problems(input: unknown): string[] {
  try {
    parseThresholds(input);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.path}: ${p.message}`);
    throw err;
  }
  return [];
}

describe('parseThresholds', () => {
  it('parses k6-shaped thresholds: strings and objects, tag filters, abortOnFail, delayAbortEval', () => {
    const parsed = parseThresholds({
      'http_req_duration{op:send_message}': ['p(99)<500', 'avg < 200'],
      op_failed: [{ threshold: 'rate<0.01', abortOnFail: true, delayAbortEval: '10s' }],
      rate_limited: ['count>=1', 'rate<5'],
      vus: ['value<=100'],
    });
    expect(parsed.map((t) => [t.key, t.kind, t.filter, t.source, t.abortOnFail, t.delayAbortEvalMs])).toEqual(
      [
        ['http_req_duration{op:send_message}', 'trend', { op: 'send_message' }, 'p(99)<500', false, 0],
        ['http_req_duration{op:send_message}', 'trend', { op: 'send_message' }, 'avg < 200', false, 0],
        ['op_failed', 'rate', null, 'rate<0.01', true, 10_000],
        ['rate_limited', 'counter', null, 'count>=1', false, 0],
        ['rate_limited', 'counter', null, 'rate<5', false, 0],
        ['vus', 'gauge', null, 'value<=100', false, 0],
      ],
    );
  });

  it.each([
    [
      'trend',
      'op_duration',
      ['p(90)<1', 'avg<1', 'min<1', 'max<1', 'med<1', 'count<1'],
      ['rate<1', 'value<1'],
    ],
    ['counter', 'http_reqs', ['count<1', 'rate<1'], ['p(99)<1', 'avg<1', 'value<1']],
    ['rate', 'http_req_failed', ['rate<1'], ['count<1', 'p(50)<1', 'value<1']],
    ['gauge', 'vus', ['value<1'], ['rate<1', 'max<1', 'count<1']],
  ])('%s metrics allow exactly their aggregations', (_kind, metric, valid, invalid) => {
    expect(parseThresholds({ [metric]: valid })).toHaveLength(valid.length);
    const found = problems({ [metric]: invalid });
    expect(found).toHaveLength(invalid.length);
    for (const p of found) expect(p).toMatch(new RegExp(`does not apply to \\w+ metric '${metric}'; use `));
  });

  it('reports every problem at once, each naming the key, the expression and what is allowed', () => {
    const found = problems({
      'http_req_duration{op:send}': [
        'p(99)<500',
        'rate<1',
        { threshold: 'avg<3', abortOnFail: 'yes', extra: 1 },
      ],
      nope: ['count>0'],
      'ops{}': ['count>0'],
      checks: ['p99<1', 42],
      iterations: 'count>0',
      vus: [{ threshold: 'value<1', delayAbortEval: '10' }, {}],
    });
    expect(found).toEqual([
      expect.stringMatching(
        /^http_req_duration\{op:send\}\[1\]: 'rate' does not apply to trend metric .*use p\(N\), avg, min, max, med or count \(got "rate<1"\)$/,
      ),
      expect.stringMatching(/^http_req_duration\{op:send\}\[2\]\.extra: unknown field/),
      expect.stringMatching(
        /^http_req_duration\{op:send\}\[2\]\.abortOnFail: expected true or false \(got "yes"\)/,
      ),
      expect.stringMatching(/^nope: unknown metric 'nope'; known metrics: http_reqs, /),
      expect.stringMatching(/^ops\{\}: bad threshold key: empty tag filter/),
      expect.stringMatching(/^checks\[0\]: bad expression: unknown aggregation 'p99'.* \(got "p99<1"\)/),
      expect.stringMatching(/^checks\[1\]: expected an expression string or \{ threshold/),
      expect.stringMatching(/^iterations: expected an array of expressions/),
      expect.stringMatching(/^vus\[0\]\.delayAbortEval: expected a duration such as '10s'/),
      expect.stringMatching(/^vus\[1\]\.threshold: expected an expression string/),
    ]);
  });

  it('throws a ConfigError with code NH_CONFIG_INVALID for a non-object', () => {
    try {
      parseThresholds(['p(99)<1']);
      expect.unreachable();
    } catch (err) {
      expect(HarnessError.is(err) && err.code).toBe('NH_CONFIG_INVALID');
    }
  });

  it('accepts a custom catalogue of metrics', () => {
    expect(parseThresholds({ my_trend: ['p(50)<1'] }, { my_trend: { kind: 'trend' } })[0]?.kind).toBe(
      'trend',
    );
  });

  it('only ever throws ConfigError, whatever the input', () => {
    const anyInput = fc.oneof(
      fc.anything(),
      fc.dictionary(fc.string(), fc.array(fc.oneof(fc.string(), fc.anything()))),
      fc.dictionary(
        fc.constantFrom('ops', 'op_duration{op:a}', 'checks', 'vus', 'x{'),
        fc.array(
          fc.record({ threshold: fc.string(), abortOnFail: fc.anything(), delayAbortEval: fc.string() }),
        ),
      ),
    );
    fc.assert(
      fc.property(anyInput, (input) => {
        try {
          expect(Array.isArray(parseThresholds(input))).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseThresholds on hostile keys and sizes', () => {
  it('refuses a __proto__ key instead of dropping it', () => {
    expect(() => parseThresholds(JSON.parse('{"__proto__": ["count==0"]}'))).toThrow(
      /__proto__: "__proto__" is not allowed as a name/,
    );
  });

  it.each([['toString'], ['constructor'], ['hasOwnProperty']])(
    'treats %s as an unknown metric, not as a property every object has',
    (key) => {
      expect(() => parseThresholds({ [key]: ['count==0'] })).toThrow(
        new RegExp(`${key}: unknown metric '${key}'`),
      );
    },
  );

  it('refuses a delayAbortEval longer than 24h, naming the limit', () => {
    expect(() =>
      parseThresholds({
        op_failed: [{ threshold: 'rate<0.01', abortOnFail: true, delayAbortEval: '1000h' }],
      }),
    ).toThrow(/op_failed\[0\]\.delayAbortEval: expected a duration of at most 24h \(86400000 ms\)/);
  });
});

describe('parseThresholds suggestions', () => {
  it('suggests the metric a misspelt key was meant to be', () => {
    expect(() => parseThresholds({ op_duraton: ['p(99)<500'] })).toThrow(
      /op_duraton: unknown metric 'op_duraton' \(did you mean 'op_duration'\?\); known metrics:/,
    );
  });
});

describe('thresholds on custom metrics', () => {
  it("accepts a scenario's declared metrics with their kind's aggregations, and checks", () => {
    const parsed = parseThresholds(
      {
        login_time: ['p(95)<200'],
        logins: ['count>0'],
        checks: ['rate>0.99'],
        'checks{check:is 200}': ['rate==1'],
      },
      metricCatalogue({ login_time: 'trend', logins: 'counter' }),
    );
    expect(parsed.map((t) => [t.key, t.kind])).toEqual([
      ['login_time', 'trend'],
      ['logins', 'counter'],
      ['checks', 'rate'],
      ['checks{check:is 200}', 'rate'],
    ]);
    expect(parsed[3]?.filter).toEqual({ check: 'is 200' });
    expect(() => parseThresholds({ logins: ['p(95)<200'] }, metricCatalogue({ logins: 'counter' }))).toThrow(
      /'p\(95\)' does not apply to counter metric 'logins'/,
    );
  });

  it('refuses an undeclared metric before the run, saying how to declare it', () => {
    expect(() => parseThresholds({ login_time: ['p(95)<200'] })).toThrow(
      /unknown metric 'login_time'; known metrics: .*A custom metric of a scripted iteration is declared in the scenario: metrics: \{ login_time: 'trend' \}/,
    );
  });
});
