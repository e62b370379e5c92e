/**
 * Numbers as people read them in English (`12,345.6`), without `Intl`. The first
 * `toLocaleString` of a process loads ICU's number formatting, about 15 ms of CPU, and every
 * `nexus-harness` run is a fresh process: its start and end are charged to the run's
 * "CPU outside the load window". These give the same text as
 * `toLocaleString('en-US', { maximumFractionDigits })` for finite numbers.
 */

/**
 * `value` with thousands separators and at most `maxFractionDigits` decimals (rounded, no
 * trailing zeros); `NaN` and `∞` as `toLocaleString` writes them.
 *
 * @example
 * formatNumber(20_000) // '20,000'
 * formatNumber(1234.56, 1) // '1,234.6'
 * formatNumber(2.5, 2) // '2.5'
 */
export function formatNumber(value: number, maxFractionDigits = 0): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value < 0 ? '-∞' : '∞';
  const negative = value < 0 || Object.is(value, -0);
  const sign = negative ? '-' : '';
  // ICU rounds the shortest decimal that reads back as the double (what String() writes):
  // 1.005 is "1.005", so it rounds to 1.01, where toFixed's exact binary value gives 1.00.
  const shortest = String(Math.abs(value));
  if (shortest.includes('e')) {
    // Below 1e-6 or from 1e21 on (no count or duration of ours): Intl's own text, rarely enough.
    return value.toLocaleString('en-US', { maximumFractionDigits: maxFractionDigits });
  }
  const dot = shortest.indexOf('.');
  let whole = dot === -1 ? shortest : shortest.slice(0, dot);
  let fraction = dot === -1 ? '' : shortest.slice(dot + 1);
  if (fraction.length > maxFractionDigits) {
    const roundUp = fraction.charCodeAt(maxFractionDigits) >= 53; // '5': half away from zero
    fraction = fraction.slice(0, maxFractionDigits);
    if (roundUp) [whole, fraction] = incremented(whole, fraction);
  }
  fraction = fraction.replace(/0+$/, '');
  return `${sign}${grouped(whole)}${fraction === '' ? '' : `.${fraction}`}`;
}

/** `whole.fraction` plus one unit in the last place of `fraction` (of `whole` when it is empty). */
function incremented(whole: string, fraction: string): [string, string] {
  const digits = `${whole}${fraction}`.split('');
  let i = digits.length - 1;
  for (; i >= 0 && digits[i] === '9'; i--) digits[i] = '0';
  if (i >= 0) digits[i] = String(Number(digits[i]) + 1);
  else digits.unshift('1');
  const all = digits.join('');
  const wholeLength = all.length - fraction.length;
  return [all.slice(0, wholeLength), all.slice(wholeLength)];
}

/** `1234567` as `1,234,567`. */
function grouped(whole: string): string {
  let out = '';
  for (let end = whole.length; end > 0; end -= 3) {
    const part = whole.slice(Math.max(0, end - 3), end);
    out = out === '' ? part : `${part},${out}`;
  }
  return out;
}
