import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveScenarioOnce } from './scenario-ref.js';

const dir = mkdtempSync(join(tmpdir(), 'nh-scenario-ref-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scenario = (name: string) => ({
  name,
  executors: { main: { executor: 'constant-vus', vus: 1, duration: '1s' } },
  workload: { mix: { getSession: 1 } },
});

describe('resolveScenarioOnce', () => {
  it('reads a scenario file once per invocation, and again for the next one', async () => {
    const file = join(dir, 'scenario.json');
    writeFileSync(file, JSON.stringify(scenario('first')));
    const invocation = {};
    const a = await resolveScenarioOnce(file, invocation);
    // Rewritten within the same invocation: the invocation keeps what it read.
    writeFileSync(file, JSON.stringify(scenario('second')));
    const b = await resolveScenarioOnce(file, invocation);
    expect(b).toBe(a);
    expect(b.name).toBe('first');
    // Another invocation in the same process reads the file as it is now.
    expect((await resolveScenarioOnce(file, {})).name).toBe('second');
  });

  it('keeps a refusal for the invocation too (the same usage error twice)', async () => {
    const invocation = {};
    const first = resolveScenarioOnce('no-such-scenario', invocation);
    await expect(first).rejects.toThrow(/Unknown scenario "no-such-scenario"/);
    expect(resolveScenarioOnce('no-such-scenario', invocation)).toBe(first);
  });
});
