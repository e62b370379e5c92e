/**
 * A cache value as both caches keep it: its JSON text. The in-memory cache stores the text
 * too, not the object, so both behave alike (a value changed after `set` does not change the
 * cache; a `Date` comes back as a string) and a cached `null`, `0` or `''` is a hit.
 */

/**
 * The JSON text of a value to cache, or a TypeError naming the key and why it is not JSON
 * (undefined, a function or a symbol; a BigInt; a circular structure).
 *
 * @example
 * encodeCacheValue('user:u1', { name: 'Ada' }); // '{"name":"Ada"}'
 * encodeCacheValue('user:u1', 1n);              // throws: Failed to cache "user:u1": … BigInt …
 */
export function encodeCacheValue(key: string, value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new TypeError(`Failed to cache ${JSON.stringify(key)}: the value is not JSON (${why}).`, {
      cause: err,
    });
  }
  // JSON.stringify gives undefined for undefined, functions and symbols: nothing to store.
  if (text === undefined) {
    throw new TypeError(`Failed to cache ${JSON.stringify(key)}: the value is not JSON (${typeof value}).`);
  }
  return text;
}

/**
 * The value of a JSON text {@link encodeCacheValue} made, or a TypeError naming the key when
 * the text is not JSON (something else wrote the key in Redis).
 *
 * @example
 * decodeCacheValue<{ name: string }>('user:u1', '{"name":"Ada"}').name; // 'Ada'
 */
export function decodeCacheValue<T>(key: string, text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new TypeError(
      `Failed to read cache entry ${JSON.stringify(key)}: it is not JSON (${text.slice(0, 40)}…). Something other than the cache wrote it.`,
      { cause: err },
    );
  }
}
