/**
 * Prints one acceptance line to stderr, `  PASS  label: detail` or `  FAIL  label: detail`,
 * and returns `ok`. Marks only: a bench reports what it measured and never fails for a missed
 * goal (the table and the log say it), so the figures of a bad day are still written.
 *
 * @example
 * check('1000/s dropped', dropped === 0, `${dropped} (goal 0)`);
 */
export function check(label: string, ok: boolean, detail: string): boolean {
  process.stderr.write(`  ${ok ? 'PASS' : 'FAIL'}  ${label}: ${detail}\n`);
  return ok;
}

/** `value` with `digits` decimals, or `n/a` for NaN (nothing recorded). */
export function fixed(value: number, digits = 2): string {
  return Number.isNaN(value) ? 'n/a' : value.toFixed(digits);
}
