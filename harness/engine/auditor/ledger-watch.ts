import type { AuditLedgerPage } from '../../../mock-server/core/types.js';

/**
 * A span in which the run could not see what the ledger recorded (the mock restarted, or
 * another reader released entries this run had not read), ms since epoch.
 */
export interface LedgerGap {
  fromMs: number;
  toMs: number;
  reason: string;
}

/** The reason of a gap left by another reader's compaction (one for all such gaps, so they merge). */
export const COMPACTED_BY_ANOTHER_READER =
  'another reader of this mock released ledger entries this run had not read (compaction)';

/**
 * Adds `gap` to `gaps` (in the order they were noticed), merged into the last one when it has
 * the same reason and the two spans touch: a run whose every read finds entries released by
 * another reader has one long gap, not one per read. Copies what it keeps.
 *
 * @example
 * addGap(gaps, { fromMs: 1_000, toMs: 2_000, reason }); addGap(gaps, { fromMs: 2_000, toMs: 3_000, reason });
 * gaps; // [{ fromMs: 1_000, toMs: 3_000, reason }]
 */
export function addGap(gaps: LedgerGap[], gap: LedgerGap): void {
  const last = gaps.at(-1);
  if (
    last !== undefined &&
    last.reason === gap.reason &&
    gap.fromMs <= last.toMs &&
    gap.toMs >= last.fromMs
  ) {
    last.fromMs = Math.min(last.fromMs, gap.fromMs);
    last.toMs = Math.max(last.toMs, gap.toMs);
  } else {
    gaps.push({ ...gap });
  }
}

/**
 * What the watch read over a run: the entries of every mock instance (only when it keeps
 * them: with `onPage` both lists are empty), what the ledger dropped, and the blind spans.
 */
export interface WatchedLedger {
  ledger: AuditLedgerPage;
  gaps: LedgerGap[];
}

/** How a page came to be read: when, and whether a gap was noticed by it. */
export interface LedgerPageInfo {
  /** When the read began, ms since epoch (`now()`): the page holds what the mock had by then. */
  readAtMs: number;
  /**
   * The gap noticed by this read: a restart (the page is then the new instance's, from its
   * start), or entries after the last read released by another reader before this one.
   */
  gap: LedgerGap | null;
}

/** Options of {@link watchLedger}. */
export interface LedgerWatchOptions {
  /** Reads the ledger after a seq (the target's `readLedger`). */
  read: (sinceSeq: number) => Promise<AuditLedgerPage>;
  /** Wall clock, ms since epoch (the ledger's time base). Default `Date.now`. */
  now?: () => number;
  /**
   * Hands each page read to the caller, in order, instead of keeping its entries: the watch
   * then holds nothing that grows with the run. Default: entries are kept, for `finish()`.
   */
  onPage?: (page: AuditLedgerPage, info: LedgerPageInfo) => void;
}

/**
 * Follows a mock's ledger through a run, so that a restart of the mock (another `instanceId`)
 * is noticed instead of making every earlier effect look lost. `start()` before the load,
 * `poll()` now and then (each read continues from the last seq), `finish()` at the end.
 * Entries of every instance are kept, or handed to `onPage` as they are read; the span between
 * the last read of the old instance and the first read of the new one is a gap: operations
 * overlapping it cannot be judged. So is the span between two reads when the second finds the
 * ledger released (`compactedThrough`) past the last seq this watch read: another reader
 * compacted entries this run never saw. (A mock without `compactedThrough` shows no such gap.)
 * Touching gaps of one reason merge. `dropped` counts what the ledger could not record during
 * the run (each instance's count since the watch first saw it, summed).
 *
 * @example
 * const watch = watchLedger({ read: target.readLedger, onPage: (page, { readAtMs }) => audit.addLedgerPage(page, readAtMs) });
 * await watch.start();
 * const timer = setInterval(() => void watch.poll(), 1_000);
 * const { ledger, gaps } = await watch.finish();
 */
export function watchLedger(options: LedgerWatchOptions) {
  const now = options.now ?? Date.now;
  const onPage = options.onPage;
  const requests: AuditLedgerPage['requests'] = [];
  const effects: AuditLedgerPage['effects'] = [];
  const gaps: LedgerGap[] = [];
  // A snapshot's `dropped` is its instance's running total: the run's share is the rise since
  // the first read of that instance, and earlier instances' shares are added up.
  let droppedBefore = 0;
  let droppedAtStart = 0;
  let droppedNow = 0;
  let instanceId: string | null = null;
  let cursor = 0;
  let lastReadAtMs = 0;
  let reading: Promise<void> = Promise.resolve();

  async function readOnce(): Promise<void> {
    const atMs = now();
    let snapshot = await options.read(cursor);
    let gap: LedgerGap | null = null;
    if (instanceId !== null && snapshot.instanceId !== instanceId) {
      gap = {
        fromMs: lastReadAtMs,
        toMs: atMs,
        reason: `the mock restarted during the run (instance ${instanceId} → ${snapshot.instanceId}); what it recorded between its last read and the restart is gone`,
      };
      addGap(gaps, gap);
      // A new instance's ledger starts afresh: read it from its beginning.
      if (cursor !== 0) snapshot = await options.read(0);
      droppedBefore += droppedNow - droppedAtStart;
      droppedAtStart = 0;
    } else if ((snapshot.compactedThrough ?? 0) > cursor) {
      // Entries after the last read were released before this one: they were recorded after
      // the last read began and before this read answered.
      gap = { fromMs: lastReadAtMs, toMs: now(), reason: COMPACTED_BY_ANOTHER_READER };
      addGap(gaps, gap);
    }
    instanceId = snapshot.instanceId;
    droppedNow = snapshot.dropped;
    cursor = snapshot.lastSeq;
    lastReadAtMs = atMs;
    if (onPage !== undefined) onPage(snapshot, { readAtMs: atMs, gap });
    else {
      requests.push(...snapshot.requests);
      effects.push(...snapshot.effects);
    }
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
      droppedAtStart = snapshot.dropped;
      droppedNow = snapshot.dropped;
      lastReadAtMs = now();
    },
    /** Reads what is new since the last read (and notices a restart). */
    poll: enqueue,
    /** The highest seq read so far: entries up to it have been kept or handed to `onPage`. */
    cursor: () => cursor,
    /** The last read; resolves with every entry of the run (none with `onPage`), the dropped count and the gaps. */
    async finish(): Promise<WatchedLedger> {
      await enqueue();
      return {
        ledger: {
          requests,
          effects,
          dropped: droppedBefore + droppedNow - droppedAtStart,
          lastSeq: cursor,
          instanceId: instanceId ?? '',
        },
        gaps,
      };
    },
  };
}
