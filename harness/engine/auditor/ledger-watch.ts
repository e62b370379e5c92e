import type { LedgerSnapshot } from '../../../mock-server/core/types.js';

/** A span in which the ledger could not see what happened (the mock restarted), ms since epoch. */
export interface LedgerGap {
  fromMs: number;
  toMs: number;
  reason: string;
}

/** What the watch read over a run: the entries of every mock instance, and the blind spans. */
export interface WatchedLedger {
  ledger: LedgerSnapshot;
  gaps: LedgerGap[];
}

/** Options of {@link watchLedger}. */
export interface LedgerWatchOptions {
  /** Reads the ledger after a seq (the target's `readLedger`). */
  read: (sinceSeq: number) => Promise<LedgerSnapshot>;
  /** Wall clock, ms since epoch (the ledger's time base). Default `Date.now`. */
  now?: () => number;
}

/**
 * Follows a mock's ledger through a run, so that a restart of the mock (another `instanceId`)
 * is noticed instead of making every earlier effect look lost. `start()` before the load,
 * `poll()` now and then (each read continues from the last seq), `finish()` at the end.
 * Entries of every instance are kept; the span between the last read of the old instance and
 * the first read of the new one is a gap: operations overlapping it cannot be judged.
 *
 * @example
 * const watch = watchLedger({ read: target.readLedger });
 * await watch.start();
 * const timer = setInterval(() => void watch.poll(), 1_000);
 * const { ledger, gaps } = await watch.finish();
 */
export function watchLedger(options: LedgerWatchOptions) {
  const now = options.now ?? Date.now;
  const requests: LedgerSnapshot['requests'] = [];
  const effects: LedgerSnapshot['effects'] = [];
  const gaps: LedgerGap[] = [];
  let dropped = 0;
  let instanceId: string | null = null;
  let cursor = 0;
  let lastReadAtMs = 0;
  let reading: Promise<void> = Promise.resolve();

  async function readOnce(): Promise<void> {
    const atMs = now();
    let snapshot = await options.read(cursor);
    if (instanceId !== null && snapshot.instanceId !== instanceId) {
      gaps.push({
        fromMs: lastReadAtMs,
        toMs: atMs,
        reason: `the mock restarted during the run (instance ${instanceId} → ${snapshot.instanceId}); what it recorded between its last read and the restart is gone`,
      });
      // A new instance's ledger starts afresh: read it from its beginning.
      if (cursor !== 0) snapshot = await options.read(0);
    }
    instanceId = snapshot.instanceId;
    requests.push(...snapshot.requests);
    effects.push(...snapshot.effects);
    dropped += snapshot.dropped;
    cursor = snapshot.lastSeq;
    lastReadAtMs = atMs;
  }

  /** Reads in turn: a poll never overlaps another read. Errors are the caller's to handle. */
  function enqueue(): Promise<void> {
    const next = reading.then(readOnce);
    reading = next.catch(() => {});
    return next;
  }

  return {
    /** Reads where the ledger stands now: entries before this are not the run's. */
    async start(): Promise<void> {
      const snapshot = await options.read(Number.MAX_SAFE_INTEGER);
      instanceId = snapshot.instanceId;
      cursor = snapshot.lastSeq;
      lastReadAtMs = now();
    },
    /** Reads what is new since the last read (and notices a restart). */
    poll: enqueue,
    /** The last read; resolves with every entry of the run and the gaps. */
    async finish(): Promise<WatchedLedger> {
      await enqueue();
      return {
        ledger: { requests, effects, dropped, lastSeq: cursor, instanceId: instanceId ?? '' },
        gaps,
      };
    },
  };
}
