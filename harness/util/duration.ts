import { z } from 'zod';
import { MAX_DURATION_MS } from './duration-limit.js';

/** Milliseconds per unit of a k6 duration string (Go's `time.ParseDuration` units, plus `d`). */
const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const PART = /(\d+(?:\.\d+)?|\.\d+)(ns|us|µs|ms|s|m|h|d)/y;

/** Re-exported from `harness/util/duration-limit.ts`, which the client's options schema shares. */
export { MAX_DURATION_MS };

/**
 * What a duration may look like; used in every validation message about durations.
 *
 * @example
 * ctx.addIssue({ code: 'custom', message: `expected ${DURATION_HINT}` });
 */
export const DURATION_HINT = "a duration such as '30s', '1m30s', '500ms', '2h' or a number of ms";

/**
 * Parses a k6 duration into milliseconds: a string of number+unit parts (`'30s'`, `'1m30s'`,
 * `'1.5s'`, `'500ms'`, `'2h'`, `'1d'`; units ns, us/µs, ms, s, m, h, d; `'0'` alone is allowed)
 * or a finite number ≥ 0, taken as ms. Returns `undefined` for anything else (negative,
 * unit missing, unknown unit), so callers can report it with their own field path.
 *
 * This is the one place durations are parsed in nexus-harness.
 *
 * @example
 * parseDurationMs('1m30s') // 90_000
 * parseDurationMs(250)     // 250
 * parseDurationMs('30')    // undefined (no unit)
 */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '0') return 0;
  if (text === '') return undefined;
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const match = PART.exec(text);
    if (match === null) return undefined;
    total += Number(match[1]) * (UNIT_MS[match[2] as string] as number);
  }
  return Number.isFinite(total) ? total : undefined;
}

/**
 * Parses a duration typed on the command line: what {@link parseDurationMs} accepts, plus a
 * bare number (`'1500'`, `'2.5'`), taken as ms, since a flag's value is always text. Returns
 * `undefined` for anything else; the caller reports it with the flag's name.
 *
 * @example
 * parseDurationArg('1500') // 1500
 * parseDurationArg('90s')  // 90_000
 * parseDurationArg('1e3')  // undefined (write 1000 or 1s)
 */
export function parseDurationArg(text: string): number | undefined {
  const trimmed = text.trim();
  return /^\d+(?:\.\d+)?$/.test(trimmed) ? Number(trimmed) : parseDurationMs(trimmed);
}

/**
 * Formats milliseconds as a compact k6 duration (`90000` → `'1m30s'`, `1500` → `'1.5s'`,
 * `0.25` → `'250µs'`). `parseDurationMs(formatDurationMs(x)) === x` for whole µs values.
 *
 * @example
 * formatDurationMs(5_400_000) // '1h30m'
 */
export function formatDurationMs(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1) return `${Math.round(ms * 1_000)}µs`;
  if (ms < 1_000) return `${+ms.toFixed(3)}ms`;
  let rest = ms;
  let out = '';
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['m', 60_000],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  if (rest > 0) out += `${+(rest / 1_000).toFixed(6)}s`;
  return out;
}

const TOO_LONG = `expected a duration of at most ${formatDurationMs(MAX_DURATION_MS)} (${MAX_DURATION_MS} ms)`;

/**
 * Zod schema of a duration field: accepts a k6 duration string or a number of ms, up to
 * {@link MAX_DURATION_MS}; outputs ms. The error names what is allowed; the validation
 * formatter adds the value found.
 *
 * @example
 * z.object({ duration: durationSchema }).parse({ duration: '1m' }) // { duration: 60_000 }
 */
export const durationSchema = z
  .union([z.number(), z.string()], { error: `expected ${DURATION_HINT}` })
  .transform((value, ctx) => {
    const ms = parseDurationMs(value);
    if (ms === undefined) {
      ctx.issues.push({ code: 'custom', message: `expected ${DURATION_HINT}`, input: value });
      return z.NEVER;
    }
    if (ms > MAX_DURATION_MS) {
      ctx.issues.push({ code: 'custom', message: TOO_LONG, input: value });
      return z.NEVER;
    }
    return ms;
  });

/**
 * A duration that must be longer than zero (`duration`, `timeUnit`, `maxDuration`).
 *
 * @example
 * positiveDurationSchema.parse('0s') // throws: expected a duration > 0
 */
export const positiveDurationSchema = durationSchema.refine((ms) => ms > 0, {
  message: `expected a duration > 0, ${DURATION_HINT}`,
});

/** Input type of a duration field: `'30s'`-style string or number of ms. */
export type DurationInput = string | number;
