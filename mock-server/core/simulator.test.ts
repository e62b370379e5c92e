import { describe, expect, it } from 'vitest';
import { handleAdmin } from './admin.js';
import { manualClock } from './clock.js';
import { createSimulator } from './simulator.js';
import type { SimRequest } from './types.js';

const adminGet = (path: string): SimRequest => ({
  method: 'GET',
  path,
  query: '',
  header: () => undefined,
  body: undefined,
});

describe('Simulator instanceId', () => {
  it('is a random UUID per simulator, the same seed notwithstanding', () => {
    const a = createSimulator({ seed: 7 }, { clock: manualClock() });
    const b = createSimulator({ seed: 7 }, { clock: manualClock() });
    expect(a.ledger().instanceId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(a.ledger().instanceId).not.toBe(b.ledger().instanceId);
  });

  it('stays the same across ledger reads and resets of one simulator, and health reports it', () => {
    const sim = createSimulator({ seed: 7 }, { clock: manualClock() });
    const first = sim.ledger().instanceId;
    sim.reset({ seed: 8 });
    expect(sim.ledger(5).instanceId).toBe(first);
    const health = JSON.parse(handleAdmin(sim, adminGet('/__admin/health')).body!);
    expect(health).toMatchObject({ status: 'ok', instanceId: first });
    const ledger = JSON.parse(handleAdmin(sim, adminGet('/__admin/ledger')).body!);
    expect(ledger.instanceId).toBe(first);
  });
});
