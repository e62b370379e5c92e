/** `run --dashboard [PORT]`: what the flag accepts, and the mistakes refused before anything runs. */
import { describe, expect, it } from 'vitest';
import { parseDashboardFlag } from '../../harness/cli/commands/dashboard-flag.js';
import { reportsOfRun } from '../../harness/cli/run-dashboard.js';
import { runCliInProcess as cli } from '../support/cli.js';

describe('parseDashboardFlag', () => {
  it('takes no value (a free port) or a port', () => {
    expect(parseDashboardFlag('')).toBe(0);
    expect(parseDashboardFlag(true)).toBe(0);
    expect(parseDashboardFlag('8080')).toBe(8080);
    expect(parseDashboardFlag(' 0 ')).toBe(0);
  });

  it('refuses a host (it listens on loopback only) and a number that is no port', () => {
    expect(() => parseDashboardFlag('0.0.0.0:8080')).toThrow(
      "--dashboard takes a port, not a host: it listens on 127.0.0.1 only (got host 0.0.0.0). Got '0.0.0.0:8080'",
    );
    expect(() => parseDashboardFlag('smoke')).toThrow(/If that was the scenario, put it before --dashboard/);
    expect(() => parseDashboardFlag('70000')).toThrow(
      "--dashboard: expected a port from 1 to 65535, or none for a free one (got '70000')",
    );
    expect(() => parseDashboardFlag('-1')).toThrow(/expected a port/);
  });
});

describe('reportsOfRun', () => {
  it('adds html once when the run has a dashboard', () => {
    expect(reportsOfRun(undefined, false)).toBeUndefined();
    expect(reportsOfRun(['md'], false)).toEqual(['md']);
    expect(reportsOfRun(undefined, true)).toEqual(['html']);
    expect(reportsOfRun(['html', 'md'], true)).toEqual(['html', 'md']);
  });
});

describe('run --dashboard', () => {
  it('exits 2 before running with --no-out, or a host', async () => {
    const noOut = await cli(['run', 'smoke', '--no-out', '--dashboard']);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--dashboard leaves report.html beside result.json: drop --no-out');
    const host = await cli(['run', 'smoke', '--dashboard', '0.0.0.0:8080']);
    expect(host.code).toBe(2);
    expect(host.stderr).toContain('--dashboard takes a port, not a host');
  });

  it('--help describes it', async () => {
    const { code, stdout } = await cli(['run', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--dashboard');
    expect(stdout).toContain('Serve a live dashboard on 127.0.0.1 during the run');
    expect(stdout).toContain('run steady --dashboard');
  });
});
