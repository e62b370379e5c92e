import { describe, expect, it } from 'vitest';
import { ANSI_STYLE } from './terminal-style.js';
import { formatTable } from './text-table.js';

describe('formatTable', () => {
  it('pads each column to its widest cell, right-aligning figures, and marks after padding', () => {
    const rows = formatTable(
      [{ align: 'left' }, { align: 'right' }],
      [
        ['op', 'count'],
        [{ text: 'get_session', mark: ANSI_STYLE.bold }, '7'],
        ['✓ ×', { text: '1,204', mark: ANSI_STYLE.bad }],
      ],
      { indent: '  ' },
    );
    expect(rows).toEqual([
      '  op           count',
      '  \u001b[1mget_session\u001b[22m      7',
      `  ✓ ×          \u001b[31m1,204\u001b[39m`,
    ]);
  });

  it('leaves the missing cells of a short row blank and trims the trailing spaces', () => {
    expect(formatTable([{ align: 'left' }, { align: 'right' }], [['a'], ['bb', '10']])).toEqual([
      'a',
      'bb  10',
    ]);
  });
});
