/**
 * Memory over a long run, cold: a fresh CLI process (`node dist/cli/main.js run …
 * --target url`) at 1,000 iterations/s of `{ sendMessage: 1, getSession: 1 }` on per-VU
 * sessions, for SOAK_MINUTES minutes (default 10), against the mock in its own process
 * (limits off). The url target reads the mock's ledger over its admin API, so the run is
 * audited.
 *
 * Every 10 s it reads VmRSS of the harness and of the mock from /proc/PID/status and prints a
 * line to stderr. It reports each one's RSS growth from minute 2 (warm, pools and VUs
 * allocated) to the end of the load, goal < 30 MB each over minutes 2–10. The growth is the
 * rise of a least-squares line through the samples of that span (the end-minus-start
 * difference is printed too; the GC's sawtooth moves a single sample by tens of MB). A shorter
 * run is measured from half-way, or minute 2 if that comes first, and judged on its slope × 8
 * minutes. It also reports whether the audit was complete with no duplicates and nothing lost.
 *
 * Not in the default set (10 minutes): `npm run bench -- soak-memory`, or
 * `SOAK_MINUTES=3 npm run bench -- soak-memory` for a quick try.
 *
 * The mock's memory is bounded: the run compacts its ledger as it reads it, and each thread
 * keeps its newest `retention.maxMessagesPerThread` messages (1,000). It still grows while
 * threads fill up, about 170 KB each, so a soak whose VU count grows (a stall adding VUs) grows
 * with it. The bench prints the ledger's entries over the run to put growth against them.
 */
import { check, fixed } from './lib/acceptance.js';
import { ensureBuilt } from './lib/build.js';
import { startCliMock } from './lib/cli-mock.js';
import { runCliScenario } from './lib/cli-run.js';
import { openScenario } from './lib/cold-scenarios.js';
import { processRssKb } from './lib/process-rss.js';
import { counterTotal } from './lib/result-figures.js';
import type { Bench, BenchResult } from './lib/types.js';

const RATE = 1_000;
const DEFAULT_MINUTES = 10;
const MAX_MINUTES = 120;
const SAMPLE_INTERVAL_MS = 10_000;
/** The growth is judged from here (minute 2), or from half-way through a shorter run. */
const FROM_MINUTE = 2;
const JUDGED_MINUTES = 8; // minutes 2 to 10
const GROWTH_GOAL_MB = 30;
/** Samples up to this long past loadSec (since the spawn) still count as in the load, s. */
const LOAD_END_SLACK_SEC = 2;
/** Past the load: 5 s graceful stop, the final ledger read, start-up; then it is a hang. */
const RUN_SLACK_MS = 180_000;

interface RssSample {
  /** Seconds since the CLI was spawned. */
  tSec: number;
  harnessKb: number | null;
  mockKb: number | null;
  /** The mock's ledger `lastSeq` at about the same time; null if it could not be read. */
  ledgerSeq: number | null;
}

/** The parts of result.json's `audit` read here (the result types leave it `unknown`). */
interface AuditFigures {
  complete: boolean;
  incomplete: string[];
  duplicates: { count: number };
  lost: { count: number };
}

/** The audit's figures, or null when the run has none or they are not shaped as expected. */
function auditFigures(value: unknown): AuditFigures | null {
  const a = value as Partial<AuditFigures> | null | undefined;
  if (!a || typeof a.complete !== 'boolean') return null;
  if (typeof a.duplicates?.count !== 'number' || typeof a.lost?.count !== 'number') return null;
  return { complete: a.complete, incomplete: a.incomplete ?? [], duplicates: a.duplicates, lost: a.lost };
}

function soakMinutes(): number {
  const raw = process.env.SOAK_MINUTES;
  if (raw === undefined || raw === '') return DEFAULT_MINUTES;
  const minutes = Number(raw);
  if (!(minutes > 0 && minutes <= MAX_MINUTES)) {
    throw new RangeError(
      `Invalid SOAK_MINUTES '${raw}': need a number of minutes, 0 < m ≤ ${MAX_MINUTES}. Unset it for ${DEFAULT_MINUTES}.`,
    );
  }
  return minutes;
}

/** The mock's ledger `lastSeq` (nothing else is fetched: `since` is past every entry). */
async function ledgerLastSeq(origin: string): Promise<number> {
  const res = await fetch(`${origin}/__admin/ledger?since=${Number.MAX_SAFE_INTEGER}`);
  if (!res.ok) throw new Error(`Failed to read the mock's ledger: HTTP ${res.status}.`);
  return ((await res.json()) as { lastSeq: number }).lastSeq;
}

const mb = (kb: number | null) => (kb === null ? Number.NaN : kb / 1_024);

/** One process's RSS growth over the span, MB: end sample − start sample, and the fitted trend. */
interface Growth {
  /** Last sample − first sample: what was asked, but one GC cycle can move it by tens of MB. */
  pointMb: number;
  /** The least-squares line's rise over the span: robust to the GC sawtooth. */
  fittedMb: number;
  /** The line's slope, MB per minute. */
  perMinuteMb: number;
}

/** Growth of `pick` over `span` (samples in time order, at least two). */
function growth(span: readonly RssSample[], pick: (s: RssSample) => number | null): Growth {
  const points = span.filter((s) => pick(s) !== null).map((s) => ({ t: s.tSec, y: mb(pick(s)) }));
  const first = points[0];
  const last = points.at(-1);
  if (!first || !last || points.length < 2)
    return { pointMb: Number.NaN, fittedMb: Number.NaN, perMinuteMb: Number.NaN };
  const tMean = points.reduce((sum, p) => sum + p.t, 0) / points.length;
  const yMean = points.reduce((sum, p) => sum + p.y, 0) / points.length;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.t - tMean) * (p.y - yMean);
    den += (p.t - tMean) ** 2;
  }
  const perSec = den > 0 ? num / den : Number.NaN;
  return { pointMb: last.y - first.y, fittedMb: perSec * (last.t - first.t), perMinuteMb: perSec * 60 };
}

const bench: Bench = {
  name: 'soak-memory',
  description: `fresh CLI at ${RATE}/s of sendMessage+getSession for SOAK_MINUTES (default ${DEFAULT_MINUTES}) min, audited; harness and mock RSS growth`,
  defaultSet: false,
  async run(): Promise<BenchResult[]> {
    const minutes = soakMinutes();
    const loadSec = minutes * 60;
    const fromSec = Math.min(FROM_MINUTE * 60, loadSec / 2);
    process.stderr.write(`  ${await ensureBuilt()}\n`);
    process.stderr.write(`  ${minutes} min at ${RATE}/s; RSS every ${SAMPLE_INTERVAL_MS / 1_000} s\n`);
    const mock = await startCliMock();
    const samples: RssSample[] = [];
    let timer: NodeJS.Timeout | undefined;
    try {
      const seqBefore = await ledgerLastSeq(mock.origin);
      let spawnedAt = 0;
      const run = await runCliScenario({
        scenario: openScenario('soak-memory', RATE, loadSec * 1_000, { sendMessage: 1, getSession: 1 }),
        baseUrl: mock.baseUrl,
        timeoutMs: loadSec * 1_000 + RUN_SLACK_MS,
        onSpawn: (pid) => {
          spawnedAt = performance.now();
          timer = setInterval(() => {
            const sample: RssSample = {
              tSec: (performance.now() - spawnedAt) / 1_000,
              harnessKb: processRssKb(pid),
              mockKb: processRssKb(mock.pid),
              ledgerSeq: null,
            };
            samples.push(sample);
            process.stderr.write(
              `  t=${sample.tSec.toFixed(0).padStart(4)} s  harness ${fixed(mb(sample.harnessKb), 1).padStart(6)} MB` +
                `  mock ${fixed(mb(sample.mockKb), 1).padStart(6)} MB\n`,
            );
            // Filled in when the answer comes (a few ms); a failed read leaves it null.
            ledgerLastSeq(mock.origin).then(
              (seq) => {
                sample.ledgerSeq = seq;
              },
              () => {},
            );
          }, SAMPLE_INTERVAL_MS);
        },
      });
      clearInterval(timer);
      const seqAfter = await ledgerLastSeq(mock.origin);

      // Samples while the CLI was alive and the load ran: the load starts after the CLI's
      // start-up (under a second here), so it ends a little after loadSec.
      const live = samples.filter((s) => s.harnessKb !== null && s.tSec <= loadSec + LOAD_END_SLACK_SEC);
      const span = live.filter((s) => s.tSec >= fromSec);
      const first = span[0];
      const last = span.at(-1);
      const harness = growth(span, (s) => s.harnessKb);
      const mockGrowth = growth(span, (s) => s.mockKb);
      const full = minutes >= FROM_MINUTE + JUDGED_MINUTES;
      // A 10-minute run is judged on its fitted rise over minutes 2–10; a shorter one on its slope × 8.
      const judged = (g: Growth) => (full ? g.fittedMb : g.perMinuteMb * JUDGED_MINUTES);
      const judgedOn = full ? 'fitted trend' : `projected: slope × ${JUDGED_MINUTES} min`;
      const spanEntries =
        first?.ledgerSeq != null && last?.ledgerSeq != null ? last.ledgerSeq - first.ledgerSeq : null;
      const describe = (g: Growth) =>
        `${fixed(g.fittedMb, 1)} MB fitted (${fixed(g.perMinuteMb, 2)} MB/min), ${fixed(g.pointMb, 1)} MB end − start`;
      process.stderr.write(
        `  growth over ${first && last ? `t=${first.tSec.toFixed(0)} s → t=${last.tSec.toFixed(0)} s (${span.length} samples)` : 'no samples'}: ` +
          `harness ${describe(harness)}; mock ${describe(mockGrowth)}\n` +
          `  harness peak RSS ${(run.cpu.maxRssKb / 1_024).toFixed(1)} MB; mock ledger +${seqAfter - seqBefore} entries in all` +
          (spanEntries === null || spanEntries <= 0
            ? '\n'
            : `, +${spanEntries} over the span: ${fixed((mockGrowth.fittedMb * 1_048_576) / spanEntries, 0)} B of mock growth per entry\n`),
      );
      for (const [label, g] of [
        ['harness', harness],
        ['mock', mockGrowth],
      ] as const) {
        const value = judged(g);
        check(
          `${label} RSS growth, minutes 2–10`,
          value < GROWTH_GOAL_MB,
          `${fixed(value, 1)} MB (${judgedOn}; goal < ${GROWTH_GOAL_MB} MB)`,
        );
      }

      const audit = auditFigures(run.result.audit);
      if (audit === null) {
        check(
          'audit complete, no duplicates, nothing lost',
          false,
          `no audit figures in result.json; notices: ${(run.result.notices ?? []).join('; ') || 'none'}`,
        );
      } else {
        check(
          'audit complete, no duplicates, nothing lost',
          audit.complete && audit.duplicates.count === 0 && audit.lost.count === 0,
          `complete ${audit.complete}${audit.incomplete.length > 0 ? ` (${audit.incomplete.join('; ')})` : ''}, ` +
            `duplicates ${audit.duplicates.count}, lost ${audit.lost.count}`,
        );
      }
      const iterations = counterTotal(run.data, 'iterations');
      const dropped = counterTotal(run.data, 'dropped_iterations');
      process.stderr.write(
        `  ${iterations} iterations (${(iterations / loadSec).toFixed(1)}/s), ${dropped} dropped; exit ${run.exitCode} ` +
          `(${run.result.verdict ?? (run.result.passed ? 'passed' : 'failed')}); warnings: ${run.result.generator.warnings.join('; ') || 'none'}\n`,
      );

      const rows: BenchResult[] = [
        {
          name: 'soak-memory harness RSS growth',
          value: harness.fittedMb,
          unit: 'MB',
          baseline: null,
          ratio: null,
        },
        {
          name: 'soak-memory mock RSS growth',
          value: mockGrowth.fittedMb,
          unit: 'MB',
          baseline: null,
          ratio: null,
        },
        {
          name: 'soak-memory harness RSS growth/min',
          value: harness.perMinuteMb,
          unit: 'MB/min',
          baseline: null,
          ratio: null,
        },
        {
          name: 'soak-memory mock RSS growth/min',
          value: mockGrowth.perMinuteMb,
          unit: 'MB/min',
          baseline: null,
          ratio: null,
        },
        {
          name: 'soak-memory harness peak RSS',
          value: run.cpu.maxRssKb / 1_024,
          unit: 'MB',
          baseline: null,
          ratio: null,
        },
        { name: 'soak-memory dropped', value: dropped, unit: 'iterations', baseline: null, ratio: null },
      ];
      if (audit !== null) {
        rows.push(
          {
            name: 'soak-memory audit complete',
            value: audit.complete ? 1 : 0,
            unit: 'bool',
            baseline: null,
            ratio: null,
          },
          {
            name: 'soak-memory audit duplicates',
            value: audit.duplicates.count,
            unit: 'ops',
            baseline: null,
            ratio: null,
          },
          {
            name: 'soak-memory audit lost',
            value: audit.lost.count,
            unit: 'ops',
            baseline: null,
            ratio: null,
          },
        );
      }
      return rows;
    } finally {
      clearInterval(timer);
      await mock.stop();
    }
  },
};

export default bench;
