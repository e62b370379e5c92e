import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCliInProcess as runCli } from '../../test/support/cli.js';
import { EXIT_CODES } from './exit-codes.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

describe('nexus-harness CLI (in process, through runCli)', () => {
  it('prints the package version with --version and exits 0', async () => {
    const run = await runCli(['--version']);
    expect(run.stdout.trim()).toBe(pkg.version);
    expect(run.code).toBe(EXIT_CODES.OK);
  });

  it('prints usage, options and the exit codes with --help and exits 0', async () => {
    const run = await runCli(['--help']);
    expect(run.stdout).toContain('nexus-harness <command> [options]');
    expect(run.stdout).toContain('--version');
    expect(run.stdout).toContain('Exit codes:');
    for (const command of ['run <scenario>', 'list', 'validate <scenario>', 'mock', 'contracts'])
      expect(run.stdout).toContain(`nexus-harness ${command}`);
    expect(run.code).toBe(EXIT_CODES.OK);
  });

  it('rejects an unknown command with exit 2 and says what is allowed', async () => {
    const run = await runCli(['no-such-command']);
    expect(run.stderr).toContain('no-such-command');
    expect(run.stderr).toContain("Run 'nexus-harness --help'");
    expect(run.code).toBe(EXIT_CODES.USAGE);
  });

  it('rejects a missing command with exit 2', async () => {
    const run = await runCli([]);
    expect(run.stderr).toContain('Name a command.');
    expect(run.code).toBe(EXIT_CODES.USAGE);
  });

  it('redacts secrets of its own environment and flags, and no other invocation’s', async () => {
    const key = 'nx_live_0123456789abcdef';
    const withKey = await runCli(['mock', '--api-key', key, '--host', key]);
    expect(withKey.code).toBe(EXIT_CODES.USAGE);
    expect(withKey.stderr).toContain('[redacted]');
    expect(withKey.stderr).not.toContain(key);
    // Another invocation in the same process does not inherit that secret.
    const other = await runCli(['mock', '--host', key]);
    expect(other.stderr).toContain(key);
  });
});
