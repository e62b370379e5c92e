/**
 * A cache value as both caches keep it: its JSON text. The in-memory cache stores the text
 * too, not the object, so both behave alike (a value changed after `set` does not change the
 * cache; a `Date` comes back as a string) and a cached `null`, `0` or `''` is a hit.
 *
 * @example
 * encodeCacheValue('user:u1', { name: 'Ada' }); // '{"name":"Ada"}'
 */
export function encodeCacheValue(key: string, value: unknown): string {
  const text = JSON.stringify(value);
  // JSON.stringify gives undefined for undefined, functions and symbols: nothing to store.
  if (text === undefined) {
    throw new TypeError(`Failed to cache ${JSON.stringify(key)}: the value is not JSON (${typeof value}).`);
  }
  return text;
}

/**
 * The value of a JSON text {@link encodeCacheValue} made.
 *
 * @example
 * decodeCacheValue<{ name: string }>('{"name":"Ada"}').name; // 'Ada'
 */
export function decodeCacheValue<T>(text: string): T {
  return JSON.parse(text) as T;
}
