import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from './exit-codes.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from source as a user would through `npm run cli`, with no stdin. */
function runCli(...args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', 'harness/cli/main.ts', ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('nexus-harness CLI', () => {
  it('prints the package version with --version and exits 0', async () => {
    const run = await runCli('--version');
    expect(run.stdout.trim()).toBe(pkg.version);
    expect(run.code).toBe(EXIT_CODES.OK);
  });

  it('prints usage, options and the exit codes with --help and exits 0', async () => {
    const run = await runCli('--help');
    expect(run.stdout).toContain('nexus-harness <command> [options]');
    expect(run.stdout).toContain('--version');
    expect(run.stdout).toContain('Exit codes:');
    expect(run.code).toBe(EXIT_CODES.OK);
  });

  it('rejects an unknown command with exit 2 and says what is allowed', async () => {
    const run = await runCli('no-such-command');
    expect(run.stderr).toContain('no-such-command');
    expect(run.stderr).toContain("Run 'nexus-harness --help'");
    expect(run.code).toBe(EXIT_CODES.USAGE);
  });

  it('rejects a missing command with exit 2', async () => {
    const run = await runCli();
    expect(run.stderr).toContain('Name a command.');
    expect(run.code).toBe(EXIT_CODES.USAGE);
  });
});
