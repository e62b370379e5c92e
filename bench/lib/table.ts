import type { BenchResult } from './types.js';

const COLUMNS = ['name', 'value', 'unit', 'baseline', 'ratio'] as const;

/** Big figures as integers with separators, small ones with 3 significant digits. */
function formatNumber(value: number | null): string {
  if (value === null) return '—';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(3);
}

/**
 * Renders bench results as a plain-text table (numbers right-aligned), for a terminal or a
 * CI log.
 *
 * @example
 * console.log(formatTable([{ name: 'bare-http rps', value: 12_000, unit: 'req/s', baseline: null, ratio: null }]));
 */
export function formatTable(results: readonly BenchResult[]): string {
  const rows = results.map((r) => [
    r.name,
    formatNumber(r.value),
    r.unit,
    formatNumber(r.baseline),
    r.ratio === null ? '—' : r.ratio.toFixed(3),
  ]);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((row) => row[i]!.length)));
  const leftAligned = new Set([0, 2]);
  const render = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (leftAligned.has(i) ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [render(COLUMNS), rule, ...rows.map(render)].join('\n');
}
