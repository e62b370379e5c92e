/**
 * The cache's invalidation globs: `*` any run of characters, `?` one byte, `\` makes the next
 * character itself (`\*`, `\?`, `\\`), everything else itself (`[` and `]` included, which
 * Redis's MATCH would read as a class). Both caches match the same keys: Redis matches bytes,
 * so the in-memory match works on the UTF-8 bytes too (a `?` is one byte there as well).
 *
 * The escape is what lets a caller put a user id in a pattern: without it a user named `*`
 * would reach every user's keys. {@link escapeGlob} does it.
 */

/** Redis MATCH's special characters. */
const REDIS_SPECIAL = /[*?[\]\\]/g;
/** The characters a cache glob keeps special. */
const GLOB_SPECIAL = /[*?\\]/g;

/**
 * `text` as a glob that matches exactly `text`: its `*`, `?` and `\` escaped.
 *
 * @example
 * escapeGlob('a*b');                                      // 'a\\*b'
 * await cache.invalidate(`message:${escapeGlob(userId)}:*`); // only this user's, whatever the id
 */
export function escapeGlob(text: string): string {
  return text.replace(GLOB_SPECIAL, '\\$&');
}

/**
 * The Redis `SCAN … MATCH` pattern for keys under `prefix` matching `glob`: the prefix is
 * taken literally, the glob keeps its `*`, `?` and escapes, and its `[` and `]` are escaped.
 *
 * @example
 * redisMatchPattern('nexus:cache:', 'session:*'); // 'nexus:cache:session:*'
 * redisMatchPattern('a[1]:', 'x[y]\\**');         // 'a\\[1\\]:x\\[y\\]\\**'
 */
export function redisMatchPattern(prefix: string, glob: string): string {
  let pattern = prefix.replace(REDIS_SPECIAL, '\\$&');
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '\\') {
      // An escape and what it escapes pass as they are; a trailing one is a literal `\`.
      const next = glob[i + 1];
      pattern += next === undefined ? '\\\\' : `\\${next}`;
      i++;
    } else if (ch === '[' || ch === ']') pattern += `\\${ch}`;
    else pattern += ch;
  }
  return pattern;
}

/** A `*` of a parsed glob. */
const ANY = Symbol('any run');
/** A `?` of a parsed glob. */
const ONE = Symbol('one byte');
/** A parsed glob: one literal byte (as a U+0000-U+00FF character), `*` or `?` per element. */
type GlobToken = string | typeof ANY | typeof ONE;

/**
 * A test for keys matching `glob` as Redis would match them (bytes, not characters). Linear
 * in the key for each `*` (no regular expression: `*a*a*a*…b` backtracked for seconds on a
 * 40-character key, over every key of the cache).
 *
 * @example
 * const matches = globMatcher('session:*');
 * matches('session:u1'); // true
 * matches('user:u1');    // false
 */
export function globMatcher(glob: string): (key: string) => boolean {
  const tokens = parseGlob(toBytes(glob));
  return (key) => matchTokens(tokens, toBytes(key));
}

function parseGlob(bytes: string): GlobToken[] {
  const tokens: GlobToken[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const ch = bytes[i]!;
    if (ch === '\\' && i + 1 < bytes.length) tokens.push(bytes[++i]!);
    else if (ch === '*') {
      // Runs of `*` are one `*`: same keys, less work.
      if (tokens.at(-1) !== ANY) tokens.push(ANY);
    } else if (ch === '?') tokens.push(ONE);
    else tokens.push(ch);
  }
  return tokens;
}

/**
 * The classic wildcard walk: on a mismatch, go back to the last `*` and let it take one more
 * byte. Only the last `*` is ever revisited, so the work is at most key length × glob length.
 */
function matchTokens(tokens: readonly GlobToken[], key: string): boolean {
  let t = 0;
  let k = 0;
  let star = -1;
  let starKey = 0;
  while (k < key.length) {
    const token = tokens[t];
    if (token === ANY) {
      star = t++;
      starKey = k;
    } else if (token !== undefined && (token === ONE || token === key[k])) {
      t++;
      k++;
    } else if (star !== -1) {
      t = star + 1;
      k = ++starKey;
    } else return false;
  }
  while (tokens[t] === ANY) t++;
  return t === tokens.length;
}

/** A string's UTF-8 bytes, one character (U+0000-U+00FF) per byte. */
function toBytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}
