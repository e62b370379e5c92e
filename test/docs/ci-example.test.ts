/**
 * The example CI workflow (docs/examples/github-actions.yml) does what it says: every step
 * with a `run` script that calls nexus-harness is run here, in order, in an empty project
 * folder, with `npx nexus-harness` the CLI from this checkout (through tsx) and the performance
 * gate shortened to 2 s. The mock's fixed port is swapped for a free one. The baseline the
 * compare step reads is the gate's own result, so the compare must pass; the step summary
 * must get the run's Markdown and the comparison; the reports must be where the artifact
 * step uploads them from. Loopback only; each step is bounded in time.
 */
import { spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = resolve(import.meta.dirname, '../..');
const WORKFLOW = join(ROOT, 'docs/examples/github-actions.yml');
const STEP_TIMEOUT_MS = 60_000;

interface Step {
  name?: string;
  run?: string;
  uses?: string;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

function bash(
  script: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolveRun) => {
    const child = spawn('bash', ['-eo', 'pipefail', '-c', script], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), STEP_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, output });
    });
  });
}

const work = mkdtempSync(join(tmpdir(), 'nh-ci-example-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the example CI workflow', () => {
  it('runs its gate, compare, contract verification and leaves the reports and the step summary', async () => {
    const workflow = parse(readFileSync(WORKFLOW, 'utf8')) as { jobs: Record<string, { steps: Step[] }> };
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    const ours = steps.filter((s) => s.run?.includes('npx nexus-harness'));
    expect(ours.map((s) => s.name)).toEqual([
      'Performance gate',
      'Compare with the baseline',
      'Contract verification',
    ]);
    expect(steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))).toBeDefined();

    // `npx nexus-harness` is this checkout's CLI, from source.
    const bin = join(work, 'bin');
    mkdirSync(bin);
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    writeFileSync(
      join(bin, 'npx'),
      `#!/usr/bin/env bash\n[ "$1" = nexus-harness ] || { echo "npx $1: not in this test" >&2; exit 127; }\nshift\nexec "${process.execPath}" --import "${tsx}" "${join(ROOT, 'harness/cli/main.ts')}" "$@"\n`,
    );
    chmodSync(join(bin, 'npx'), 0o755);
    const project = join(work, 'project');
    mkdirSync(project);
    const summary = join(work, 'step-summary.md');
    writeFileSync(summary, '');
    const port = await freePort();
    const env = {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      GITHUB_STEP_SUMMARY: summary,
      PACT_DO_NOT_TRACK: 'true',
      NEXUS_API_KEY: '',
      CI: 'true',
    };

    for (const step of ours) {
      let script = step.run!.replaceAll('4010', String(port));
      if (step.name === 'Performance gate') script = script.replace('run steady', 'run steady --duration 2s');
      const ran = await bash(script, project, env);
      expect(ran.code, `${step.name}:\n${ran.output}`).toBe(0);
      if (step.name === 'Performance gate') {
        // The baseline the next step compares against: this very run.
        mkdirSync(join(project, 'perf'));
        copyFileSync(join(project, 'reports/out/ci/result.json'), join(project, 'perf/baseline.json'));
      }
      if (step.name === 'Contract verification')
        expect(ran.output).toMatch(/Verification passed: \d+ interaction/);
    }

    for (const file of ['result.json', 'summary.md', 'junit.xml', 'report.html']) {
      expect(existsSync(join(project, 'reports/out/ci', file)), file).toBe(true);
    }
    const written = readFileSync(summary, 'utf8');
    expect(written).toMatch(/nexus-harness: `steady`/);
    expect(written).toMatch(/op_duration/);
    expect(written).toMatch(/^## nexus-harness compare$/m);
  }, 180_000);
});
