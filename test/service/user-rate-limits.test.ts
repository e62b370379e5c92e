import { describe } from 'vitest';
import { createMemoryUserRateLimits } from '../../harness/service/limits/memory-user-rate-limits.js';
import { createRedisUserRateLimits } from '../../harness/service/limits/redis-user-rate-limits.js';
import { redisBinary, useRedisServer, warnIfNoRedis } from './redis-fixture.js';
import { userRateLimitsSuite } from './suites/user-rate-limits-suite.js';

warnIfNoRedis('user-rate-limits');

describe('in-memory user limits', () => {
  userRateLimitsSuite(async (options) => createMemoryUserRateLimits(options));
});

describe.skipIf(redisBinary === null)('Redis user limits', () => {
  const redis = useRedisServer('limits');
  userRateLimitsSuite(async (options) =>
    createRedisUserRateLimits({ client: redis.client(), keyPrefix: redis.prefix(), ...options }),
  );
});
