/**
 * The MSW face's in-process handle: createMswMock's admin operations drive the same simulator
 * the handlers serve, and the handlers honour a base URL with a path prefix.
 */
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../harness/util/validation.js';
import { manualClock } from '../../mock-server/core/clock.js';
import { createSimulator } from '../../mock-server/core/simulator.js';
import { createMswHandlers, createMswMock } from '../../mock-server/msw/index.js';
import { expectError, send, T0 } from './client.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('createMswMock', () => {
  it('exposes url = baseUrl + /api/public and serves it', async () => {
    const mock = createMswMock({}, { baseUrl: 'http://nexus.test/', clock: manualClock(T0) });
    server.use(...mock.handlers);
    expect(mock.url).toBe('http://nexus.test/api/public');
    expect((await send(`${mock.url}/thread`, 'POST')).status).toBe(200);
  });

  it('admin.seedThread, advanceTime and ledger act on the simulator the handlers serve', async () => {
    const mock = createMswMock({ sessionTtlMs: 1_000 }, { clock: manualClock(T0) });
    server.use(...mock.handlers);
    const view = mock.admin.seedThread({ id: 'seeded', messages: [{ type: 'user', content: 'hi' }] });
    expect(view).toMatchObject({ id: 'seeded', status: 'ACTIVE', messageCount: 1 });
    expect((await send(`${mock.url}/thread/seeded`, 'GET')).json).toMatchObject({ status: 'ACTIVE' });
    mock.admin.advanceTime(1_000);
    expect((await send(`${mock.url}/thread/seeded`, 'GET')).json).toMatchObject({ status: 'EXPIRED' });
    const ledger = mock.admin.ledger();
    expect(ledger.requests.map((r) => r.status)).toEqual([200, 200]);
    expect(mock.admin.ledger(ledger.requests[0]!.seq).requests).toHaveLength(1);
  });

  it('admin.setLimits and admin.setFaults change behaviour at run time; admin.reset clears state and ledger (keeping the config unless given one)', async () => {
    const mock = createMswMock({}, { clock: manualClock(T0) });
    server.use(...mock.handlers);
    mock.admin.setLimits({ perMinute: { limit: 1 } });
    expect((await send(`${mock.url}/thread`, 'POST')).status).toBe(200);
    expectError(await send(`${mock.url}/thread`, 'POST'), 429);
    mock.admin.setLimits(false);
    mock.admin.setFaults([{ type: 'error', status: 502 }]);
    expectError(await send(`${mock.url}/thread`, 'POST'), 502);
    // reset() clears state but keeps the configuration in force (faults included) ...
    mock.admin.reset();
    expect(mock.admin.ledger().requests).toEqual([]);
    expectError(await send(`${mock.url}/thread`, 'POST'), 502);
    // ... reset(config) replaces it.
    mock.admin.reset({ seed: 2 });
    expect(mock.simulator.config.faults).toEqual([]);
    expect((await send(`${mock.url}/thread`, 'POST')).status).toBe(200);
    expect(mock.admin.ledger().requests).toHaveLength(1);
  });

  it('invalid admin input throws a ConfigError listing every problem (where the admin API answers 400)', () => {
    const mock = createMswMock();
    let caught: unknown;
    try {
      mock.admin.setFaults([{ type: 'nope' }, { type: 'error', probability: 3 }]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).problems.length).toBeGreaterThanOrEqual(2);
    expect(() => mock.admin.advanceTime(-5)).toThrow(ConfigError);
    expect(() => mock.admin.advanceTime(1e300)).toThrow(ConfigError);
    expect(() => createMswMock({ seed: 'x' })).toThrow(ConfigError);
  });
});

describe('createMswHandlers', () => {
  it('strips a base URL path prefix before routing, and leaves other origins unhandled', async () => {
    const sim = createSimulator({}, { clock: manualClock(T0) });
    server.use(...createMswHandlers(sim, { baseUrl: 'http://gateway.test/nexus' }));
    expect((await send('http://gateway.test/nexus/api/public/thread', 'POST')).status).toBe(200);
    expect((await send('http://gateway.test/nexus/__admin/health', 'GET', { key: null })).status).toBe(200);
    expectError(await send('http://gateway.test/nexus/other', 'GET'), 404);
    // With onUnhandledRequest: 'error', a request to another origin is refused by msw itself
    // (which also prints the refusal; silenced here).
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await expect(send('http://elsewhere.test/api/public/thread', 'POST')).rejects.toThrow();
      expect(printed).toHaveBeenCalled();
    } finally {
      printed.mockRestore(); // files share a worker: console.error must not stay silenced
    }
  });

  it('a bug in the simulator costs one request a JSON 500, not the handler', async () => {
    const sim = createSimulator({}, { clock: manualClock(T0) });
    server.use(...createMswHandlers(sim));
    const original = sim.handle.bind(sim);
    sim.handle = () => {
      throw new Error('boom');
    };
    expectError(await send('http://nexus.mock.local/api/public/thread', 'POST'), 500, /boom/);
    sim.handle = original;
    expect((await send('http://nexus.mock.local/api/public/thread', 'POST')).status).toBe(200);
  });
});
