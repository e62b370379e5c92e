import { describe, expect, it } from 'vitest';
import { type CounterData, createRecorder, type RateData, type TrendData } from '../recorder/index.js';
import { trendPercentileMs } from '../result/stats.js';
import { createReasonTally } from './reason-tally.js';
import { createScriptApi, MAX_TAG_SETS, OVERFLOW_CHECK, type ScriptApiOptions } from './script-api.js';

function setup(maxTagSets?: ScriptApiOptions['maxTagSets']) {
  const recorder = createRecorder({
    clock: { now: () => 0 },
    tickMs: false,
    health: false,
    metrics: { login_time: 'trend', logins: 'counter', cache_hit: 'rate', depth: 'gauge' },
  });
  const checkProblems = createReasonTally();
  const api = createScriptApi({
    sink: recorder,
    metrics: { login_time: 'trend', logins: 'counter', cache_hit: 'rate', depth: 'gauge' },
    checkProblems,
    maxTagSets,
  });
  const cells = (name: string) => recorder.metrics().filter((d) => d.name === name);
  return { recorder, api, checkProblems, cells };
}

describe('check()', () => {
  it('records each assertion as one sample of checks{check:<name>} and returns true only when all held', () => {
    const { api, cells } = setup();
    const { check } = api.forIteration('main', new AbortController().signal);
    expect(check(200, { 'is 200': (s) => s === 200, 'is 2xx': (s) => s >= 200 && s < 300 })).toBe(true);
    expect(check(503, { 'is 200': (s) => s === 200, 'is 2xx': (s) => s >= 200 && s < 300 })).toBe(false);
    // Truthy and falsy values count as k6 counts them.
    expect(check('', { 'has text': (s) => s })).toBe(false);
    const byName = Object.fromEntries(
      (cells('checks') as RateData[]).map((d) => [
        d.tags.check,
        { passes: d.passes, fails: d.fails, tags: d.tags },
      ]),
    );
    expect(byName['is 200']).toEqual({ passes: 1, fails: 1, tags: { check: 'is 200', executor: 'main' } });
    expect(byName['is 2xx']).toMatchObject({ passes: 1, fails: 1 });
    expect(byName['has text']).toMatchObject({ passes: 0, fails: 1 });
  });

  it('counts an assertion that throws or returns a promise as failed, and says why', () => {
    const { api, cells, checkProblems } = setup();
    const { check } = api.forIteration('main', new AbortController().signal);
    const ok = check(null as { id: string } | null, {
      'has an id': (s) => s!.id.length > 0,
      'async by mistake': async () => true,
      fine: () => true,
    });
    expect(ok).toBe(false);
    const rates = cells('checks') as RateData[];
    expect(rates.map((d) => [d.tags.check, d.passes, d.fails])).toEqual([
      ['has an id', 0, 1],
      ['async by mistake', 0, 1],
      ['fine', 1, 0],
    ]);
    expect(checkProblems.entries().map(([reason]) => reason)).toEqual([
      expect.stringMatching(/^check 'has an id' threw: TypeError: /),
      "check 'async by mistake' returned a promise: checks are synchronous, await the value first",
    ]);
  });

  it('counts an assertion that throws a value String() cannot take as failed, without throwing itself', () => {
    const { api, cells, checkProblems } = setup();
    const { check } = api.forIteration('main', new AbortController().signal);
    expect(
      check(1, {
        bare: () => {
          throw Object.create(null);
        },
      }),
    ).toBe(false);
    expect(cells('checks')).toMatchObject([{ tags: { check: 'bare' }, passes: 0, fails: 1 }]);
    expect(checkProblems.entries()).toEqual([["check 'bare' threw: thrown value: [unprintable object]", 1]]);
  });

  it('refuses a name no threshold key can select: counted as failed, the assertion not run, and said why', () => {
    const { api, cells, checkProblems } = setup();
    const { check } = api.forIteration('main', new AbortController().signal);
    let ran = 0;
    const yes = () => ++ran > 0;
    const names = ['', '  ', 'a,b', 'a}b', 'a{b', ' padded', '"quoted"', 'fine: has a colon'];
    expect(check(1, Object.fromEntries(names.map((n) => [n, yes])))).toBe(false);
    expect(ran).toBe(1);
    expect((cells('checks') as RateData[]).map((d) => [d.tags.check, d.passes, d.fails])).toEqual([
      ['', 0, 1],
      ['  ', 0, 1],
      ['a,b', 0, 1],
      ['a}b', 0, 1],
      ['a{b', 0, 1],
      [' padded', 0, 1],
      ['"quoted"', 0, 1],
      ['fine: has a colon', 1, 0],
    ]);
    const reasons = checkProblems.entries().map(([r]) => r);
    expect(reasons).toHaveLength(7);
    expect(reasons[0]).toBe(
      "check name '' refused (it is empty): no threshold key can select it; counted as failed, rename it",
    );
    expect(reasons[2]).toMatch(/^check name 'a,b' refused \(it contains ','\)/);
  });

  it('bounds distinct checks: past the cap, results count in one overflow series per executor, and one notice says so', () => {
    const { api, cells } = setup({ rate: 3 });
    const main = api.forIteration('main', new AbortController().signal);
    const other = api.forIteration('other', new AbortController().signal);
    for (let i = 0; i < 10; i++) main.check(i, { [`id ${i} is fine`]: () => i % 2 === 0 });
    main.check(0, { 'id 0 is fine': () => true }); // a kept series still gets its own results
    other.check(0, { 'id 0 is fine': () => true }, { step: 'x' });
    const rates = cells('checks') as RateData[];
    expect(rates.map((d) => [d.tags, d.passes, d.fails])).toEqual([
      [{ check: 'id 0 is fine', executor: 'main' }, 2, 0],
      [{ check: 'id 1 is fine', executor: 'main' }, 0, 1],
      [{ check: 'id 2 is fine', executor: 'main' }, 1, 0],
      [{ check: OVERFLOW_CHECK, executor: 'main', overflow: 'true' }, 3, 4],
      [{ check: OVERFLOW_CHECK, executor: 'other', overflow: 'true' }, 1, 0],
    ]);
    expect(api.notices()).toEqual([
      `checks reached 3 distinct check names and tag sets: 8 further result(s) were counted as checks{check:${OVERFLOW_CHECK},overflow:true}. ` +
        'Give checks fixed names: put ids in the checked value, not in the name or a tag.',
    ]);
  });

  it("adds the author's tags under the harness's own, and records nothing once the iteration was cut", () => {
    const { api, cells } = setup();
    const ctl = new AbortController();
    const { check } = api.forIteration('main', ctl.signal);
    check(1, { one: (v) => v === 1 }, { step: 'login', executor: 'spoofed', check: 'spoofed' });
    expect(cells('checks')[0]?.tags).toEqual({ check: 'one', executor: 'main', step: 'login' });
    ctl.abort();
    // Still judged (the script may branch on it), no longer recorded.
    expect(check(2, { one: (v) => v === 1 })).toBe(false);
    expect((cells('checks') as RateData[]).reduce((n, d) => n + d.passes + d.fails, 0)).toBe(1);
  });
});

describe('metric', () => {
  it('records declared custom metrics of each kind, tagged with the executor', () => {
    const { api, cells } = setup();
    const { metric } = api.forIteration('main', new AbortController().signal);
    for (const ms of [10, 20, 30, 40, 100]) metric.trend('login_time').add(ms);
    metric.counter('logins').add();
    metric.counter('logins').add(2);
    metric.counter('logins').add(1, { region: 'eu' });
    metric.rate('cache_hit').add(true);
    metric.rate('cache_hit').add(0);
    metric.gauge('depth').add(4);
    metric.gauge('depth').add(2);
    const trend = cells('login_time')[0] as TrendData;
    expect(trend.tags).toEqual({ executor: 'main' });
    expect(trend.count).toBe(5);
    expect(trendPercentileMs(trend, 95)).toBeCloseTo(100, 0);
    expect(cells('logins').map((d) => [d.tags, d.kind === 'counter' && d.count])).toEqual([
      [{ executor: 'main' }, 3],
      [{ executor: 'main', region: 'eu' }, 1],
    ]);
    expect(cells('cache_hit')[0]).toMatchObject({ passes: 1, fails: 1 });
    expect(cells('depth')[0]).toMatchObject({ value: 2, min: 2, max: 4 });
  });

  it('bounds the tag sets of a custom metric: past the cap, new ones go to one overflow series and one notice names it', () => {
    const { api, cells } = setup({ counter: 3 });
    const { metric } = api.forIteration('main', new AbortController().signal);
    for (let i = 0; i < 10; i++) metric.counter('logins').add(1, { user: `u${i}` });
    metric.counter('logins').add(5, { user: 'u1' }); // kept: still its own series
    metric.counter('logins').add(1); // the untagged set is new too: overflow
    metric.counter('logins').add(1);
    expect(cells('logins').map((d) => [d.tags, (d as CounterData).count])).toEqual([
      [{ executor: 'main', user: 'u0' }, 1],
      [{ executor: 'main', user: 'u1' }, 6],
      [{ executor: 'main', user: 'u2' }, 1],
      [{ executor: 'main', overflow: 'true' }, 9],
    ]);
    expect(api.notices()).toEqual([
      "custom counter 'logins' reached 3 distinct tag sets: 9 sample(s) with further tag sets were recorded as logins{overflow:true}. " +
        'Tag values must come from a small set: put ids in a log, not in a tag.',
    ]);
  });

  it('keeps at most MAX_TAG_SETS series per custom metric by default, fewer for trends (a histogram each)', () => {
    const { api, cells } = setup();
    const { metric, check } = api.forIteration('main', new AbortController().signal);
    for (let i = 0; i < 5_000; i++) {
      metric.counter('logins').add(1, { id: String(i) });
      metric.trend('login_time').add(1, { id: String(i) });
      check(i, { [`check ${i}`]: () => true });
    }
    expect(MAX_TAG_SETS).toEqual({ trend: 100, counter: 1_000, rate: 1_000, gauge: 1_000 });
    expect(cells('logins')).toHaveLength(1_001);
    expect(cells('login_time')).toHaveLength(101);
    expect(cells('checks')).toHaveLength(1_001);
    expect(api.notices()).toHaveLength(3);
  });

  it('refuses a name the scenario did not declare, or declared as another kind, naming the fix', () => {
    const { api } = setup();
    const { metric } = api.forIteration('main', new AbortController().signal);
    expect(() => metric.trend('login_tme')).toThrow(
      /custom trend 'login_tme': it is not declared\. Add metrics: \{ login_tme: 'trend' \} to the scenario \(declared: login_time, logins, cache_hit, depth\)/,
    );
    expect(() => metric.trend('logins')).toThrow(/declared as a counter\. Use metric\.counter\('logins'\)/);
    expect(() => metric.counter('logins').add(Number.NaN)).toThrow(TypeError);
    expect(() => metric.trend('login_time').add(Number.POSITIVE_INFINITY)).toThrow(
      /expected a finite number/,
    );
  });
});
