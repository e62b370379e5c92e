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
import { connect, createServer } from 'node:net';
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

/** Whether something accepts connections on 127.0.0.1:port, asked for up to 2 s (a stopping mock closes within it). */
async function listening(port: number): Promise<boolean> {
  for (let i = 0; i < 20; i++) {
    const open = await new Promise<boolean>((resolveOpen) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolveOpen(true);
      });
      socket.once('error', () => resolveOpen(false));
    });
    if (!open) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/**
 * Runs `script` with bash -e in a process group of its own. `stopGroup` kills whatever the
 * script left behind (a mock it started and did not stop), after the caller has looked.
 */
function bash(
  script: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; output: string; stopGroup: () => void }> {
  return new Promise((resolveRun) => {
    const child = spawn('bash', ['-eo', 'pipefail', '-c', script], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const stopGroup = () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is gone already
      }
    };
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    const timer = setTimeout(stopGroup, STEP_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolveRun({ code, output, stopGroup });
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

    // `npx nexus-harness` and `./node_modules/.bin/nexus-harness` are this checkout's CLI, from
    // source. The bin execs node, as npm's link to a `#!/usr/bin/env node` file does; npx stays a
    // process of its own in between, as npm exec does, so a step that kills what it started
    // through npx would leave the mock behind, and the check below would see it.
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const cli = `"${process.execPath}" --import "${tsx}" "${join(ROOT, 'harness/cli/main.ts')}"`;
    const project = join(work, 'project');
    const projectBin = join(project, 'node_modules/.bin');
    mkdirSync(projectBin, { recursive: true });
    writeFileSync(join(projectBin, 'nexus-harness'), `#!/usr/bin/env bash\nexec ${cli} "$@"\n`);
    chmodSync(join(projectBin, 'nexus-harness'), 0o755);
    const bin = join(work, 'bin');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'npx'),
      `#!/usr/bin/env bash\n[ "$1" = nexus-harness ] || { echo "npx $1: not in this test" >&2; exit 127; }\nshift\n${cli} "$@"\n`,
    );
    chmodSync(join(bin, 'npx'), 0o755);
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
      try {
        expect(ran.code, `${step.name}:\n${ran.output}`).toBe(0);
        if (step.name === 'Performance gate') {
          // The baseline the next step compares against: this very run.
          mkdirSync(join(project, 'perf'));
          copyFileSync(join(project, 'reports/out/ci/result.json'), join(project, 'perf/baseline.json'));
        }
        if (step.name === 'Contract verification') {
          expect(ran.output).toMatch(/Verification passed: \d+ interaction/);
          // The step stopped the mock it started: nothing listens on its port any more.
          expect(await listening(port), 'the mock outlived its step').toBe(false);
        }
      } finally {
        ran.stopGroup();
      }
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
