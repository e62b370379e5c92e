import { describe, expect, it } from 'vitest';
import { ConfigError } from '../util/validation.js';
import { DEFAULT_BASE_URL, keyFingerprint, resolveClientOptions } from './options.js';

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
      'pool.connections',
      'rateLimit.maxConcurrent',
      'rateLimit.perMinute.limit',
      'retry.maxAttempts',
      'retry.backoff.capMs',
      'retry.budget.ratio',
      'batching.maxQueued',
      'polling.factor',
      'transport',
      'rateLimit.spacing',
    ]);
    expect((error as Error).message).not.toContain('secret-key-value');
  });

  it('requires an API key', () => {
    expect(() => resolveClientOptions({}, {})).toThrow(
      /apiKey: no API key: pass options.apiKey or set NEXUS_API_KEY/,
    );
  });
});
