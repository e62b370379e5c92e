import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './test/support/sequencer.js';

export default defineConfig({
  test: {
    exclude: ['node_modules/**', 'dist/**'],
    // Integration tests start real servers on loopback; keep the 2-core machine unhurried.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // vitest's default for `run` is one worker less than the cores: on this 2-core machine, one
    // fork, every file in turn. Most files here wait on sockets and timers rather than compute,
    // so two forks share the two cores well.
    maxWorkers: 2,
    // Longest files first, whatever their project, with or without a results cache (a fresh
    // clone has none): see test/support/sequencer.ts.
    sequence: { sequencer: LongestFirstSequencer },
    // Pact's telemetry would try to reach google-analytics.com; the harness sends nothing off loopback.
    env: { PACT_DO_NOT_TRACK: 'true' },
    projects: [
      {
        // The unit tests beside the code: no child processes, no signal handlers, no module
        // mocks, no process.env writes, fake timers restored after each test. They share one
        // module graph per worker instead of loading the harness afresh for each of ~75 files
        // (isolation cost them a quarter of their time). A unit test that must change global
        // state and cannot undo it belongs under test/, which stays isolated.
        extends: true,
        test: {
          name: 'unit',
          include: ['harness/**/*.test.ts', 'scenarios/**/*.test.ts', 'mock-server/**/*.test.ts'],
          isolate: false,
        },
      },
      {
        // The integration tests: real servers on loopback, child processes, the CLI in process.
        // They too share a module graph per worker (isolation cost ~13 s of module loading per
        // run): each test closes what it opens (servers, MSW, clients) and restores what it
        // changes. Pact's native core stays in the isolated contracts project below.
        extends: true,
        test: {
          name: 'main',
          include: ['test/**/*.test.ts'],
          exclude: ['node_modules/**', 'dist/**', 'test/contracts/**'],
          isolate: false,
        },
      },
      {
        // Pact: two writers of one pact file corrupt it. No contract file writes the committed
        // pact (contracts/pacts): the consumer test and every `contracts test` write into a
        // temporary directory of their own, and the verifier runs in a child process per
        // verification against a provider on a port of its own. So the files run side by side,
        // as the main project's do, each in a fork of its own (Pact's native core included).
        // A new file that writes a shared pact file must get a project with fileParallelism: false.
        extends: true,
        test: {
          name: 'contracts',
          include: ['contracts/**/*.test.ts', 'test/contracts/**/*.test.ts'],
        },
      },
    ],
  },
});
