/**
 * Why things failed, counted per reason, with the number of distinct reasons bounded: error
 * messages carry ids and numbers, and a tag value (or a notice) per message would grow without
 * end. Reasons are normalised (long numbers and ids replaced) and cut to a length; past
 * `maxReasons` distinct ones, the rest count under {@link OTHER_REASON}.
 */

/** Where reasons beyond the bound are counted. */
export const OTHER_REASON = 'other (too many distinct reasons)';

/** Options of {@link createReasonTally}; all optional. */
export interface ReasonTallyOptions {
  /** Distinct reasons kept before the rest count as {@link OTHER_REASON}. Default 20. */
  maxReasons?: number;
  /** Longest reason kept, characters (longer ones end in `…`). Default 120. */
  maxLength?: number;
}

/**
 * A bounded count of reasons.
 *
 * @example
 * const tally = createReasonTally();
 * tally.add(reasonOf(err)); // 'NH_CLIENT_TIMEOUT: reply did not arrive in N ms'
 * tally.summary(3); // 'NH_CLIENT_TIMEOUT: … ×2; TypeError: … ×1'
 */
export interface ReasonTally {
  /** Counts `reason` (normalised) and returns the reason it was counted under. */
  add(reason: string): string;
  /** Reasons by count, most frequent first. */
  entries(): [reason: string, count: number][];
  total(): number;
  /** The `top` most frequent reasons as `reason ×n; …`, plus how many other reasons there were. */
  summary(top?: number): string;
}

/**
 * `String(value)`, or `[unprintable <constructor name>]` when that throws (an object without a
 * prototype, a `toString` that throws or returns an object). Never throws.
 *
 * @example
 * printable(Object.create(null)); // '[unprintable object]'
 * printable(Symbol('s')); // 'Symbol(s)'
 */
export function printable(value: unknown): string {
  try {
    return String(value);
  } catch {
    let name: unknown;
    try {
      name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    } catch {}
    return `[unprintable ${typeof name === 'string' && name !== '' ? name : typeof value}]`;
  }
}

/**
 * `code: message` of an error (its `code` if it has one, else its `name`), on one line; any
 * other thrown value as `thrown value: <String(value)>`. Never throws, whatever was thrown: it
 * runs where the iteration's failure is being counted, and an exception here would replace it.
 *
 * @example
 * reasonOf(new TypeError('x is undefined')); // 'TypeError: x is undefined'
 * reasonOf(Object.create(null)); // 'thrown value: [unprintable object]'
 */
export function reasonOf(err: unknown): string {
  if (err instanceof Error) {
    const read = (get: () => unknown): unknown => {
      try {
        return get();
      } catch {
        return undefined;
      }
    };
    const code = read(() => (err as { code?: unknown }).code);
    const name = read(() => err.name);
    const message = read(() => err.message);
    const label = typeof code === 'string' && code !== '' ? code : typeof name === 'string' ? name : 'Error';
    return `${label}: ${message === undefined ? '[unprintable message]' : printable(message)}`;
  }
  return `thrown value: ${printable(err)}`;
}

/** Ids and numbers made alike, so one failure with many ids is one reason. */
function normalise(reason: string, maxLength: number): string {
  const text = reason
    .replace(/\s+/g, ' ')
    .trim()
    // Tokens mixing letters and digits, 8+ long (thread and message ids, op ids, hashes).
    .replace(/\b(?=[A-Za-z0-9_.-]*\d)(?=[A-Za-z0-9_.-]*[A-Za-z])[A-Za-z0-9_.-]{8,}\b/g, '<id>')
    .replace(/\d{4,}/g, 'N');
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}

/**
 * Creates an empty {@link ReasonTally}.
 *
 * @example
 * const tally = createReasonTally({ maxReasons: 10 });
 */
export function createReasonTally(options: ReasonTallyOptions = {}): ReasonTally {
  const maxReasons = options.maxReasons ?? 20;
  const maxLength = options.maxLength ?? 120;
  const counts = new Map<string, number>();
  let total = 0;
  const entries = () => [...counts.entries()].sort((a, b) => b[1] - a[1]);
  return {
    add(reason) {
      let key = normalise(reason, maxLength);
      if (!counts.has(key) && counts.size >= maxReasons) key = OTHER_REASON;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      total++;
      return key;
    },
    entries,
    total: () => total,
    summary(top = 3) {
      const all = entries();
      const shown = all.slice(0, top).map(([reason, n]) => `${reason} ×${n}`);
      const rest = all.length - shown.length;
      return shown.join('; ') + (rest > 0 ? `; and ${rest} other reason(s)` : '');
    },
  };
}
