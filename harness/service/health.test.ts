import { describe, expect, it, vi } from 'vitest';
import type { NexusClient } from '../client/api.js';
import { NetworkError, NexusApiError } from '../client/errors.js';
import { createHealthCheck } from './health.js';

function clientWith(getSession: NexusClient['getSession']) {
  return { current: () => ({ getSession }) as unknown as NexusClient };
}

const okStore = { kind: 'memory', ping: async () => 'PONG' };

describe('health check', () => {
  it('is healthy when the API answers 404 for a random session and the store pings', async () => {
    const getSession = vi.fn(async () => {
      throw new NexusApiError('GET /thread/{id}', 404, {});
    });
    const report = await createHealthCheck({ clients: clientWith(getSession), store: okStore }).check();
    expect(report.status).toBe('healthy');
    expect(report.checks.api.healthy).toBe(true);
    expect(report.checks.store).toMatchObject({ kind: 'memory', healthy: true });
    expect(report.checks.api.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('is unhealthy with the reason when the key is refused or the API is unreachable', async () => {
    const refused = createHealthCheck({
      clients: clientWith(async () => {
        throw new NexusApiError('GET /thread/{id}', 401, { message: 'Invalid API key' });
      }),
      store: okStore,
    });
    const r1 = await refused.check();
    expect(r1.status).toBe('unhealthy');
    expect(r1.checks.api.error).toMatch(/401/);

    const down = createHealthCheck({
      clients: clientWith(async () => {
        throw new NetworkError('GET /thread/{id}', 'ECONNREFUSED', 'no');
      }),
      store: okStore,
    });
    expect((await down.check()).checks.api.error).toMatch(/ECONNREFUSED/);
  });

  it("says why in fixed words: never the API's own text, which reaches whoever asks /health", async () => {
    const leaky = createHealthCheck({
      clients: clientWith(async () => {
        throw new NexusApiError('GET /thread/{id}', 500, {
          message: '<html>stack trace at db-7.internal, token k-123</html>',
        });
      }),
      store: okStore,
    });
    const report = await leaky.check();
    expect(report.checks.api).toMatchObject({ healthy: false, error: 'GET /thread/{id}: status 500' });
  });

  it('bounds each check by its timeout, even one that ignores its signal', async () => {
    const health = createHealthCheck({
      clients: clientWith(() => new Promise(() => {})),
      store: { kind: 'redis', ping: () => new Promise(() => {}) },
      timeoutMs: 50,
    });
    const report = await health.check();
    expect(report.status).toBe('unhealthy');
    expect(report.checks.api.error).toMatch(/within 50 ms/);
    expect(report.checks.store).toMatchObject({ kind: 'redis', healthy: false });
  });
});
