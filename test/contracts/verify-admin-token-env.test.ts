import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyProvider } from '../../contracts/provider/verify-provider.js';
import { ADMIN_TOKEN_ENV } from '../../mock-server/core/admin-token.js';
import { type RunningMockServer, startMockServer } from '../../mock-server/http/server.js';

/**
 * `verifyProvider({ env })`: the mock's admin token is read from the env passed, not from
 * `process.env` (which here has no token), both by the parent (is it a harness mock? its
 * configuration) and by the verifier child (the provider states).
 */

const pactDir = fileURLToPath(new URL('../../contracts/pacts', import.meta.url));
const TOKEN = 'admin-token-only-in-the-passed-env';

describe('verifyProvider and a mock with an admin token', () => {
  let mock: RunningMockServer | undefined;

  afterEach(async () => {
    await mock?.close();
    mock = undefined;
  });

  it('sets provider states with the admin token given only in options.env', async () => {
    expect(process.env[ADMIN_TOKEN_ENV]).toBeUndefined();
    mock = await startMockServer({ port: 0, config: { seed: 3 }, adminToken: TOKEN });
    // The admin API refuses a request without the token.
    expect((await fetch(`${mock.origin}/__admin/config`)).status).toBe(401);
    const chunks: string[] = [];
    const sink = { write: (chunk: string | Uint8Array) => chunks.push(String(chunk)) > 0 };
    const report = await verifyProvider({
      providerUrl: mock.url,
      pactDir,
      states: 'admin',
      env: { [ADMIN_TOKEN_ENV]: TOKEN },
      stdout: sink as unknown as NodeJS.WritableStream,
      stderr: sink as unknown as NodeJS.WritableStream,
    });
    expect(report.states).toBe('admin');
    expect(report.interactions.filter((i) => !i.ok)).toEqual([]);
    expect(report.passed).toBe(true);
    expect(chunks.join('')).not.toContain(TOKEN);
  });
});
