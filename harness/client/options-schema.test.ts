import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  buildClientSettingsSchema,
  clientSettingsSchema,
  DEFAULT_BACKOFF,
  DEFAULT_BATCHING,
  DEFAULT_MAX_MESSAGE_LENGTH,
  DEFAULT_POLLING,
  DEFAULT_POOL,
  DEFAULT_RATE_LIMIT,
  DEFAULT_RETRY,
  DEFAULT_RETRY_BUDGET,
  DEFAULT_TIMEOUTS,
} from './options-schema.js';

describe('clientSettingsSchema and the DEFAULT_* objects', () => {
  it('the defaults are frozen, nested budgets included', () => {
    for (const d of [
      DEFAULT_BACKOFF,
      DEFAULT_BATCHING,
      DEFAULT_POLLING,
      DEFAULT_POOL,
      DEFAULT_RATE_LIMIT,
      DEFAULT_RATE_LIMIT.perMinute,
      DEFAULT_RATE_LIMIT.perHour,
      DEFAULT_RETRY,
      DEFAULT_RETRY_BUDGET,
      DEFAULT_TIMEOUTS,
    ]) {
      expect(Object.isFrozen(d)).toBe(true);
    }
  });

  it('accepts every default written out, and applies none itself', () => {
    const everyDefault = {
      pool: DEFAULT_POOL,
      timeouts: DEFAULT_TIMEOUTS,
      rateLimit: DEFAULT_RATE_LIMIT,
      retry: { ...DEFAULT_RETRY, backoff: DEFAULT_BACKOFF, budget: DEFAULT_RETRY_BUDGET },
      batching: DEFAULT_BATCHING,
      polling: DEFAULT_POLLING,
      maxMessageLength: DEFAULT_MAX_MESSAGE_LENGTH,
    };
    expect(clientSettingsSchema.parse(everyDefault)).toEqual(everyDefault);
    expect(clientSettingsSchema.parse({})).toEqual({});
  });

  it('a layer in front of the ms fields keeps their bounds', () => {
    // As a scenario's duration strings: the layer converts, the bounds still decide.
    const text = buildClientSettingsSchema((ms) =>
      z.preprocess((v) => (typeof v === 'string' ? Number(v) : v), ms),
    );
    expect(text.parse({ retry: { backoff: { baseMs: '5' } } })).toEqual({
      retry: { backoff: { baseMs: 5 } },
    });
    expect(text.safeParse({ retry: { backoff: { baseMs: '0' } } }).success).toBe(false);
    expect(text.safeParse({ retry: { budget: { windowMs: '9' } } }).success).toBe(false);
  });
});
