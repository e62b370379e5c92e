import sanitizeHtml from 'sanitize-html';
import { DEFAULT_MAX_MESSAGE_LENGTH } from '../../client/options-schema.js';
import type { MessageCheck, MessageProblem } from '../types.js';

/**
 * The check a chat message passes before it is sent to Nexus. It refuses; it never rewrites.
 * The guide's validator both stripped HTML and refused when stripping changed anything, so
 * plain text such as "2 < 3" (which a sanitiser escapes to `2 &lt; 3`) was refused as HTML,
 * and the "sanitized" text it handed on was never what the user wrote. Here HTML is detected
 * by an HTML parser (sanitize-html's, htmlparser2) seeing a real tag, and the message goes on
 * exactly as given or not at all.
 */

/** The API's limit on a message, in characters (UTF-16 code units, as the client counts them): the client's own. */
export const MAX_MESSAGE_LENGTH = DEFAULT_MAX_MESSAGE_LENGTH;

/**
 * Script that runs when the text is rendered as HTML: a `<script` tag, or a `javascript:` /
 * `vbscript:` / `data:text/html` URL. Browsers ignore tabs and newlines inside a URL scheme, so
 * `java\nscript:` counts. A scheme followed by a space ("JavaScript: the good parts") is prose,
 * not a URL.
 */
const SCRIPT_PATTERNS: readonly RegExp[] = [
  /<\s*script\b/i,
  /\b(?:j[\t\n\r]*a[\t\n\r]*v[\t\n\r]*a|v[\t\n\r]*b)[\t\n\r]*s[\t\n\r]*c[\t\n\r]*r[\t\n\r]*i[\t\n\r]*p[\t\n\r]*t[\t\n\r]*:(?![\s]|$)/i,
  /\bdata:\s*text\/html\b/i,
];

/**
 * An inline event-handler attribute: `on` + a DOM event name + `=`. Named events rather than
 * the guide's `on\w+\s*=`, which refused "one = 1" and "only=yes".
 */
const EVENT_HANDLER =
  /\bon(?:abort|afterprint|animation\w+|auxclick|before\w+|begin|blur|cancel|canplay\w*|change|click|close|contextmenu|copy|cuechange|cut|dblclick|drag\w*|drop|durationchange|emptied|end|ended|error|focus\w*|formdata|hashchange|input|invalid|key\w+|load\w*|message\w*|mouse\w+|offline|online|page\w+|paste|pause|play\w*|pointer\w+|popstate|progress|ratechange|repeat|reset|resize|scroll\w*|search|securitypolicyviolation|seek\w+|select\w*|show|slotchange|stalled|storage|submit|suspend|timeupdate|toggle|touch\w+|transition\w+|unload|volumechange|waiting|wheel)\s*=/i;

/** A closing tag or a comment: the parser below reports neither on its own. */
const CLOSING_TAG_OR_COMMENT = /<\/[a-z][^\s/>]*\s*>|<!--[\s\S]*?-->/i;

/**
 * Whether an HTML parser finds an element in `text`. "2 < 3 and 5 > 4", "a<b" and "<3" open
 * none; "<b>", "<img src=x>" and — by HTML's own rules — "a<b && c>d" (a `<b>` with attributes)
 * do.
 */
function hasHtml(text: string): boolean {
  if (!text.includes('<')) return false;
  if (CLOSING_TAG_OR_COMMENT.test(text)) return true;
  let found = false;
  sanitizeHtml(text, {
    allowedTags: [],
    allowedAttributes: {},
    onOpenTag: () => {
      found = true;
    },
  });
  return found;
}

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
  if (text.trim().length === 0) {
    return {
      ok: false,
      problems: [{ code: 'empty', message: 'Message cannot be empty or only whitespace.' }],
    };
  }
  const problems: MessageProblem[] = [];
  if (text.length > maxLength) {
    problems.push({
      code: 'too_long',
      message: `Message is ${text.length} characters; at most ${maxLength} are allowed.`,
    });
  }
  if (SCRIPT_PATTERNS.some((p) => p.test(text))) {
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
