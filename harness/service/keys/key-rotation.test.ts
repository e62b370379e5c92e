import { describe, expect, it } from 'vitest';
import type { NexusClient } from '../../client/api.js';
import { NexusApiError } from '../../client/errors.js';
import { keyFingerprint } from '../../client/options.js';
import { createKeyRotation, type KeyRotationOptions } from './key-rotation.js';

const OLD = 'nx-old-key-11aa';
const NEW = 'nx-new-key-22bb';
const THIRD = 'nx-third-key-33cc';

/** A client that records its key and whether it was closed; getSession answers as `answer` says. */
interface FakeClient extends NexusClient {
  key: string;
  closed: boolean;
}

function fakeClient(key: string, answer: (key: string) => Promise<never>): FakeClient {
  const client = {
    key,
    closed: false,
    getSession: () => answer(key),
    close: async () => {
      client.closed = true;
    },
  };
  return client as unknown as FakeClient;
}

/** The API's answers: a known key gets 404 for an unknown id, any other key 401. */
const api =
  (accepted: readonly string[]) =>
  (key: string): Promise<never> =>
    Promise.reject(
      accepted.includes(key)
        ? new NexusApiError('GET /thread/{id}', 404, { statusCode: 404, message: 'Thread not found' })
        : new NexusApiError('GET /thread/{id}', 401, { statusCode: 401, message: 'Invalid API key' }),
    );

/** Timers run by hand: `fire()` runs the due ones. */
function manualTimers() {
  let now = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  let next = 1;
  return {
    pending,
    setTimeout(fn: () => void, ms: number) {
      pending.set(next, { at: now + ms, fn });
      return next++;
    },
    clearTimeout(handle: unknown) {
      pending.delete(handle as number);
    },
    advance(ms: number) {
      now += ms;
      for (const [id, t] of [...pending]) {
        if (t.at <= now) {
          pending.delete(id);
          t.fn();
        }
      }
    },
  };
}

function setup(overrides: Partial<KeyRotationOptions> = {}, accepted = [OLD, NEW, THIRD]) {
  const clients: FakeClient[] = [];
  const logs: { level: string; fields: Record<string, unknown>; message: string }[] = [];
  const at = (level: string) => (fields: Record<string, unknown>, message: string) =>
    logs.push({ level, fields, message });
  const timers = manualTimers();
  const keys = createKeyRotation({
    apiKey: OLD,
    makeClient: (key) => {
      const c = fakeClient(key, api(accepted));
      clients.push(c);
      return c;
    },
    graceMs: 1_000,
    logger: { info: at('info'), warn: at('warn'), error: at('error') },
    timers,
    ...overrides,
  });
  return { keys, clients, logs, timers };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('createKeyRotation', () => {
  it('a good key: new calls get it at once, the old client retires after the grace period', async () => {
    const { keys, clients, timers } = setup();
    const before = keys.current() as FakeClient;
    expect(before.key).toBe(OLD);
    expect(await keys.rotate(NEW)).toEqual({ ok: true, fingerprint: keyFingerprint(NEW) });
    expect((keys.current() as FakeClient).key).toBe(NEW);
    expect(keys.fingerprints()).toEqual({ active: keyFingerprint(NEW), retiring: [keyFingerprint(OLD)] });
    expect(before.closed).toBe(false); // calls still on it finish there
    timers.advance(999);
    expect(before.closed).toBe(false);
    timers.advance(1);
    await settle();
    expect(before.closed).toBe(true);
    expect(keys.fingerprints().retiring).toEqual([]);
    expect(clients.map((c) => c.key)).toEqual([OLD, NEW]);
  });

  it('a refused key: the old key stays, the candidate is closed, the reason is logged without a key', async () => {
    const { keys, clients, logs } = setup({}, [OLD]);
    const result = await keys.rotate(NEW);
    expect(result).toEqual({ ok: false, reason: 'the API refused the key (401)' });
    expect((keys.current() as FakeClient).key).toBe(OLD);
    expect(keys.fingerprints()).toEqual({ active: keyFingerprint(OLD), retiring: [] });
    await settle();
    expect(clients[1]!.closed).toBe(true);
    const warn = logs.find((l) => l.level === 'warn')!;
    expect(warn.fields).toMatchObject({
      keyFingerprint: keyFingerprint(NEW),
      reason: result.ok ? '' : result.reason,
    });
    expect(JSON.stringify(logs)).not.toContain(NEW);
    expect(JSON.stringify(logs)).not.toContain(OLD);
  });

  it('a probe that cannot tell (5xx, network) refuses too; an error quoting the key is redacted', async () => {
    const { keys, logs } = setup({
      probe: async (client) => {
        throw new Error(`upstream 503 for key ${(client as FakeClient).key}`);
      },
    });
    const result = await keys.rotate(NEW);
    expect(result).toEqual({ ok: false, reason: 'upstream 503 for key [REDACTED]' });
    expect(JSON.stringify(logs)).not.toContain(NEW);
  });

  it('the reason never carries a key in any form: URL-encoded, JSON-escaped, the old key too', async () => {
    const odd = 'nx+new/key="22bb"';
    const { keys, logs } = setup({
      probe: async () => {
        throw new Error(
          `GET /thread?key=${encodeURIComponent(odd)} failed; body ${JSON.stringify({ odd, old: OLD })}`,
        );
      },
    });
    const result = await keys.rotate(odd);
    expect(result.ok).toBe(false);
    const text = JSON.stringify([result, logs]);
    for (const leak of [odd, encodeURIComponent(odd), JSON.stringify(odd).slice(1, -1), OLD])
      expect(text).not.toContain(leak);
  });

  it('a probe that stalls is refused after probeTimeoutMs and its signal aborted; the queue moves on', async () => {
    let seen: AbortSignal | undefined;
    const { keys, timers, clients } = setup({
      probeTimeoutMs: 500,
      probe: (client, signal) => {
        if ((client as FakeClient).key !== NEW) return Promise.resolve();
        seen = signal;
        return new Promise<void>(() => {}); // never settles
      },
    });
    const stalled = keys.rotate(NEW);
    const next = keys.rotate(THIRD);
    await settle();
    timers.advance(500);
    expect(await stalled).toEqual({ ok: false, reason: 'the probe did not finish within 500 ms' });
    expect(seen?.aborted).toBe(true);
    expect(await next).toMatchObject({ ok: true });
    expect((keys.current() as FakeClient).key).toBe(THIRD);
    await settle();
    expect(clients[1]!.closed).toBe(true);
  });

  it('concurrent rotations run one at a time, in call order', async () => {
    const order: string[] = [];
    let releaseFirst!: () => void;
    const firstGate = new Promise<void>((resolve) => (releaseFirst = resolve));
    const { keys, timers } = setup({
      probe: async (client) => {
        const key = (client as FakeClient).key;
        order.push(`start ${key}`);
        if (key === NEW) await firstGate;
        order.push(`end ${key}`);
      },
    });
    const a = keys.rotate(NEW);
    const b = keys.rotate(THIRD);
    await settle();
    expect(order).toEqual([`start ${NEW}`]); // the second waits for the first
    releaseFirst();
    expect(await a).toMatchObject({ ok: true });
    expect(await b).toMatchObject({ ok: true });
    expect(order).toEqual([`start ${NEW}`, `end ${NEW}`, `start ${THIRD}`, `end ${THIRD}`]);
    expect((keys.current() as FakeClient).key).toBe(THIRD);
    expect(keys.fingerprints().retiring).toEqual([keyFingerprint(OLD), keyFingerprint(NEW)]);
    expect(timers.pending.size).toBe(2);
  });

  it('the same key again is a no-op; an empty key is refused', async () => {
    const { keys, clients } = setup();
    expect(await keys.rotate(OLD)).toEqual({ ok: true, fingerprint: keyFingerprint(OLD) });
    expect(await keys.rotate('  ')).toEqual({ ok: false, reason: 'the new key is empty' });
    expect(clients).toHaveLength(1);
  });

  it('close(): clears the grace timers, closes every client, refuses later rotations', async () => {
    const { keys, clients, timers } = setup();
    await keys.rotate(NEW);
    await keys.rotate(THIRD);
    expect(timers.pending.size).toBe(2);
    await keys.close();
    expect(timers.pending.size).toBe(0);
    expect(clients.map((c) => c.closed)).toEqual([true, true, true]);
    expect(await keys.rotate(OLD)).toEqual({ ok: false, reason: 'the key rotation is closed' });
    await keys.close(); // twice is fine
  });

  it('close() during a probe: the candidate is closed too, and not made active', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { keys, clients } = setup({ probe: () => gate });
    const rotation = keys.rotate(NEW);
    await settle();
    const closing = keys.close();
    release();
    expect(await rotation).toMatchObject({ ok: false });
    await closing;
    expect(clients.map((c) => [c.key, c.closed])).toEqual([
      [OLD, true],
      [NEW, true],
    ]);
    expect(keys.fingerprints().active).toBe(keyFingerprint(OLD));
  });

  it('a retiring client whose close() fails is logged, not thrown', async () => {
    const { keys, clients, logs, timers } = setup();
    await keys.rotate(NEW);
    (clients[0] as { close: () => Promise<void> }).close = () =>
      Promise.reject(new Error(`socket error ${OLD}`));
    timers.advance(1_000);
    await settle();
    const error = logs.find((l) => l.level === 'error')!;
    expect(error.fields).toMatchObject({
      keyFingerprint: keyFingerprint(OLD),
      err: { message: 'socket error [REDACTED]' },
    });
  });

  it('a logger that throws after the swap: the rotation still reports what happened (ok, the new key)', async () => {
    const { keys } = setup({
      logger: {
        info: () => {
          throw new Error('log sink down');
        },
        warn: () => {},
        error: () => {},
      },
    });
    expect(await keys.rotate(NEW)).toEqual({ ok: true, fingerprint: keyFingerprint(NEW) });
    expect((keys.current() as FakeClient).key).toBe(NEW);
  });

  it('close() during a probe that ignores its signal: close does not wait out probeTimeoutMs', async () => {
    let seen: AbortSignal | undefined;
    const { keys, clients, timers } = setup({
      probeTimeoutMs: 60_000,
      probe: (_client, signal) => {
        seen = signal;
        return new Promise<void>(() => {}); // never settles, whatever the signal says
      },
    });
    const rotation = keys.rotate(NEW);
    await settle();
    const closed = keys.close().then(() => 'closed');
    const outcome = await Promise.race([
      closed,
      settle()
        .then(settle)
        .then(() => 'still waiting'),
    ]);
    expect(outcome).toBe('closed');
    expect(seen?.aborted).toBe(true);
    expect(await rotation).toMatchObject({ ok: false });
    expect(clients.map((c) => c.closed)).toEqual([true, true]);
    expect(timers.pending.size).toBe(0);
  });

  it('many rotations within one grace period: every old client closes, no timer is left', async () => {
    const many = ['k-one-aaaa', 'k-two-bbbb', 'k-three-cc', 'k-four-ddd', 'k-five-eee'];
    const { keys, clients, timers } = setup({}, [OLD, ...many]);
    for (const key of many) expect(await keys.rotate(key)).toMatchObject({ ok: true });
    expect(keys.fingerprints().retiring).toHaveLength(5);
    timers.advance(1_000);
    await settle();
    expect(clients.map((c) => c.closed)).toEqual([true, true, true, true, true, false]);
    expect(keys.fingerprints()).toEqual({ active: keyFingerprint('k-five-eee'), retiring: [] });
    expect(timers.pending.size).toBe(0);
  });

  it('close() called twice at once: the second resolves only when every client has closed', async () => {
    const { keys, clients } = setup({
      probe: (client) =>
        (client as FakeClient).key === NEW ? Promise.resolve() : new Promise<void>(() => {}),
    });
    expect(await keys.rotate(NEW)).toMatchObject({ ok: true });
    const rotation = keys.rotate(THIRD); // a probe under way: the first close() waits for it
    await settle();
    const first = keys.close();
    await keys.close();
    expect(clients.map((c) => [c.key, c.closed])).toEqual([
      [OLD, true],
      [NEW, true],
      [THIRD, true],
    ]);
    await first;
    expect(await rotation).toMatchObject({ ok: false });
  });
});
