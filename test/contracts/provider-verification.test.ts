import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { formatVerificationReport } from '../../contracts/provider/verification-report.js';
import { verifyProvider } from '../../contracts/provider/verify-provider.js';
import { type RunningMockServer, startMockServer } from '../../mock-server/http/server.js';

/**
 * Provider verification of the mock's HTTP face against the committed pact (contracts/pacts),
 * with provider states set through the mock's admin API: the mock cannot drift from what the
 * client relies on without this failing (and so CI failing).
 */

const pactDir = fileURLToPath(new URL('../../contracts/pacts', import.meta.url));

describe('the mock server verified against the consumer pact', () => {
  let mock: RunningMockServer | undefined;

  afterEach(async () => {
    await mock?.close();
    mock = undefined;
  });

  it('honours every interaction, with provider states through the admin API', async () => {
    mock = await startMockServer({ port: 0, config: { seed: 3 } });
    const report = await verifyProvider({ providerUrl: mock.url, pactDir });
    expect(report.states).toBe('admin');
    expect(report.interactions.filter((i) => !i.ok)).toEqual([]);
    expect(report.interactions.length).toBeGreaterThanOrEqual(16);
    expect(report.passed).toBe(true);
  });

  it('restores the configuration the mock had before verification', async () => {
    mock = await startMockServer({
      port: 0,
      config: {
        seed: 3,
        retryAfterHeader: false,
        faults: [{ type: 'latency', delay: { type: 'fixed', ms: 1 } }],
      },
    });
    const before = await (await fetch(`${mock.origin}/__admin/config`)).json();
    const report = await verifyProvider({ providerUrl: mock.origin, pactDir });
    expect(report.passed).toBe(true);
    expect(await (await fetch(`${mock.origin}/__admin/config`)).json()).toEqual(before);
  });

  it('fails, naming the interaction, when the mock renames a response field (contractDrift)', async () => {
    mock = await startMockServer({
      port: 0,
      config: { contractDrift: { route: 'getThread', renameField: { from: 'status', to: 'state' } } },
    });
    const report = await verifyProvider({ providerUrl: mock.url, pactDir });
    expect(report.passed).toBe(false);
    const failed = report.interactions.filter((i) => !i.ok);
    expect(failed.map((i) => i.description).sort()).toEqual([
      'a request to get an ACTIVE thread',
      'a request to get an EXPIRED thread',
    ]);
    expect(failed[0]!.problems.join('\n')).toContain('status');
    const text = formatVerificationReport(report);
    expect(text).toContain('FAIL  a request to get an ACTIVE thread');
    expect(text).toMatch(/Verification FAILED: 2 of \d+ interaction\(s\) failed: "a request to get an/);
  });

  it('fails, naming the interaction, when the mock answers with another status (contractDrift)', async () => {
    mock = await startMockServer({
      port: 0,
      config: { contractDrift: { route: 'createThread', status: 201 } },
    });
    const report = await verifyProvider({ providerUrl: mock.url, pactDir });
    expect(report.passed).toBe(false);
    expect(
      report.interactions
        .filter((i) => !i.ok)
        .map((i) => i.description)
        .sort(),
    ).toEqual([
      'a request to create a thread with a first message',
      'a request to create a thread without a first message',
    ]);
    expect(formatVerificationReport(report)).toContain(
      'FAIL  a request to create a thread without a first message',
    );
  });
});
