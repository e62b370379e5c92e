import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../harness/util/validation.js';
import { resolveMockConfig } from './config.js';

function problemsOf(input: unknown): string[] {
  try {
    resolveMockConfig(input);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('resolveMockConfig', () => {
  it('fills in the real API values by default', () => {
    const config = resolveMockConfig();
    expect(config.limits).toEqual({
      perMinute: { limit: 60, windowMs: 60_000 },
      perHour: { limit: 1_000, windowMs: 3_600_000 },
      concurrentSessions: 100,
      messagesPerSession: 10_000,
    });
    expect(config).toMatchObject({
      maxMessageLength: 4_000,
      retryAfterHeader: true,
      sessionTtlMs: 86_400_000,
    });
  });

  it('keeps the defaults of a window that is only partly given', () => {
    expect(resolveMockConfig({ limits: { perMinute: { limit: 10 } } }).limits).toMatchObject({
      perMinute: { limit: 10, windowMs: 60_000 },
    });
  });

  it('reports every problem at once, each with its path, value and expectation', () => {
    const problems = problemsOf({
      seed: 'x',
      limits: { perMinute: { limit: 0 } },
      faults: [
        { type: 'explode' },
        { type: 'reset', probability: 2 },
        { type: 'latency', delay: { type: 'uniform', minMs: 5, maxMs: 1 } },
      ],
      surprise: true,
    });
    expect(problems).toEqual([
      expect.stringMatching(/^seed: .*number.*\(got "x"\)$/),
      expect.stringMatching(/^limits\.perMinute\.limit: .*>=1.*\(got 0\)$/),
      expect.stringMatching(/^faults\[0\]\.type: .*'latency'.*\(got "explode"\)$/),
      expect.stringMatching(/^faults\[1\]\.probability: .*<=1.*\(got 2\)$/),
      expect.stringMatching(/^faults\[2\]\.delay\.maxMs: maxMs must be ≥ minMs/),
      'surprise: unknown field',
    ]);
  });

  it('says what limits may be when it is neither false nor an object', () => {
    expect(problemsOf({ limits: 'none' })).toEqual([
      expect.stringMatching(/^limits: expected false \(no limits\) or an object/),
    ]);
  });
});
