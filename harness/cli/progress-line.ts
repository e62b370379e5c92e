import type { ProgressSnapshot } from '../engine/run/progress.js';

const ms = (v: number | null) => (v === null ? '—' : v < 10 ? `${v.toFixed(1)}ms` : `${Math.round(v)}ms`);
const secs = (v: number) => `${Math.ceil(v / 1_000)}s`;

/** One progress line: ops/s, p50/p99 of op_duration, 429s, errors, time left (or what the run waits for). */
export function formatProgress(p: ProgressSnapshot): string {
  const figures =
    `${Math.round(p.opsPerSec)} ops/s  p50 ${ms(p.p50Ms)}  p99 ${ms(p.p99Ms)}  ` +
    `429s ${p.rateLimited}  errors ${p.errors}  ops ${p.ops}`;
  return p.waitingFor === null ? `${figures}  left ${secs(p.remainingMs)}` : `${figures}  — ${p.waitingFor}`;
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
): { update(p: ProgressSnapshot): void; notice(text: string): void; done(): void } {
  const plainEveryMs = options.plainEveryMs ?? 5_000;
  let lastPlain = Number.NEGATIVE_INFINITY;
  let drawn = false;
  let lastState = 'running:on-plan';
  return {
    update(p) {
      const state = `${p.phase}:${p.waitingFor === null ? 'on-plan' : 'waiting'}`;
      if (options.tty) {
        out.write(`\r\x1b[2K${formatProgress(p)}`);
        drawn = true;
      } else if (p.elapsedMs - lastPlain >= plainEveryMs || state !== lastState) {
        // Past the plan, say at once what the run now waits for (and again when that changes).
        lastPlain = p.elapsedMs;
        out.write(`[${secs(p.elapsedMs)}] ${formatProgress(p)}\n`);
      }
      lastState = state;
    },
    notice(text) {
      if (drawn) out.write('\r\x1b[2K');
      drawn = false;
      out.write(`! ${text}\n`);
    },
    done() {
      if (drawn) out.write('\r\x1b[2K');
    },
  };
}
