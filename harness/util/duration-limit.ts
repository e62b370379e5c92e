/**
 * The longest duration nexus-harness accepts anywhere, ms: 24 h. Node's timers overflow at
 * 2³¹ ms (≈ 24.8 days) and then fire at once, so a `'1000h'` run would spin instead of wait;
 * a day is the longest soak one process is expected to run. Client options in ms share it.
 *
 * @example
 * if (ms > MAX_DURATION_MS) throw new Error(`at most ${formatDurationMs(MAX_DURATION_MS)}`);
 */
export const MAX_DURATION_MS = 86_400_000;
