/**
 * Colour for what the CLI prints on a terminal, and none anywhere else: a file, a pipe, CI's
 * log. `NO_COLOR` and `FORCE_COLOR` are honoured as Node itself honours them.
 */
import type { CliStream } from './cli-io.js';

/** How text is marked: ANSI colours on a terminal, unchanged otherwise. */
export interface TextStyle {
  /** True when the marks are ANSI escapes (widths must then be measured before styling). */
  readonly colour: boolean;
  /** A pass, a ✓: green. */
  good(text: string): string;
  /** A failure, a ✗: red. */
  bad(text: string): string;
  /** A warning, a 429: yellow. */
  warn(text: string): string;
  /** Secondary text (legends, `n/a`): dim. */
  dim(text: string): string;
  /** Headings and the verdict: bold. */
  bold(text: string): string;
}

const same = (text: string) => text;

/**
 * No marks at all: what scripts, files and `--quiet` pipelines read.
 *
 * @example
 * PLAIN_STYLE.good('✓') // '✓'
 */
export const PLAIN_STYLE: TextStyle = {
  colour: false,
  good: same,
  bad: same,
  warn: same,
  dim: same,
  bold: same,
};

const sgr = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

/**
 * ANSI colours (SGR 32/31/33, dim 2, bold 1), each closed by its own reset so marks nest.
 *
 * @example
 * ANSI_STYLE.bad('✗') // '\u001b[31m✗\u001b[39m'
 */
export const ANSI_STYLE: TextStyle = {
  colour: true,
  good: sgr(32, 39),
  bad: sgr(31, 39),
  warn: sgr(33, 39),
  dim: sgr(2, 22),
  bold: sgr(1, 22),
};

/**
 * Whether to colour `stream`: `FORCE_COLOR` set to anything but `0`/`false` says yes and
 * `FORCE_COLOR=0` no (it wins, as in Node); else a non-empty `NO_COLOR` says no; else a
 * terminal (`isTTY`) that is not `TERM=dumb` says yes, and anything else no.
 *
 * @example
 * wantsColour(process.stdout, process.env) // false when piped: `nexus-harness run smoke | tee log`
 */
export function wantsColour(stream: Pick<CliStream, 'isTTY'>, env: NodeJS.ProcessEnv): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/**
 * The style for `stream`: {@link ANSI_STYLE} when {@link wantsColour}, else {@link PLAIN_STYLE}.
 *
 * @example
 * ctx.stdout.write(formatRunSummary(result, path, { style: styleFor(ctx.stdout, ctx.env) }));
 */
export function styleFor(stream: Pick<CliStream, 'isTTY'>, env: NodeJS.ProcessEnv): TextStyle {
  return wantsColour(stream, env) ? ANSI_STYLE : PLAIN_STYLE;
}
