import { DEFAULT_MAX_MESSAGE_LENGTH } from '../../client/options-schema.js';
import type { MessageCheck, MessageProblem } from '../types.js';

/**
 * The check a chat message passes before it is sent to Nexus. It refuses; it never rewrites.
 * The guide's validator both stripped HTML and refused when stripping changed anything, so
 * plain text such as "2 < 3" (which a sanitiser escapes to `2 &lt; 3`) was refused as HTML,
 * and the "sanitized" text it handed on was never what the user wrote. Here HTML is detected
 * where HTML's own tokenizer would start markup (`<` then a letter, `</`, `<!`), and the
 * message goes on exactly as given or not at all.
 */

/** The API's limit on a message, in characters (UTF-16 code units, as the client counts them): the client's own. */
export const MAX_MESSAGE_LENGTH = DEFAULT_MAX_MESSAGE_LENGTH;

/** A `<script` tag (in the text as given: `&lt;script&gt;` is text, shown as written). */
const SCRIPT_TAG = /<\s*script\b/i;

/**
 * A URL whose scheme runs script: `javascript:` / `vbscript:`, or a `data:` URL of a markup
 * type (HTML, XHTML, SVG, XML), matched in the text with its character references decoded (see
 * {@link decodeReferences}). Browsers ignore tabs and newlines inside a URL scheme, so
 * `java\nscript:` counts. A scheme followed by a space ("JavaScript: the good parts") is prose,
 * not a URL.
 */
const SCRIPT_URLS: readonly RegExp[] = [
  /\b(?:j[\t\n\r]*a[\t\n\r]*v[\t\n\r]*a|v[\t\n\r]*b)[\t\n\r]*s[\t\n\r]*c[\t\n\r]*r[\t\n\r]*i[\t\n\r]*p[\t\n\r]*t[\t\n\r]*:(?![\s]|$)/i,
  /\bdata:\s*(?:text\/html|application\/xhtml\+xml|image\/svg\+xml|(?:text|application)\/xml)\b/i,
];

/** The named character references that spell a URL scheme's parts (HTML's names are case-sensitive). */
const NAMED_REFERENCES: Readonly<Record<string, string>> = { colon: ':', Tab: '\t', NewLine: '\n' };

/**
 * `text` with numeric character references (`&#58;`, `&#x3a`, the `;` optional as browsers
 * allow) and `&colon;`, `&Tab;`, `&NewLine;` decoded: an attribute, and a Markdown renderer's
 * link target, decode them, so `javascript&colon;alert(1)` is a `javascript:` URL there.
 */
function decodeReferences(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6}));?|&(colon|Tab|NewLine);/g,
    (whole, dec?: string, hex?: string, name?: string) => {
      if (name !== undefined) return NAMED_REFERENCES[name] ?? whole;
      const code = dec !== undefined ? Number(dec) : Number.parseInt(hex as string, 16);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    },
  );
}

function hasScript(text: string): boolean {
  if (SCRIPT_TAG.test(text)) return true;
  const decoded = decodeReferences(text);
  return SCRIPT_URLS.some((p) => p.test(decoded));
}

/**
 * An inline event-handler attribute: `on` + a DOM event name + `=`. Named events rather than
 * the guide's `on\w+\s*=`, which refused "one = 1" and "only=yes".
 */
const EVENT_HANDLER =
  /\bon(?:abort|afterprint|animation\w+|auxclick|before\w+|begin|blur|cancel|canplay\w*|change|click|close|contextmenu|copy|cuechange|cut|dblclick|drag\w*|drop|durationchange|emptied|end|ended|error|focus\w*|formdata|hashchange|input|invalid|key\w+|load\w*|message\w*|mouse\w+|offline|online|page\w+|paste|pause|play\w*|pointer\w+|popstate|progress|ratechange|repeat|reset|resize|scroll\w*|search|securitypolicyviolation|seek\w+|select\w*|show|slotchange|stalled|storage|submit|suspend|timeupdate|toggle|touch\w+|transition\w+|unload|volumechange|waiting|wheel)\s*=/i;

/**
 * Where HTML's tokenizer starts markup: `<` then a letter (a tag), `</` then a letter (an end
 * tag), `<!` (a comment, a doctype). Not whether a parser of the message alone finds a finished
 * element: a tag left open (`<img src=x onerror=…`, no `>`) is closed by the page's next `>`
 * once the text is pasted into one, and `a<b` opens a `<b` there. "2 < 3", "<3" and "<=>"
 * start none.
 */
const MARKUP_START = /<(?:\/?[a-z]|!)/i;

function hasHtml(text: string): boolean {
  return MARKUP_START.test(text);
}

/** Nothing but whitespace, control and format characters (zero-width space, BOM, NUL): a blank message. */
const INVISIBLE_ONLY = /^[\p{White_Space}\p{Cc}\p{Cf}]*$/u;

/**
 * Checks a chat message and returns every problem at once (empty, too long, script, inline
 * event handler, HTML), or the message exactly as given. A non-string is refused as `empty`.
 *
 * @example
 * checkMessage('What is 2+2?');              // { ok: true, content: 'What is 2+2?' }
 * checkMessage('<img src=x onerror=alert(1)>'); // { ok: false, problems: [event_handler, html] }
 * checkMessage('2 < 3 and 5 > 4');           // ok: comparison signs are not HTML
 */
export function checkMessage(text: unknown, maxLength: number = MAX_MESSAGE_LENGTH): MessageCheck {
  if (typeof text !== 'string') {
    return {
      ok: false,
      problems: [{ code: 'empty', message: `Message must be text; got ${kindOf(text)}.` }],
    };
  }
  if (INVISIBLE_ONLY.test(text)) {
    return {
      ok: false,
      problems: [
        {
          code: 'empty',
          message: 'Message cannot be empty or only whitespace (or other invisible characters).',
        },
      ],
    };
  }
  const problems: MessageProblem[] = [];
  if (text.length > maxLength) {
    problems.push({
      code: 'too_long',
      message: `Message is ${text.length} characters; at most ${maxLength} are allowed.`,
    });
  }
  if (hasScript(text)) {
    problems.push({
      code: 'script',
      message: 'Message contains script (a <script> tag or a javascript: URL).',
    });
  }
  if (EVENT_HANDLER.test(text)) {
    problems.push({
      code: 'event_handler',
      message: 'Message contains an inline event handler (e.g. onerror=).',
    });
  }
  if (hasHtml(text)) {
    problems.push({ code: 'html', message: 'Message contains HTML tags; send plain text.' });
  }
  return problems.length === 0 ? { ok: true, content: text } : { ok: false, problems };
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'undefined' ? 'nothing' : `a ${typeof value}`;
}
