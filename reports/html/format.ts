/**
 * Numbers as the HTML report prints them: grouped counts, ms with sensible precision. No
 * `Intl`: the live dashboard formats during the run, where ICU's first load costs ~15 ms.
 */
import { formatNumber } from '../../harness/util/format-number.js';

/**
 * A count with thousands grouped (`12,345`); `–` for null.
 *
 * @example
 * count(12345) // '12,345'
 */
export function count(n: number | null | undefined): string {
  return n === null || n === undefined ? '–' : formatNumber(n, 2);
}

/**
 * A duration in ms with three significant figures at most (`0.412 ms`, `12.4 ms`, `212 ms`,
 * `12.5 s` from 10 s); `–` for null or NaN.
 *
 * @example
 * ms(212.48) // '212 ms'
 */
export function ms(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (v >= 10_000) return `${Number((v / 1_000).toPrecision(3))} s`;
  if (v >= 100) return `${Math.round(v)} ms`;
  return `${Number(v.toPrecision(3))} ms`;
}

/**
 * A share as a percentage (`0.5 %`, `12 %`); `–` when the whole is 0.
 *
 * @example
 * percent(1, 200) // '0.5 %'
 */
export function percent(part: number, whole: number): string {
  if (whole === 0) return '–';
  const p = (100 * part) / whole;
  return `${p === 0 ? 0 : Number(p.toPrecision(p < 1 ? 1 : 3))} %`;
}

/**
 * A run's length: ms below a second, then seconds (`3.49 s`), then minutes (`2 min 5 s`).
 *
 * @example
 * duration(3492) // '3.49 s'
 */
export function duration(v: number): string {
  if (v < 1_000) return `${Math.round(v)} ms`;
  if (v < 60_000) return `${Number((v / 1_000).toPrecision(3))} s`;
  const min = Math.floor(v / 60_000);
  const sec = Math.round((v - min * 60_000) / 1_000);
  return sec === 0 ? `${min} min` : `${min} min ${sec} s`;
}
