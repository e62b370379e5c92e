/**
 * The Job's contract with `run --segments` and `merge`, end to end on loopback: the very
 * `command` and `args` that `nexus-harness k8s job` writes, with `$(JOB_COMPLETION_INDEX)`
 * expanded as Kubernetes expands it and /results mapped to a temporary folder, run as two
 * "pods" against a local mock; their result.json files merge into one run of the scenario's
 * demand. (The N = 3 acceptance simulation with its own flags is test/runners/workers/.)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { RunResult } from '../../../harness/engine/result/types.js';
import { startMockServer } from '../../../mock-server/http/server.js';
import { runCliInProcess as cli } from '../../support/cli.js';
import type { Parsed } from './schemas.js';

const tmp = mkdtempSync(join(tmpdir(), 'nh-k8s-contract-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/**
 * A container argument as the kubelet expands it: `$(NAME)` becomes the variable's value when
 * the container's environment defines it (else it stays as written), and `$$` is a literal `$`.
 */
function expandLikeKubernetes(arg: string, env: Record<string, string>): string {
  return arg.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (match, name: string | undefined) =>
    match === '$$' ? '$' : name !== undefined && Object.hasOwn(env, name) ? env[name]! : match,
  );
}

/** A counter's total over every tag set. */
const total = (result: RunResult, metric: string): number =>
  (result.metrics[metric]?.values ?? []).reduce(
    (n, v) => n + ((v.stats as { count?: number }).count ?? 0),
    0,
  );

describe('the k8s job manifest, run as its pods would run it', () => {
  it('expands the way Kubernetes does', () => {
    const env = { JOB_COMPLETION_INDEX: '2' };
    expect(expandLikeKubernetes('/results/$(JOB_COMPLETION_INDEX)', env)).toBe('/results/2');
    expect(expandLikeKubernetes('$$(JOB_COMPLETION_INDEX)', env)).toBe('$(JOB_COMPLETION_INDEX)');
    expect(expandLikeKubernetes('$(UNSET)', env)).toBe('$(UNSET)');
  });

  it("two pods' commands write /results/0 and /results/1, and merge joins them into the scenario's demand", async () => {
    const mock = await startMockServer({ config: { limits: false } });
    const results = join(tmp, 'results');
    try {
      const written = await cli([
        'k8s',
        'job',
        'steady',
        '--parallelism',
        '2',
        '--base-url',
        mock.url,
        '--duration',
        '1s',
        '--rate',
        '10',
      ]);
      expect(written.code, written.stderr).toBe(0);
      const job = parseAllDocuments(written.stdout)
        .map((d) => d.toJS() as Parsed)
        .find((d) => d.kind === 'Job')!;
      const container = job.spec.template.spec.containers[0];
      expect(container.command).toEqual(['nexus-harness']);
      for (const index of [0, 1]) {
        // The Job controller's variable, and the Secret's key as the kubelet would set it.
        const env = { JOB_COMPLETION_INDEX: String(index), NEXUS_API_KEY: 'nexus-mock-key' };
        const args = (container.args as string[])
          .map((a) => expandLikeKubernetes(a, env))
          .map((a) => (a.startsWith('/results/') ? join(results, a.slice('/results/'.length)) : a));
        const pod = await cli([...args, '--quiet'], { env });
        expect(pod.code, `${pod.stdout}\n${pod.stderr}`).toBe(0);
      }
    } finally {
      await mock.close();
    }
    const merged = join(tmp, 'merged.json');
    const merge = await cli([
      'merge',
      join(results, '0', 'result.json'),
      join(results, '1', 'result.json'),
      '-o',
      merged,
    ]);
    expect(merge.code, `${merge.stdout}\n${merge.stderr}`).toBe(0);
    const result = JSON.parse(readFileSync(merged, 'utf8')) as RunResult;
    // steady at 10/s for 1 s: ten iterations in all, striped over the two pods.
    expect((result.completion as { demanded: number }).demanded).toBe(10);
    expect(total(result, 'iterations')).toBe(10);
  }, 60_000);
});
