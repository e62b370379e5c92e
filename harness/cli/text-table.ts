/**
 * Aligned columns for the terminal: widths measured on the plain text, marks (colour) added
 * after padding, so an ANSI escape never shifts a column.
 */

/** One cell: plain text, or text with a mark applied after it is padded. */
export type TableCell = string | { text: string; mark?: (text: string) => string };

/** A column: left-aligned (text) or right-aligned (figures). */
export interface TableColumn {
  align: 'left' | 'right';
}

/** Characters a string takes on screen, counting each code point once (✓, ×, — are one). */
function widthOf(text: string): number {
  return [...text].length;
}

/**
 * The rows as lines, each column as wide as its widest cell, `gap` spaces between columns,
 * `indent` before each line; trailing spaces trimmed. A row with fewer cells leaves the rest
 * blank.
 *
 * @example
 * formatTable([{ align: 'left' }, { align: 'right' }], [['op', 'count'], ['get_session', '70']], { indent: '  ' })
 * // ['  op          count', '  get_session    70']
 */
export function formatTable(
  columns: readonly TableColumn[],
  rows: readonly (readonly TableCell[])[],
  options: { indent?: string; gap?: number } = {},
): string[] {
  const text = (cell: TableCell | undefined) =>
    cell === undefined ? '' : typeof cell === 'string' ? cell : cell.text;
  const widths = columns.map((_, i) => Math.max(0, ...rows.map((row) => widthOf(text(row[i])))));
  const gap = ' '.repeat(options.gap ?? 2);
  return rows.map((row) => {
    const cells = columns.map((column, i) => {
      const cell = row[i];
      const plain = text(cell);
      const pad = ' '.repeat(widths[i]! - widthOf(plain));
      const marked =
        typeof cell === 'object' && cell.mark !== undefined && plain !== '' ? cell.mark(plain) : plain;
      return column.align === 'right' ? pad + marked : marked + pad;
    });
    return `${options.indent ?? ''}${cells.join(gap)}`.replace(/\s+$/, '');
  });
}
