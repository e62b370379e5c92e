import { statSync } from 'node:fs';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Files known to take longest (seconds, where they wait on child processes, real servers and
 * real time), longest first. Started first, two workers pack the run well: the short files
 * fill in around them at the end, instead of a long file starting last and holding the run
 * open alone. A file's place here is a guess that needs no cache (a fresh CI clone has none);
 * a stale entry only costs a little packing, never correctness.
 */
export const KNOWN_LONG = [
  'test/contracts/cli.test.ts',
  'test/security/secrets.test.ts',
  'test/contracts/loopback-only.test.ts',
  'test/package/packed-tarball.test.ts',
  'test/engine/run-keeps-its-word.test.ts',
  'test/cli/run-command.test.ts',
  'test/engine/rate-limit-storm.test.ts',
  'test/cli/run-out.test.ts',
  'test/contracts/provider-verification.test.ts',
  'test/client/redis-cluster.test.ts',
  'test/mock-server/parity.test.ts',
  'test/mock-server/slowloris.test.ts',
  'test/engine/coordinated-omission.test.ts',
  'test/engine/builtin-scenarios.test.ts',
];

/**
 * Orders the files of every project for a full run, longest work first:
 * 1. the {@link KNOWN_LONG} files, in that order;
 * 2. the other integration files (test/, the contract tests), longest first: by the last
 *    run's durations when the results cache has one for every file of the tier, else by file
 *    size (a rough proxy, but one every checkout has);
 * 3. the unit tests beside the code (project `unit`), likewise, kept together at the end so
 *    that each worker runs them in one reused runner.
 * BaseSequencer's own order groups files by project name first (contracts before main), which
 * on a cold cache started the slowest integration files halfway through the run.
 */
export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const cache = this.ctx.cache;
    const rel = (spec: TestSpecification) => relative(root, spec.moduleId).split('\\').join('/');
    const key = (spec: TestSpecification) => {
      const path = rel(spec);
      const known = KNOWN_LONG.indexOf(path);
      const tier = known !== -1 ? 0 : spec.project.name === 'unit' ? 2 : 1;
      const duration = cache.getFileTestResults(`${spec.project.name}:${path}`)?.duration;
      let size = 0;
      try {
        size = statSync(spec.moduleId).size;
      } catch {
        // A file that vanished sorts last in its tier; vitest reports it when it runs.
      }
      return { tier, known, duration, size, path };
    };
    const keys = new Map(files.map((spec) => [spec, key(spec)]));
    const timed = new Set(
      [1, 2].filter((tier) => [...keys.values()].every((k) => k.tier !== tier || k.duration !== undefined)),
    );
    return [...files].sort((a, b) => {
      const ka = keys.get(a)!;
      const kb = keys.get(b)!;
      if (ka.tier !== kb.tier) return ka.tier - kb.tier;
      if (ka.tier === 0) return ka.known - kb.known;
      if (timed.has(ka.tier) && ka.duration !== kb.duration) return kb.duration! - ka.duration!;
      if (ka.size !== kb.size) return kb.size - ka.size;
      return ka.path < kb.path ? -1 : ka.path > kb.path ? 1 : 0;
    });
  }
}
