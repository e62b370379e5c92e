import type { ProgressSnapshot } from '../engine/run/progress.js';

const ms = (v: number | null) => (v === null ? '—' : v < 10 ? `${v.toFixed(1)}ms` : `${Math.round(v)}ms`);
const secs = (v: number) => `${Math.ceil(v / 1_000)}s`;

/** One progress line: ops/s, p50/p99 of op_duration, 429s, errors, time left. */
export function formatProgress(p: ProgressSnapshot): string {
  return (
    `${Math.round(p.opsPerSec)} ops/s  p50 ${ms(p.p50Ms)}  p99 ${ms(p.p99Ms)}  ` +
    `429s ${p.rateLimited}  errors ${p.errors}  ops ${p.ops}  left ${secs(p.remainingMs)}`
  );
}

/**
 * A progress printer for `run`: on a terminal one line rewritten in place every second; in CI
 * (or when output is piped) a plain line every `plainEveryMs`, so logs stay readable.
 *
 * @example
 * const progress = createProgressPrinter(process.stderr, { tty: process.stderr.isTTY && !process.env.CI });
 * runScenario(s, { onProgress: progress.update }); progress.done();
 */
export function createProgressPrinter(
  out: NodeJS.WritableStream,
  options: { tty: boolean; plainEveryMs?: number },
): { update(p: ProgressSnapshot): void; done(): void } {
  const plainEveryMs = options.plainEveryMs ?? 5_000;
  let lastPlain = Number.NEGATIVE_INFINITY;
  let drawn = false;
  return {
    update(p) {
      if (options.tty) {
        out.write(`\r\x1b[2K${formatProgress(p)}`);
        drawn = true;
      } else if (p.elapsedMs - lastPlain >= plainEveryMs) {
        lastPlain = p.elapsedMs;
        out.write(`[${secs(p.elapsedMs)}] ${formatProgress(p)}\n`);
      }
    },
    done() {
      if (drawn) out.write('\r\x1b[2K');
    },
  };
}
