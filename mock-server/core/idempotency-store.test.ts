import { describe, expect, it } from 'vitest';
import { IdempotencyStore, requestFingerprint } from './idempotency-store.js';

const outcome = (body: string) => ({ fingerprint: 'f', status: 200, body });

describe('IdempotencyStore', () => {
  it('answers a kept outcome until ttlMs has passed, then forgets it', () => {
    const store = new IdempotencyStore({ maxKeys: 10, ttlMs: 1_000 });
    store.set('k', 'a', outcome('A'), 0);
    expect(store.get('k', 'a', 999)?.body).toBe('A');
    expect(store.get('k', 'a', 1_000)).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('sweeps expired outcomes as new ones come in', () => {
    const store = new IdempotencyStore({ maxKeys: 10, ttlMs: 1_000 });
    for (let i = 0; i < 5; i++) store.set('k', `a${i}`, outcome(String(i)), i * 100);
    store.set('k', 'late', outcome('late'), 1_250);
    // a0..a2 (stored at 0, 100, 200) have expired at 1,250; a3 and a4 have not.
    expect(store.size).toBe(3);
    expect(store.get('k', 'a3', 1_250)?.body).toBe('3');
  });

  it('never holds more than maxKeys: one more forgets the oldest', () => {
    const store = new IdempotencyStore({ maxKeys: 3, ttlMs: 86_400_000 });
    for (let i = 0; i < 10; i++) {
      store.set('k', `a${i}`, outcome(String(i)), i);
      expect(store.size).toBeLessThanOrEqual(3);
    }
    expect(store.get('k', 'a6', 10)).toBeUndefined();
    expect(store.get('k', 'a7', 10)?.body).toBe('7');
  });

  it('keeps keys of different API keys apart', () => {
    const store = new IdempotencyStore({ maxKeys: 10, ttlMs: 1_000 });
    store.set('k1', 'a', outcome('one'), 0);
    expect(store.get('k2', 'a', 0)).toBeUndefined();
  });
});

describe('requestFingerprint', () => {
  it('is a short digest, the same for the same request and different for another', () => {
    const long = { content: 'x'.repeat(4_000) };
    const a = requestFingerprint('sendMessage', 't1', long);
    expect(a).toHaveLength(44);
    expect(requestFingerprint('sendMessage', 't1', { content: 'x'.repeat(4_000) })).toBe(a);
    expect(requestFingerprint('sendMessage', 't2', long)).not.toBe(a);
    expect(requestFingerprint('createThread', null, undefined)).toBe(
      requestFingerprint('createThread', null, null),
    );
  });
});
