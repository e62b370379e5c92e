import { describe, expect, it } from 'vitest';
import { ConfigError } from '../util/validation.js';
import {
  DEFAULT_BASE_URL,
  keyFingerprint,
  type NexusClientOptions,
  resolveClientOptions,
} from './options.js';
import { realTimers } from './timers.js';

describe('resolveClientOptions', () => {
  it('falls back to NEXUS_API_KEY and NEXUS_BASE_URL, then to the real base URL', () => {
    const fromEnv = resolveClientOptions(
      {},
      { NEXUS_API_KEY: 'env-key', NEXUS_BASE_URL: 'http://127.0.0.1:1/api/public/' },
    );
    expect([fromEnv.apiKey, fromEnv.origin, fromEnv.basePath]).toEqual([
      'env-key',
      'http://127.0.0.1:1',
      '/api/public',
    ]);
    const defaults = resolveClientOptions({ apiKey: 'k' }, {});
    expect(`${defaults.origin}${defaults.basePath}`).toBe(DEFAULT_BASE_URL);
    expect(defaults.idempotencyKeys).toBe(false);
    expect(defaults.keyFingerprint).toBe(keyFingerprint('k'));
    expect(defaults.keyFingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('reports every problem at once, with its path, and never the key', () => {
    let error: unknown;
    try {
      resolveClientOptions(
        {
          apiKey: 'secret-key-value',
          baseUrl: 'ftp://example.test',
          transport: 'carrier-pigeon' as 'auto',
          pool: { connections: 0 },
          rateLimit: {
            maxConcurrent: 1.5,
            perMinute: { limit: 0, windowMs: 1_000 },
            spacing: 'random' as 'even',
          },
          retry: { maxAttempts: 0, backoff: { baseMs: 100, capMs: 10 }, budget: { ratio: 2 } },
          batching: { maxQueued: -1 },
          polling: { factor: 0.5 },
        },
        {},
      );
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.map((p) => p.path);
    expect(problems).toEqual([
      'baseUrl',
      'transport',
      'rateLimit.maxConcurrent',
      'rateLimit.perMinute.limit',
      'rateLimit.spacing',
      'retry.maxAttempts',
      'retry.backoff.capMs',
      'retry.budget.ratio',
      'batching.maxQueued',
      'pool.connections',
      'polling.factor',
    ]);
    expect((error as Error).message).not.toContain('secret-key-value');
  });

  it('requires an API key', () => {
    expect(() => resolveClientOptions({}, {})).toThrow(
      /apiKey: no API key: pass options.apiKey or set NEXUS_API_KEY/,
    );
  });

  it('refuses what the component factories cannot run with, each with its path', () => {
    const problemsOf = (options: NexusClientOptions): string[] => {
      try {
        resolveClientOptions({ apiKey: 'k', ...options }, {});
      } catch (err) {
        if (err instanceof ConfigError) return err.problems.map((p) => `${p.path}: ${p.message}`);
        throw err;
      }
      return [];
    };
    expect(problemsOf({ retry: { maxRateLimitedAttempts: 0 } })).toEqual([
      'retry.maxRateLimitedAttempts: expected a positive integer (got 0)',
    ]);
    expect(problemsOf({ retry: { backoff: { baseMs: 0 } } })).toEqual([
      'retry.backoff.baseMs: expected a duration > 0 ms (got 0)',
    ]);
    // A base above the default cap (10 s) used to pass and then make createBackoff throw.
    expect(problemsOf({ retry: { backoff: { baseMs: 20_000 } } })).toEqual([
      'retry.backoff.baseMs: expected baseMs ≤ capMs (default 10000); set capMs too (got 20000)',
    ]);
    expect(problemsOf({ retry: { backoff: { baseMs: 100, capMs: 50 } } })).toEqual([
      'retry.backoff.capMs: expected capMs ≥ baseMs (100) (got 50)',
    ]);
    expect(problemsOf({ retry: { budget: { windowMs: 5 } } })).toEqual([
      'retry.budget.windowMs: expected a duration ≥ 10 ms (got 5)',
    ]);
  });

  it('passes the code fields (transport object, clocks, random sources) through unvalidated', () => {
    const random = () => 0.5;
    const now = () => 1;
    const resolved = resolveClientOptions(
      { apiKey: 'k', retry: { random, now, backoff: { random, baseMs: 10 }, budget: { now } } },
      {},
    );
    expect(resolved.retry.backoff).toEqual({ random, baseMs: 10 });
    expect(resolved.retry.budget).toEqual({ now });
  });

  it('takes the clock from timers, lets now win over timers.now, and keeps the real timers by default', () => {
    const fired: number[] = [];
    const timers = {
      t: 1_000,
      now() {
        return this.t; // called as a method: the client keeps `this`
      },
      setTimeout(callback: () => void, delayMs: number) {
        fired.push(delayMs);
        callback();
        return 1;
      },
      clearTimeout() {},
    };
    const resolved = resolveClientOptions({ apiKey: 'k', timers }, {});
    expect([resolved.now(), resolved.timers.now(), resolved.retry.now?.()]).toEqual([1_000, 1_000, 1_000]);
    resolved.timers.setTimeout(() => {}, 25);
    expect(fired).toEqual([25]);

    const both = resolveClientOptions({ apiKey: 'k', timers, now: () => 7 }, {});
    expect([both.now(), both.timers.now()]).toEqual([7, 7]);
    both.timers.setTimeout(() => {}, 5);
    expect(fired).toEqual([25, 5]);

    expect(resolveClientOptions({ apiKey: 'k' }, {}).timers).toBe(realTimers);
    // `timers` is code: the settings schema never sees it.
    expect(() => resolveClientOptions({ apiKey: 'k', timers: realTimers }, {})).not.toThrow();
  });

  it('refuses unknown fields with a suggestion', () => {
    expect(() => resolveClientOptions({ apiKey: 'k', retry: { maxAtempts: 3 } as never }, {})).toThrow(
      /retry\.maxAtempts: unknown field \(did you mean "maxAttempts"\?\)/,
    );
  });
});
