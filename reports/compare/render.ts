/**
 * A comparison as people and CI read it: an aligned text table, a Markdown table for a PR
 * comment, or JSON. Pure functions of the {@link Comparison}.
 */
import { num } from '../facts.js';
import type { CompareRow, Comparison } from './compare.js';

/**
 * The formats `compare --format` accepts.
 *
 * @example
 * COMPARE_FORMATS.includes('md'); // true
 */
export const COMPARE_FORMATS = ['text', 'md', 'json'] as const;

/** One of {@link COMPARE_FORMATS}. */
export type CompareFormat = (typeof COMPARE_FORMATS)[number];

/**
 * Whether `value` names a compare format.
 *
 * @example
 * isCompareFormat('junit'); // false
 */
export function isCompareFormat(value: string): value is CompareFormat {
  return (COMPARE_FORMATS as readonly string[]).includes(value);
}

const pct = (v: number | null): string => (v === null ? 'new' : `${v >= 0 ? '+' : ''}${num(v)}%`);
const noiseOf = (r: CompareRow): string =>
  (r.noise === null ? 'noise unknown' : r.noisePct === null ? `±${num(r.noise)}` : `±${num(r.noisePct)}%`) +
  (r.noiseSource.includes('understated') ? '*' : '');

/** The legend of the `*` on a noise band, when any row has one. */
const footnote = (c: Comparison): string[] =>
  c.rows.some((r) => r.noiseSource.includes('understated'))
    ? ['* fewer than 5 samples beyond this percentile: its noise is understated (a longer run measures it)']
    : [];
const verdictOf = (r: CompareRow): string =>
  r.breached.length > 0 ? 'BREACH' : r.regression ? 'regression' : r.worse === null ? '(info)' : 'ok';

function cells(r: CompareRow): string[] {
  return [
    r.label,
    r.stat,
    `${num(r.baseline)} ${r.unit}`.trim(),
    `${num(r.current)} ${r.unit}`.trim(),
    pct(r.changePct),
    noiseOf(r),
    verdictOf(r),
  ];
}

const HEADER = ['metric', 'stat', 'baseline', 'current', 'change', 'noise (95%)', 'verdict'];

function headline(c: Comparison): string[] {
  const side = (s: Comparison['baseline']) =>
    `${s.runId} (seed ${s.seed ?? 'unknown'}, ${num(s.durationMs / 1_000)} s)`;
  const lines = [`baseline ${side(c.baseline)}`, `current  ${side(c.current)}`];
  lines.push(
    c.regressions.length === 0
      ? `no regression (tolerance +${num(c.tolerancePct)}% beyond the noise)`
      : `${c.regressions.length} regression${c.regressions.length > 1 ? 's' : ''} (beyond +${num(c.tolerancePct)}% and the noise): ${c.regressions.join(', ')}`,
  );
  if (c.breached.length > 0) lines.push(`gate breached: ${c.breached.join('; ')}`);
  return lines;
}

/**
 * The comparison as an aligned plain-text table, a headline first.
 *
 * @example
 * process.stdout.write(renderCompareText(compareResults(a, b)));
 */
export function renderCompareText(c: Comparison): string {
  const table = [HEADER, ...c.rows.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const lines = table.map((row) =>
    row
      .map((cell, i) => (i >= 2 && i <= 5 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
  return `${[...headline(c), '', ...lines, ...footnote(c)].join('\n')}\n`;
}

const mdCell = (s: string): string => s.replace(/\|/g, '\\|');

/**
 * The comparison as Markdown (for a PR comment or `$GITHUB_STEP_SUMMARY`): the headline, then
 * one table row per figure; regressions and breaches in bold.
 *
 * @example
 * renderCompareMarkdown(c).startsWith('## nexus-harness compare'); // true
 */
export function renderCompareMarkdown(c: Comparison): string {
  const lines = ['## nexus-harness compare', '', ...headline(c).map((l) => `- ${mdCell(l)}`), ''];
  lines.push(
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map((_, i) => (i >= 2 && i <= 5 ? ' ---: ' : ' --- ')).join('|')}|`,
  );
  for (const r of c.rows) {
    const row = cells(r).map(mdCell);
    if (r.regression || r.breached.length > 0) row[6] = `**${row[6]}**`;
    lines.push(`| ${row.join(' | ')} |`);
  }
  for (const note of footnote(c)) lines.push('', mdCell(note).replace(/^\*/, '\\*'));
  return `${lines.join('\n')}\n`;
}

/**
 * The comparison as JSON (the {@link Comparison} itself), ending with a newline.
 *
 * @example
 * JSON.parse(renderCompareJson(c)).breached; // []
 */
export function renderCompareJson(c: Comparison): string {
  return `${JSON.stringify(c, null, 2)}\n`;
}

/**
 * `c` rendered as `format`.
 *
 * @example
 * process.stdout.write(renderComparison(c, 'md'));
 */
export function renderComparison(c: Comparison, format: CompareFormat): string {
  switch (format) {
    case 'text':
      return renderCompareText(c);
    case 'md':
      return renderCompareMarkdown(c);
    case 'json':
      return renderCompareJson(c);
  }
}
