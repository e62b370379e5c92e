import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MessageProblemCode } from '../types.js';
import { checkMessage, MAX_MESSAGE_LENGTH } from './message-check.js';

/** Each case: the message and the problem codes expected, in order ([] = accepted as is). */
const CASES: readonly (readonly [string, unknown, readonly MessageProblemCode[]])[] = [
  // accepted
  ['a question', 'What is 2+2?', []],
  ['comparison signs', '2 < 3 and 5 > 4', []],
  ['escaped markup is text', '&lt;script&gt; is how you write it', []],
  ['an ampersand', 'fish &chips; 5 &#60 6', []],
  // The limit is in UTF-16 code units, as the client (and the mock) count it: an emoji is 2.
  ['emoji up to the limit', '😀'.repeat(MAX_MESSAGE_LENGTH / 2), []],
  ['a heart', 'love you <3', []],
  ['arrows', '-> and <- and <=>', []],
  ['prose about JavaScript', 'JavaScript: the good parts', []],
  ['"one = 1" is not a handler', 'let one = 1; only=yes', []],
  ['the word eval(', 'what does eval( do in JS?', []],
  ['exactly the limit', 'x'.repeat(MAX_MESSAGE_LENGTH), []],
  ['unicode', 'ça va? 👍', []],
  // refused
  ['empty', '', ['empty']],
  ['whitespace', ' \n\t ', ['empty']],
  ['only invisible characters (zero-width space, BOM, NUL)', '\u200b\ufeff\u0000\u00a0', ['empty']],
  ['a zero-width joiner inside an emoji is content', '👩\u200d💻', []],
  ['not a string', 42, ['empty']],
  ['null', null, ['empty']],
  ['one over the limit', 'x'.repeat(MAX_MESSAGE_LENGTH + 1), ['too_long']],
  ['script tag', '<script>alert(1)</script>', ['script', 'html']],
  ['script tag, odd case and space', '< ScRiPt src=//x.test>', ['script']],
  ['javascript: URL', 'click javascript:alert(1)', ['script']],
  ['javascript: URL with a newline in the scheme', 'java\nscript:alert(1)', ['script']],
  ['vbscript: URL', 'VBScript:msgbox(1)', ['script']],
  ['data:text/html URL', 'data:text/html;base64,PHNjcmlwdD4=', ['script']],
  ['event handler alone', 'x onerror=alert(1)', ['event_handler']],
  ['event handler with spaces', 'onload = go()', ['event_handler']],
  ['img with onerror', '<img src=x onerror=alert(1)>', ['event_handler', 'html']],
  ['emoji one unit over the limit', `x${'😀'.repeat(MAX_MESSAGE_LENGTH / 2)}`, ['too_long']],
  ['bold', '<b>hi</b>', ['html']],
  // A tag left open still opens one where the text is pasted into a page: the page's next ">" closes it.
  [
    'an unterminated tag with a handler the list does not name',
    '<img src=x oncontentvisibilityautostatechange=alert(1) style=content-visibility:auto',
    ['html'],
  ],
  ['an unterminated iframe', 'see <iframe srcdoc=x', ['html']],
  ['a<b (a tag to an HTML parser)', 'a<b', ['html']],
  ['a doctype', '<!doctype html>', ['html']],
  ['svg with onload', '<svg/onload=alert(1)>', ['event_handler', 'html']],
  ['a nested script tag', '<scr<script>ipt>', ['script', 'html']],
  // Character references decode in attributes and in Markdown link targets.
  ['javascript&colon;', '[x](javascript&colon;alert(1))', ['script']],
  ['a tab reference in the scheme', 'jav&Tab;ascript:alert(1)', ['script']],
  ['numeric references', '&#106;ava&#x09;script&#58alert(1)', ['script']],
  ['data:application/xhtml+xml', 'data:application/xhtml+xml,x', ['script']],
  ['data:image/svg+xml', 'data:image/svg+xml;base64,PHN2Zz4=', ['script']],
  ['a closing tag alone', 'bye </div>', ['html']],
  ['a comment', 'a <!-- hidden --> b', ['html']],
  ['a link with javascript:', '<a href="javascript:alert(1)">x</a>', ['script', 'html']],
  // By HTML's parsing rules `<b && c>` opens a <b> element: a parser, and a browser, see a tag.
  ['code that reads as a tag', 'if (a<b && c>d)', ['html']],
  [
    'everything at once',
    `<div onclick=x()><script>${'y'.repeat(MAX_MESSAGE_LENGTH)}`,
    ['too_long', 'script', 'event_handler', 'html'],
  ],
];

describe('checkMessage', () => {
  it.each(CASES)('%s', (_name, input, codes) => {
    const check = checkMessage(input);
    if (codes.length === 0) {
      expect(check).toEqual({ ok: true, content: input });
    } else {
      expect(check.ok).toBe(false);
      if (check.ok) return;
      expect(check.problems.map((p) => p.code)).toEqual(codes);
      for (const p of check.problems) expect(p.message.length).toBeGreaterThan(10);
    }
  });

  it('never rewrites: an accepted message is the very string given', () => {
    const text = '  keep  <3 spacing & "quotes" ';
    const check = checkMessage(text);
    expect(check.ok && check.content).toBe(text);
  });

  it('takes another limit', () => {
    expect(checkMessage('hello', 3)).toMatchObject({ ok: false, problems: [{ code: 'too_long' }] });
    expect(checkMessage('hey', 3)).toEqual({ ok: true, content: 'hey' });
  });
});

describe('checkMessage, properties', () => {
  it('never throws, whatever it is given; refusals always name a problem', () => {
    fc.assert(
      fc.property(fc.anything(), (input) => {
        const check = checkMessage(input);
        return check.ok ? check.content === input : check.problems.length > 0;
      }),
    );
  });

  it('text without "<", "=" or ":" is accepted exactly as given when not blank and within the limit', () => {
    const plain = fc.string({
      unit: fc.constantFrom(...'abc xyz 0123,.!?()[]{}>&"\'\n\tçé👍'.split('')),
      maxLength: 200,
    });
    fc.assert(
      fc.property(plain, (text) => {
        fc.pre(text.trim() !== '');
        expect(checkMessage(text)).toEqual({ ok: true, content: text });
      }),
    );
  });

  it('any string with a real tag in it is refused as html', () => {
    const tag = fc.constantFrom('<b>', '<i>x</i>', '<div class="a">', '<img src=x>', '</p>', '<svg>');
    fc.assert(
      fc.property(fc.string({ maxLength: 50 }), tag, fc.string({ maxLength: 50 }), (before, t, after) => {
        const check = checkMessage(`${before.replace(/</g, '')} ${t} ${after.replace(/</g, '')}`);
        expect(check.ok).toBe(false);
        expect(!check.ok && check.problems.map((p) => p.code)).toContain('html');
      }),
    );
  });
});
