import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**'],
    // Integration tests start real servers on loopback; keep the 2-core machine unhurried.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
