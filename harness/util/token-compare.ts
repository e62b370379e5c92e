import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether `given` equals `expected`, in time that does not depend on where they differ or on
 * their lengths: both are hashed first (SHA-256, 32 bytes each), so `timingSafeEqual` always
 * compares equal-length buffers and a length mismatch leaks nothing either.
 *
 * @example
 * if (!tokensEqual(request.headers['x-admin-token'], adminToken)) return reply.code(401).send();
 */
export function tokensEqual(given: unknown, expected: string): boolean {
  if (typeof given !== 'string') return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
