/** Server-Sent Events framing (the HTML Living Standard's `text/event-stream`). */

/**
 * One event as it goes on the wire: an optional `event:` line, one `data:` line per line of
 * `data` (a newline inside it would otherwise end the field), and the blank line that ends it.
 *
 * @example
 * sseFrame('{"a":1}') // 'data: {"a":1}\n\n'
 * sseFrame('x', 'end') // 'event: end\ndata: x\n\n'
 */
export function sseFrame(data: string, event?: string): string {
  if (event !== undefined && /[\r\n]/.test(event)) {
    throw new Error(
      `Failed to frame a server-sent event: its name ${JSON.stringify(event)} has a line break.`,
    );
  }
  const lines = data.split(/\r\n|\r|\n/).map((line) => `data: ${line}\n`);
  return `${event === undefined ? '' : `event: ${event}\n`}${lines.join('')}\n`;
}
