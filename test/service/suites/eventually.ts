/**
 * Retries `check` until it passes or `timeoutMs` runs out (then throws its last error): for
 * TTL expiry on a real clock, without asserting on how long it took.
 *
 * @example
 * await eventually(async () => expect(await cache.get('short')).toBeUndefined());
 */
export async function eventually(check: () => Promise<void>, timeoutMs = 5_000, everyMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }
}
