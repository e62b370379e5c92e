import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../harness/cli/exit-codes.js';
import { startEchoProvider } from '../fixtures/echo-provider/echo-provider.js';
import { runCliInProcess as cli } from '../support/cli.js';

/**
 * `contracts verify` against a provider that echoes the API key in its bodies and headers:
 * Pact's native verifier quotes those bodies on fd 1, so the harness must redact its output
 * (it runs the verifier in a child process and passes its stdout/stderr through the redactor).
 * The report and the exit code still work. In process: the verifier's child output reaches
 * the invocation's own streams through that redactor, so what is captured here is all it printed.
 */

const SECRET = `nx_live_${randomBytes(20).toString('hex')}`;

const runCli = (args: string[], env: NodeJS.ProcessEnv) => cli(args, { env });

describe('contracts verify redacts what the provider echoes', () => {
  it('prints no NEXUS_API_KEY although every body quotes it; fails with exit 1 and a FAIL report', async () => {
    const echo = await startEchoProvider();
    try {
      const out = await runCli(['contracts', 'verify', '--provider-url', echo.url, '--states', 'none'], {
        NEXUS_API_KEY: SECRET,
      });
      const all = out.stdout + out.stderr;
      // The provider did get the key (so Pact had it to print) ...
      expect(echo.hits.length).toBeGreaterThanOrEqual(16);
      // ... and the output shows the redaction, never the key.
      expect(all.split(SECRET).length - 1).toBe(0);
      expect(all).toContain('[redacted]');
      expect(out.stdout).toMatch(/FAIL {2}a request to create a thread/);
      expect(out.stdout).toMatch(/Verification FAILED: \d+ of \d+ interaction\(s\) failed/);
      expect(out.code).toBe(EXIT_CODES.UNEXPECTED);
    } finally {
      await echo.close();
    }
  }, 120_000);
});
