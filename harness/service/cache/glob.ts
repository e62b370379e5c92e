/**
 * The cache's invalidation globs: `*` any run of characters, `?` one, everything else itself
 * (`[`, `]` and `\` included, which Redis's MATCH would read as a class or an escape). Both
 * caches match the same keys: Redis matches bytes, so the in-memory match works on the
 * UTF-8 bytes too (a `?` is one byte there as well).
 */

/** Redis MATCH's special characters. */
const REDIS_SPECIAL = /[*?[\]\\]/g;
/** Redis MATCH's special characters but the two a cache glob keeps. */
const REDIS_CLASS_OR_ESCAPE = /[[\]\\]/g;

/**
 * The Redis `SCAN … MATCH` pattern for keys under `prefix` matching `glob`: the prefix is
 * taken literally, the glob keeps only `*` and `?`.
 *
 * @example
 * redisMatchPattern('nexus:cache:', 'session:*'); // 'nexus:cache:session:*'
 * redisMatchPattern('a[1]:', 'x[y]*');            // 'a\\[1\\]:x\\[y\\]*'
 */
export function redisMatchPattern(prefix: string, glob: string): string {
  return prefix.replace(REDIS_SPECIAL, '\\$&') + glob.replace(REDIS_CLASS_OR_ESCAPE, '\\$&');
}

/** Any of a RegExp's special characters. */
const REGEXP_SPECIAL = /[.*+?^${}()|[\]\\/-]/g;

/**
 * A test for keys matching `glob` as Redis would match them (bytes, not characters).
 *
 * @example
 * const matches = globMatcher('session:*');
 * matches('session:u1'); // true
 * matches('user:u1');    // false
 */
export function globMatcher(glob: string): (key: string) => boolean {
  let source = '';
  for (const ch of toBytes(glob)) {
    if (ch === '*') source += '[\\s\\S]*';
    else if (ch === '?') source += '[\\s\\S]';
    else source += ch.replace(REGEXP_SPECIAL, '\\$&');
  }
  const re = new RegExp(`^${source}$`);
  return (key) => re.test(toBytes(key));
}

/** A string's UTF-8 bytes, one character (U+0000-U+00FF) per byte. */
function toBytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}
