import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeGlob, globMatcher, redisMatchPattern } from '../../harness/service/cache/glob.js';
import { redisBinary, useRedisServer, warnIfNoRedis } from './redis-fixture.js';

/**
 * The in-memory cache's glob matches exactly the keys Redis's SCAN MATCH does for the pattern
 * the Redis cache sends, for keys and globs over an alphabet of the characters that differ
 * between the two (classes, escapes, a two-byte character); and a key put in a glob with
 * escapeGlob matches itself only, in both.
 */

warnIfNoRedis('glob-agreement');

const alphabet = fc.constantFrom('a', 'b', ':', '*', '?', '[', ']', '\\', '^', '-', 'é');
const text = (max: number) => fc.array(alphabet, { maxLength: max }).map((cs) => cs.join(''));

describe.skipIf(redisBinary === null)('cache globs: memory and Redis agree', () => {
  const redis = useRedisServer('glob');

  it('on random keys and globs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(text(5), { minLength: 1, maxLength: 8 }),
        text(5),
        async (keys, glob) => {
          // A prefix with glob characters of its own, taken literally.
          const prefix = `${redis.prefix()}[*]?:`;
          const client = redis.client();
          await client.mset(...keys.flatMap((k) => [prefix + k, '1']));
          const [cursor, found] = await client.scan(
            '0',
            'MATCH',
            redisMatchPattern(prefix, glob),
            'COUNT',
            10_000,
          );
          expect(cursor).toBe('0');
          const byRedis = found.map((k) => k.slice(prefix.length)).sort();
          const inMemory = keys.filter(globMatcher(glob)).sort();
          expect(inMemory).toEqual(byRedis);
        },
      ),
      { numRuns: 200, seed: 12 },
    );
  });

  it('an escaped key matches only itself, in both', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(text(5), { minLength: 1, maxLength: 8 }), async (keys) => {
        const prefix = `${redis.prefix()}[*]?:`;
        const client = redis.client();
        await client.mset(...keys.flatMap((k) => [prefix + k, '1']));
        const target = keys[0]!;
        const glob = escapeGlob(target);
        const [, found] = await client.scan('0', 'MATCH', redisMatchPattern(prefix, glob), 'COUNT', 10_000);
        expect(found).toEqual([prefix + target]);
        expect(keys.filter(globMatcher(glob))).toEqual([target]);
      }),
      { numRuns: 100, seed: 12 },
    );
  });
});
