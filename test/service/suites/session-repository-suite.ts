import { afterEach, describe, expect, it } from 'vitest';
import { isStoreError } from '../../../harness/service/store-errors.js';
import type { SessionRepository } from '../../../harness/service/types.js';
import { eventually } from './eventually.js';

/**
 * How a suite gets a fresh, empty repository; `ttlMs` shortens the 24 h TTL for expiry tests.
 * (That replacing a session restarts its TTL is each implementation's own test: on a fake
 * clock in memory, by PTTL in Redis, since on a real clock it could only be timed.)
 */
export type MakeSessionRepository = (options?: { ttlMs?: number }) => Promise<SessionRepository>;

/**
 * The {@link SessionRepository} contract (the guide's create / find / update / delete), run
 * against each implementation.
 *
 * @example
 * describe('memory', () => sessionRepositorySuite(async (o) => createMemorySessionRepository(o)));
 */
export function sessionRepositorySuite(make: MakeSessionRepository): void {
  const open: SessionRepository[] = [];
  const fresh = async (options?: { ttlMs?: number }) => {
    const repo = await make(options);
    open.push(repo);
    return repo;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((r) => r.close()));
  });

  describe('SessionRepository contract', () => {
    it('finds nothing for a user never kept', async () => {
      const repo = await fresh();
      expect(await repo.get('nobody')).toBeNull();
    });

    it('keeps, replaces and deletes a user’s session, one user at a time', async () => {
      const repo = await fresh();
      await repo.set('u1', 's1');
      await repo.set('u2', 's2');
      expect(await repo.get('u1')).toBe('s1');
      await repo.set('u1', 's1b');
      expect(await repo.get('u1')).toBe('s1b');
      await repo.delete('u1');
      await repo.delete('never-kept');
      expect(await repo.get('u1')).toBeNull();
      expect(await repo.get('u2')).toBe('s2');
    });

    it('takes any user id as it is (colons, globs, unicode)', async () => {
      const repo = await fresh();
      const ids = ['a:b', '*', 'ü?[x]', ''];
      for (const [i, id] of ids.entries()) await repo.set(id, `s${i}`);
      for (const [i, id] of ids.entries()) expect(await repo.get(id)).toBe(`s${i}`);
    });

    it('forgets a session after its TTL', async () => {
      const repo = await fresh({ ttlMs: 30 });
      await repo.set('u1', 's1');
      await eventually(async () => expect(await repo.get('u1')).toBeNull());
    });

    it('refuses a ttlMs that is not a positive integer, naming it and its value', async () => {
      for (const bad of [0, -1, 1.5, Number.NaN]) {
        await expect(fresh({ ttlMs: bad })).rejects.toThrow(
          new RegExp(`ttlMs must be a positive integer, got ${bad}`),
        );
      }
    });

    it('refuses calls after close, with a store error', async () => {
      const repo = await fresh();
      await repo.close();
      const err = await repo.get('u1').catch((e: unknown) => e);
      expect(isStoreError(err)).toBe(true);
    });
  });
}
