import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type FaultRule, faultRuleSchema } from './config.js';
import { FaultPlan } from './fault-plan.js';
import { seededRandom } from './random.js';
import { ROUTE_NAMES } from './types.js';

const rules = (input: unknown[]): FaultRule[] => input.map((r) => faultRuleSchema.parse(r));

function sequence(plan: FaultPlan, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const d = plan.decide(ROUTE_NAMES[i % 4]!, i);
    out.push(`${d.rule?.type ?? '-'}:${d.delayMs.toFixed(3)}`);
  }
  return out;
}

describe('FaultPlan', () => {
  it('gives the same fault sequence for the same seed, and a different one for another seed', () => {
    fc.assert(
      fc.property(fc.integer(), fc.double({ min: 0.05, max: 0.95, noNaN: true }), (seed, p) => {
        const spec = rules([
          { type: 'latency', probability: p, delay: { type: 'uniform', minMs: 1, maxMs: 50 } },
          { type: 'reset', probability: p / 2 },
          { type: 'error', status: 503, probability: p },
        ]);
        const a = sequence(new FaultPlan(spec, seededRandom(seed)), 200);
        const b = sequence(new FaultPlan(spec, seededRandom(seed)), 200);
        const c = sequence(new FaultPlan(spec, seededRandom(seed + 1)), 200);
        expect(a).toEqual(b);
        expect(a).not.toEqual(c);
      }),
      { numRuns: 50, seed: 1 },
    );
  });

  it('fires a rule at about its probability', () => {
    const plan = new FaultPlan(rules([{ type: 'reset', probability: 0.1 }]), seededRandom(3));
    let fired = 0;
    for (let i = 0; i < 10_000; i++) if (plan.decide('getThread', i).rule) fired++;
    // Binomial(10 000, 0.1): the standard deviation is 30; ±150 is five of them.
    expect(fired).toBeGreaterThan(850);
    expect(fired).toBeLessThan(1_150);
  });

  it('honours routes and windows, adds latencies, and stops at the first other rule that fires', () => {
    const plan = new FaultPlan(
      rules([
        { type: 'latency', delay: { type: 'fixed', ms: 10 } },
        { type: 'latency', route: 'sendMessage', delay: { type: 'fixed', ms: 5 } },
        { type: 'stall', route: 'getThread', window: { startMs: 100, endMs: 200 } },
        { type: 'empty', route: 'getThread' },
        { type: 'reset' },
      ]),
      seededRandom(1),
    );
    expect({ ...plan.decide('sendMessage', 0) }).toEqual({
      delayMs: 15,
      rule: expect.objectContaining({ type: 'reset' }),
    });
    expect(plan.decide('getThread', 150).rule?.type).toBe('stall');
    expect(plan.decide('getThread', 200).rule?.type).toBe('empty');
    expect(plan.decide('getThread', 50).delayMs).toBe(10);
  });

  it('is empty without rules, so the hot path can skip it', () => {
    expect(new FaultPlan([], seededRandom(1)).empty).toBe(true);
  });
});
