import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    exclude: ['node_modules/**', 'dist/**'],
    // Integration tests start real servers on loopback; keep the 2-core machine unhurried.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Pact's telemetry would try to reach google-analytics.com; the harness sends nothing off loopback.
    env: { PACT_DO_NOT_TRACK: 'true' },
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: ['**/*.test.ts'],
          exclude: ['node_modules/**', 'dist/**', 'contracts/**', 'test/contracts/**'],
        },
      },
      {
        // Pact: two writers of one pact file corrupt it, and each file starts Pact's native mock
        // servers and verifier; so the contract files run one at a time, in one worker each.
        extends: true,
        test: {
          name: 'contracts',
          include: ['contracts/**/*.test.ts', 'test/contracts/**/*.test.ts'],
          fileParallelism: false,
        },
      },
    ],
  },
});
