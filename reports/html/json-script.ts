/**
 * Data embedded in a page as `<script type="application/json">`: JSON with every `<` escaped,
 * so no string in it (a scenario named `</script><script>…`) can end the element early or open
 * a comment. The browser's JSON.parse reads `\u003c` back as `<`.
 */

/**
 * `value` as JSON safe inside a `<script>` element.
 *
 * @example
 * jsonForScript({ name: '</script>' }) // '{"name":"\\u003c/script>"}'
 */
export function jsonForScript(value: unknown): string {
  // U+2028/2029 are valid in JSON strings; escaped too so the text is also a valid JS literal.
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
