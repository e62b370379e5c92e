import { randomUUID } from 'node:crypto';
import type { NexusClient } from '../../client/api.js';
import { isNexusApiError, redactSecret } from '../../client/errors.js';
import { keyFingerprint } from '../../client/options.js';
import type { ClientTimers } from '../../client/timers.js';
import { realTimers } from '../../client/timers.js';
import { createRedactor } from '../../util/redact.js';
import { tokensEqual } from '../../util/token-compare.js';
import type { ServiceLog } from '../logging/logger.js';
import type { ClientSource } from '../types.js';

/**
 * API key rotation without a failed request. A new key is tried against the API before any
 * call uses it; then new calls get a client with the new key while calls in flight finish on
 * the client they started on, and the old client is closed after a grace period (its `close()`
 * waits for what it still carries). The guide's version fired a bare `setTimeout` for an hour
 * (holding the process open, never cancelled, its failure unseen) and swapped keys under
 * concurrent rotations; here the grace timer is tracked, unref'd and cleared on `close()`, and
 * rotations run one at a time.
 */

/** What {@link KeyRotation.rotate} resolves with. Never rejects. */
export type RotationResult = { ok: true; fingerprint: string } | { ok: false; reason: string };

/** Options of {@link createKeyRotation}. */
export interface KeyRotationOptions {
  /** The key in use at start. */
  apiKey: string;
  /** Makes the client for a key (same options for every key, usually). */
  makeClient(apiKey: string): NexusClient;
  /**
   * Proves a new key works before it is used; rejects to refuse it. `signal` aborts when
   * `probeTimeoutMs` is over (the probe is refused then, whether it stops or not). Default
   * {@link probeByUnknownSession}: a 404 for a random session id proves the key is accepted.
   */
  probe?(client: NexusClient, signal: AbortSignal): Promise<void>;
  /**
   * Longest a probe may take, ms; after it the key is refused. Default 10 000. (The client's own
   * bounds are looser: a rate-limited probe could wait out minutes of resets.)
   */
  probeTimeoutMs?: number;
  /** How long an old client keeps serving the calls already on it before it is closed, ms. */
  graceMs: number;
  logger: Pick<ServiceLog, 'info' | 'warn' | 'error'>;
  /** Timers for the grace period. Default the real ones (unref'd). */
  timers?: Pick<ClientTimers, 'setTimeout' | 'clearTimeout'>;
}

/** A {@link ClientSource} whose key can be rotated. */
export interface KeyRotation extends ClientSource {
  /**
   * Tries `newKey`, and on success makes it the one new calls use; the old client retires
   * after `graceMs`. On failure the old key stays and the reason is logged (no key in it).
   * Concurrent calls run one after the other, in call order.
   */
  rotate(newKey: string): Promise<RotationResult>;
  /** Fingerprints (first 16 hex digits of SHA-256, as `keyFingerprint`) of the key in use and of those retiring. */
  fingerprints(): { active: string; retiring: string[] };
  /**
   * Retires every client now (each `close()` awaited: calls in flight finish); a probe under way
   * is aborted (its rotation refused); rotations after it fail.
   */
  close(): Promise<void>;
}

/**
 * The default probe: `GET /thread/{random id}`. The API answers 404 to a key it accepts (no
 * such session) and 401 to one it does not; anything else (a 5xx, a timeout) proves nothing,
 * so the key is refused for now.
 *
 * @example
 * createKeyRotation({ apiKey, makeClient, probe: probeByUnknownSession, graceMs: 30_000, logger });
 */
export async function probeByUnknownSession(client: NexusClient, signal?: AbortSignal): Promise<void> {
  try {
    await client.getSession(randomUUID(), { opId: 'key-rotation-probe', signal });
  } catch (err) {
    if (isNexusApiError(err) && err.status === 404) return;
    if (isNexusApiError(err) && err.status === 401) throw new Error('the API refused the key (401)');
    throw new Error(`the key could not be checked: ${(err as Error)?.message ?? String(err)}`);
  }
}

interface Held {
  key: string;
  client: NexusClient;
  fingerprint: string;
}

interface Retiring extends Held {
  timer: unknown;
  /** Set when its retirement began; settles when its client has closed. */
  closed?: Promise<void>;
}

/**
 * `text` without `keys`: as written (any length), then URL-encoded and JSON-escaped (see
 * `createRedactor`). A reason goes back to the caller (the admin route's answer) as well as to
 * the log, so it cannot lean on the logger's scrubbing.
 */
function withoutKeys(text: string, ...keys: string[]): string {
  const plain = keys.reduce((out, key) => redactSecret(out, key), text);
  return createRedactor(keys).redact(plain);
}

/** Calls `unref()` on a timer handle that has one (Node's), so a grace period never holds the process open. */
function unref(handle: unknown): void {
  (handle as { unref?: () => void } | null)?.unref?.();
}

/**
 * Creates a key rotation over `makeClient`. Call `current()` for each call (not once): that is
 * what lets a rotation move new calls to the new key.
 *
 * @example
 * const keys = createKeyRotation({
 *   apiKey: config.nexus.apiKey,
 *   makeClient: (apiKey) => createNexusClient({ apiKey, baseUrl: config.nexus.baseUrl }),
 *   graceMs: 30_000,
 *   logger: log,
 * });
 * await keys.current().createSession('hello');
 * const result = await keys.rotate(newKey); // { ok: true, fingerprint } or { ok: false, reason }
 * await keys.close();
 */
export function createKeyRotation(options: KeyRotationOptions): KeyRotation {
  const { makeClient, graceMs, logger } = options;
  const probe = options.probe ?? probeByUnknownSession;
  const timers = options.timers ?? realTimers;
  const probeTimeoutMs = options.probeTimeoutMs ?? 10_000;
  let active: Held = {
    key: options.apiKey,
    client: makeClient(options.apiKey),
    fingerprint: keyFingerprint(options.apiKey),
  };
  const retiring = new Set<Retiring>();
  const closing = new Set<Promise<void>>();
  let closed = false;
  let closeAll: Promise<void> | undefined;
  // The probe under way, aborted by close(): a stalled probe must not hold close() for probeTimeoutMs.
  let probing: AbortController | undefined;
  // Rotations queue on this chain; it never rejects.
  let chain: Promise<unknown> = Promise.resolve();

  const closeClient = (held: Held, why: string): Promise<void> => {
    let done = held.client.close().then(
      () => logger.info({ keyFingerprint: held.fingerprint, why }, 'Closed the client of an API key'),
      (err: unknown) =>
        logger.error(
          {
            keyFingerprint: held.fingerprint,
            why,
            err: { message: withoutKeys(String((err as Error)?.message ?? err), held.key) },
          },
          'Failed to close the client of an API key',
        ),
    );
    // A throwing logger must not turn a grace timer's retirement into an unhandled rejection.
    done = done.catch(() => {});
    closing.add(done);
    void done.finally(() => closing.delete(done));
    return done;
  };

  // An entry stays listed (fingerprints().retiring) until its client has closed, i.e. until
  // the calls still on it have finished: only then is the old key really out of use.
  const retire = (entry: Retiring, why: string): Promise<void> => {
    if (entry.closed !== undefined) return entry.closed;
    timers.clearTimeout(entry.timer);
    entry.closed = closeClient(entry, why).finally(() => retiring.delete(entry));
    return entry.closed;
  };

  /** The probe, refused when it takes longer than `probeTimeoutMs` (a stalled one must not hold the queue). */
  const probeWithin = (client: NexusClient): Promise<void> => {
    const abort = new AbortController();
    probing = abort;
    let timer: unknown;
    // Settles when the signal aborts: at the timeout, or when close() runs.
    const expired = new Promise<never>((_, reject) => {
      abort.signal.addEventListener('abort', () => reject(abort.signal.reason), { once: true });
      timer = timers.setTimeout(
        () => abort.abort(new Error(`the probe did not finish within ${probeTimeoutMs} ms`)),
        probeTimeoutMs,
      );
      unref(timer);
    });
    // Through then(): a probe that throws at once still clears the timer.
    const probed = Promise.resolve().then(() => probe(client, abort.signal));
    return Promise.race([probed, expired]).finally(() => {
      timers.clearTimeout(timer);
      if (probing === abort) probing = undefined;
    });
  };

  /** Logs, never throws: a broken log sink must not turn a done rotation into a reported failure. */
  const log = (level: 'info' | 'warn', fields: Record<string, unknown>, message: string): void => {
    try {
      logger[level](fields, message);
    } catch {
      // Nothing to do: the outcome is in what rotate() resolves with.
    }
  };

  const refuse = (reason: string, fingerprint: string): RotationResult => {
    log(
      'warn',
      { keyFingerprint: fingerprint, activeFingerprint: active.fingerprint, reason },
      'API key rotation failed; the old key stays in use',
    );
    return { ok: false, reason };
  };

  const tryRotate = async (newKey: string): Promise<RotationResult> => {
    if (closed) return { ok: false, reason: 'the key rotation is closed' };
    if (typeof newKey !== 'string' || newKey.trim() === '') return refuse('the new key is empty', '-');
    const fingerprint = keyFingerprint(newKey);
    if (tokensEqual(newKey, active.key)) return { ok: true, fingerprint };
    const candidate: Held = { key: newKey, client: makeClient(newKey), fingerprint };
    try {
      await probeWithin(candidate.client);
    } catch (err) {
      void closeClient(candidate, 'refused');
      const message = String((err as Error)?.message ?? err);
      return refuse(withoutKeys(message, newKey, active.key), fingerprint);
    }
    if (closed) {
      // close() ran while the probe was out: it did not see this client, so close it here.
      void closeClient(candidate, 'closed during rotation');
      return { ok: false, reason: 'the key rotation was closed during the rotation' };
    }
    const old = active;
    active = candidate;
    const entry: Retiring = { ...old, timer: undefined };
    entry.timer = timers.setTimeout(() => void retire(entry, 'grace period over'), graceMs);
    unref(entry.timer);
    retiring.add(entry);
    log(
      'info',
      { from: old.fingerprint, to: fingerprint, graceMs },
      'Rotated the API key; the old one retires after the grace period',
    );
    return { ok: true, fingerprint };
  };

  return {
    current: () => active.client,
    rotate(newKey) {
      const result = chain.then(() => tryRotate(newKey));
      chain = result.catch(() => undefined);
      // A throwing makeClient or logger must not reject the caller's promise.
      return result.catch(
        (err: unknown) =>
          ({
            ok: false,
            reason: withoutKeys(String((err as Error)?.message ?? err), newKey, active.key),
          }) as RotationResult,
      );
    },
    fingerprints: () => ({ active: active.fingerprint, retiring: [...retiring].map((r) => r.fingerprint) }),
    close() {
      // One close for every caller: a second call made while the first still waits for a
      // rotation under way must not resolve before the clients have closed.
      closeAll ??= (async () => {
        closed = true;
        probing?.abort(new Error('the key rotation was closed during the probe'));
        await chain; // a rotation under way settles first, so its client is not missed
        await Promise.all([
          ...[...retiring].map((r) => retire(r, 'closed')),
          closeClient(active, 'closed'),
          ...closing,
        ]);
      })();
      return closeAll;
    },
  };
}
