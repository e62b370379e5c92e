import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createNexusClient } from '../../harness/client/client.js';
import { clientSettingsSchema } from '../../harness/client/options-schema.js';
import type { Transport } from '../../harness/client/transport.js';
import { toClientOptions } from '../../harness/engine/run/client-budgets.js';
import { ConfigError } from '../../harness/util/validation.js';
import { validateScenario } from '../../scenarios/model/scenario.js';

/**
 * `validate` and `run` agree on every `client` block: blocks are generated from the shape of
 * the client's settings schema (valid values, values at and just past each bound, wrong types),
 * then given both to `validateScenario` and to `createNexusClient` (over a transport that is
 * never called: no network).
 */

const transport: Transport = {
  name: 'scripted',
  send: () => Promise.reject(new Error('no request is sent in this test')),
  stats: () => ({ connected: 0, running: 0, pending: 0 }),
  close: () => Promise.resolve(),
};

const minimal = {
  name: 'agreement',
  executors: { main: { executor: 'constant-vus', vus: 1, duration: '1s' } },
};

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  values?: unknown[];
  entries?: Record<string, string>;
  checks?: { _zod: { def: { check: string; value?: number; format?: string } } }[];
}
const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Values at, beside and past a number schema's bounds, plus ordinary ones; mostly valid ones. */
function numbers(schema: z.ZodType, def: Def): fc.Arbitrary<unknown> {
  const bounds: number[] = [];
  for (const c of def.checks ?? []) {
    const { check, value } = c._zod.def;
    if ((check === 'greater_than' || check === 'less_than') && value !== undefined) bounds.push(value);
  }
  const candidates = [
    ...bounds.filter((b) => Math.abs(b) < 1e9).flatMap((b) => [b - 1, b - 0.5, b, b + 0.5, b + 1]),
    ...[-1, 0, 0.25, 0.5, 1, 1.5, 2, 10, 50, 51, 100, 250, 1_000, 10_000, 60_000, 3_600_000],
    ...[86_400_000, 86_400_001, 1e12],
  ];
  const valid = candidates.filter((v) => schema.safeParse(v).success);
  const invalid = [...candidates.filter((v) => !schema.safeParse(v).success), '5', null];
  return fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...valid) },
    { weight: 1, arbitrary: fc.constantFrom(...invalid) },
  );
}

/** An arbitrary of blocks shaped like `schema`: mostly well-formed, sometimes not. */
function blocksOf(schema: z.ZodType): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  const rarely = (valid: fc.Arbitrary<unknown>, bad: unknown) =>
    fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: fc.constant(bad) });
  switch (def.type) {
    case 'optional':
      return blocksOf(def.innerType!);
    case 'object': {
      const fields = Object.fromEntries(Object.entries(def.shape!).map(([k, v]) => [k, blocksOf(v)]));
      return fc.record(fields, { requiredKeys: [] });
    }
    case 'union':
      return fc.oneof(...def.options!.map(blocksOf));
    case 'literal':
      return fc.constantFrom(...def.values!);
    case 'enum':
      return rarely(fc.constantFrom(...Object.values(def.entries!)), 'other');
    case 'boolean':
      return rarely(fc.boolean(), 'yes');
    case 'number':
      return numbers(schema, def);
    default:
      throw new Error(`the generator does not know zod type ${def.type}`);
  }
}

/** Accepted (true) or refused with a ConfigError (false); anything else fails the test. */
function accepts(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (err) {
    if (err instanceof ConfigError) return false;
    throw err;
  }
}

async function clientAccepts(options: Record<string, unknown>): Promise<boolean> {
  let client: ReturnType<typeof createNexusClient> | undefined;
  const ok = accepts(() => {
    client = createNexusClient({
      apiKey: 'k',
      baseUrl: 'http://127.0.0.1:9/api/public',
      transport,
      ...options,
    });
  });
  await client?.close();
  return ok;
}

describe('a scenario client block and createNexusClient', () => {
  it('are accepted or refused together, for blocks generated from the schema', async () => {
    let accepted = 0;
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(blocksOf(clientSettingsSchema), async (block) => {
        const valid = accepts(() => validateScenario({ ...minimal, client: block }));
        const clientOk = await clientAccepts(block as Record<string, unknown>);
        if (valid) accepted++;
        else refused++;
        expect(clientOk).toBe(valid);
      }),
      { numRuns: 300, seed: 10 },
    );
    // The generator reaches both sides of the line.
    expect(accepted).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });

  it('a block validateScenario accepts, durations as strings, makes a client', async () => {
    const durations = fc.constantFrom('1ms', '250ms', '1s', '1.5s', '2m', '1h', '24h');
    const block = fc.record(
      {
        rateLimit: fc.record(
          { perMinute: fc.record({ limit: fc.integer({ min: 1, max: 100 }), windowMs: durations }) },
          { requiredKeys: [] },
        ),
        retry: fc.record(
          {
            maxRateLimitWaitMs: durations,
            backoff: fc.record({ baseMs: durations, capMs: durations }, { requiredKeys: [] }),
            budget: fc.record({ windowMs: durations }, { requiredKeys: [] }),
          },
          { requiredKeys: [] },
        ),
        timeouts: fc.record(
          { attemptTimeoutMs: durations, connectTimeoutMs: durations },
          { requiredKeys: [] },
        ),
        polling: fc.record({ initialIntervalMs: durations, maxIntervalMs: durations }, { requiredKeys: [] }),
      },
      { requiredKeys: [] },
    );
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(block, async (b) => {
        let scenario: ReturnType<typeof validateScenario>;
        try {
          scenario = validateScenario({ ...minimal, client: b });
        } catch (err) {
          if (err instanceof ConfigError) return; // refused: nothing to run
          throw err;
        }
        accepted++;
        expect(await clientAccepts(toClientOptions(scenario.client) as Record<string, unknown>)).toBe(true);
      }),
      { numRuns: 200, seed: 10 },
    );
    expect(accepted).toBeGreaterThan(50);
  });
});
