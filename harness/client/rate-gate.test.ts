import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RateLimitStateEvent } from './hooks.js';
import { createRateGate } from './rate-gate.js';

const T0 = 1_700_000_000_000; // a whole second
const limited = (remaining: number, resetSec: number, limit = 10) => ({
  'x-ratelimit-limit': String(limit),
  'x-ratelimit-remaining': String(remaining),
  'x-ratelimit-reset': String(resetSec),
});

function setup(margin = 0) {
  let t = T0;
  const states: RateLimitStateEvent[] = [];
  const pauses: number[] = [];
  const gate = createRateGate({
    clockMarginMs: margin,
    now: () => t,
    onState: (e) => states.push(e),
    onPause: (u) => pauses.push(u),
  });
  return { gate, states, pauses, setTime: (ms: number) => (t = ms) };
}

describe('createRateGate', () => {
  it('lets everything through until the server says anything', () => {
    const { gate } = setup();
    for (let i = 0; i < 100; i++) expect(gate.tryAcquire()).toBe(0);
  });

  it('spends the announced remaining budget, counting in-flight attempts, then holds until the reset', () => {
    const { gate } = setup(25);
    const reset = T0 / 1_000 + 2;
    expect(gate.tryAcquire()).toBe(0); // a
    expect(gate.tryAcquire()).toBe(0); // b, in flight
    gate.observe(200, limited(3, reset), T0); // a's answer: 3 left, but b is not counted yet
    expect(gate.state().remaining).toBe(2);
    expect(gate.tryAcquire()).toBe(0);
    expect(gate.tryAcquire()).toBe(0);
    expect(gate.tryAcquire()).toBe(reset * 1_000 + 25);
  });

  it('takes the lowest remaining of one window and ignores answers from a window already over', () => {
    const { gate, setTime } = setup();
    const reset = T0 / 1_000 + 1;
    gate.tryAcquire();
    gate.tryAcquire();
    gate.observe(200, limited(2, reset), T0); // 2 left, one still in flight: 1
    expect(gate.state().remaining).toBe(1);
    gate.observe(200, limited(5, reset), T0); // a late answer with older information
    expect(gate.state().remaining).toBe(1);
    setTime(reset * 1_000); // the window is over: a fresh one of the announced limit
    expect(gate.tryAcquire()).toBe(0);
    expect(gate.state()).toMatchObject({ remaining: 9, resetAtMs: null });
    gate.observe(200, limited(0, reset), T0 + 999); // straggler from the old window
    expect(gate.state()).toMatchObject({ remaining: 9, resetAtMs: null });
  });

  it('on a 429 pauses the whole key until Retry-After (seconds), before X-RateLimit-Reset', () => {
    const { gate, pauses } = setup(10);
    gate.tryAcquire();
    gate.observe(429, { ...limited(0, T0 / 1_000 + 5), 'retry-after': '2' }, T0 + 300);
    expect(pauses).toEqual([T0 + 2_300 + 10]);
    expect(gate.tryAcquire()).toBe(T0 + 2_310);
  });

  it('on a 429 honours Retry-After given as an HTTP date', () => {
    const { gate } = setup(0);
    gate.tryAcquire();
    const until = T0 + 4_000;
    gate.observe(429, { 'retry-after': new Date(until).toUTCString() }, T0);
    expect(gate.tryAcquire()).toBe(until);
  });

  it('on a 429 without Retry-After waits for X-RateLimit-Reset, and without either for the fallback', () => {
    const a = setup(0);
    a.gate.tryAcquire();
    a.gate.observe(429, limited(0, T0 / 1_000 + 3), T0);
    expect(a.gate.tryAcquire()).toBe(T0 + 3_000);

    let t = T0;
    const b = createRateGate({ clockMarginMs: 0, fallbackPauseMs: 700, now: () => t });
    b.tryAcquire();
    b.observe(429, {}, T0);
    expect(b.tryAcquire()).toBe(T0 + 700);
    t = T0 + 700;
    expect(b.tryAcquire()).toBe(0);
  });

  it('takes a pause broadcast by another process without re-broadcasting it', () => {
    const { gate, pauses } = setup();
    gate.pause(T0 + 1_000);
    expect(gate.tryAcquire()).toBe(T0 + 1_000);
    expect(pauses).toEqual([]);
  });

  it('waits for in-flight answers after a reset spent the assumed budget, and never stalls without them', () => {
    const { gate, setTime } = setup();
    const reset = T0 / 1_000 + 1;
    gate.tryAcquire();
    gate.observe(200, limited(0, reset, 2), T0);
    setTime(reset * 1_000);
    expect(gate.tryAcquire()).toBe(0);
    expect(gate.tryAcquire()).toBe(0);
    expect(gate.tryAcquire()).toBe(Number.POSITIVE_INFINITY);
    gate.abandon();
    gate.abandon(); // both failed without an answer: forget the guess
    expect(gate.tryAcquire()).toBe(0);
  });

  it('wakes waiters when an answer changes the state', async () => {
    const { gate } = setup();
    const woken = gate.waitForChange(Number.POSITIVE_INFINITY);
    gate.observe(200, limited(4, T0 / 1_000 + 1), T0);
    await expect(woken).resolves.toBeUndefined();
  });
});

describe('createRateGate against a model server (property)', () => {
  /**
   * A server with fixed, clock-aligned windows, and a network that delivers requests and
   * responses in any order and after any delay. Once the gate knows the limit, no request it
   * lets through may be refused with a 429, and it never lets one through during a pause.
   */
  type Command =
    | { kind: 'dispatch' }
    | { kind: 'arrive'; pick: number }
    | { kind: 'respond'; pick: number }
    | { kind: 'advance'; ms: number };
  const command: fc.Arbitrary<Command> = fc.oneof(
    fc.constant({ kind: 'dispatch' as const }),
    fc.record({ kind: fc.constant('arrive' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('respond' as const), pick: fc.nat() }),
    fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 700 }) }),
  );

  it('never gets a 429 once it knows the limit, and never sends during a pause', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom(1_000, 2_000),
        fc.array(command, { minLength: 20, maxLength: 200 }),
        (limit, windowMs, commands) => {
          let t = T0;
          const gate = createRateGate({ clockMarginMs: 0, now: () => t });
          let window = -1;
          let count = 0;
          const onWire: { knewLimit: boolean }[] = [];
          const answers: { status: number; headers: Record<string, string>; knewLimit: boolean }[] = [];
          for (const c of commands) {
            if (c.kind === 'advance') t += c.ms;
            else if (c.kind === 'dispatch') {
              const pausedUntil = gate.state().pausedUntilMs;
              const knewLimit = gate.state().limit !== null;
              if (gate.tryAcquire() === 0) {
                expect(t).toBeGreaterThanOrEqual(pausedUntil);
                onWire.push({ knewLimit });
              }
            } else if (c.kind === 'arrive' && onWire.length > 0) {
              const [request] = onWire.splice(c.pick % onWire.length, 1);
              const w = Math.floor(t / windowMs);
              if (w !== window) {
                window = w;
                count = 0;
              }
              const resetMs = (w + 1) * windowMs;
              const headers = {
                'x-ratelimit-limit': String(limit),
                'x-ratelimit-reset': String(resetMs / 1_000),
                'x-ratelimit-remaining': '0',
              };
              if (count >= limit) {
                const retryAfter = String(Math.max(1, Math.ceil((resetMs - t) / 1_000)));
                answers.push({
                  status: 429,
                  headers: { ...headers, 'retry-after': retryAfter },
                  knewLimit: request!.knewLimit,
                });
              } else {
                count++;
                headers['x-ratelimit-remaining'] = String(limit - count);
                answers.push({ status: 200, headers, knewLimit: request!.knewLimit });
              }
            } else if (c.kind === 'respond' && answers.length > 0) {
              const [answer] = answers.splice(c.pick % answers.length, 1);
              if (answer!.status === 429) expect(answer!.knewLimit).toBe(false);
              gate.observe(answer!.status, answer!.headers, t);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
