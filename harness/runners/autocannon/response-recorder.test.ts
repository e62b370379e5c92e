import { describe, expect, it } from 'vitest';
import type { SampleSink, Tags } from '../../engine/types.js';
import { createResponseRecorder } from './response-recorder.js';

/** A sink keyed `metric{tag:value,…}` (tags sorted), keeping every value. */
function memorySink() {
  const values = new Map<string, number[]>();
  const key = (name: string, tags: Tags) =>
    `${name}{${Object.entries(tags)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => `${k}:${v}`)
      .join(',')}}`;
  const list = (name: string, tags: Tags) => {
    const k = key(name, tags);
    if (!values.has(k)) values.set(k, []);
    return values.get(k)!;
  };
  const sink: SampleSink = {
    trend: (name, tags) => ({ record: (v) => list(name, tags).push(v) }),
    counter: (name, tags) => ({ add: (n = 1) => list(name, tags).push(n) }),
    rate: (name, tags) => ({ add: (v) => list(name, tags).push(v ? 1 : 0) }),
    gauge: (name, tags) => ({ set: (v) => list(name, tags).push(v) }),
  };
  const get = (k: string) => values.get(k) ?? [];
  const sum = (k: string) => get(k).reduce((a, b) => a + b, 0);
  return { sink, get, sum };
}

function fakeClock() {
  let now = 1_000;
  return { clock: { now: () => now }, set: (ms: number) => (now = 1_000 + ms) };
}

describe('createResponseRecorder', () => {
  it('measures a late request from its intended start, and an early one from when it was sent', () => {
    const { sink, get } = memorySink();
    const { clock, set } = fakeClock();
    const rec = createResponseRecorder({ sink, clock, ratePerSec: 100 }); // intended every 10 ms
    rec.start();
    const tap = rec.connection(['getSession']);
    tap.sent(); // #0 intended at 0, sent at 0
    set(5);
    tap.answered(200); // 5 ms service
    set(40);
    tap.sent(); // #1 intended at 10, sent 30 ms late
    set(45);
    tap.answered(200); // 5 ms service, 35 ms from its intended start
    set(46);
    tap.sent(); // #2 intended at 20: late too
    rec.finish(46);
    expect(get('http_req_duration{op:get_session,status:2xx}')).toEqual([5, 5]);
    expect(get('op_duration{op:get_session}')).toEqual([5, 35]);
  });

  it('never measures from an intended start later than the send (autocannon sends early in its one-second windows)', () => {
    const { sink, get } = memorySink();
    const { clock, set } = fakeClock();
    const rec = createResponseRecorder({ sink, clock, ratePerSec: 1 }); // #1 intended at 1 000 ms
    rec.start();
    const tap = rec.connection(['getSession']);
    tap.sent();
    set(2);
    tap.answered(200);
    tap.sent(); // #1 sent at 2 ms, 998 ms early
    set(4);
    tap.answered(200);
    expect(get('op_duration{op:get_session}')).toEqual([2, 2]);
  });

  it('maps 429, 5xx, other 4xx and lost requests to their status classes, failures and rate_limited', () => {
    const { sink, sum } = memorySink();
    const { clock } = fakeClock();
    const rec = createResponseRecorder({ sink, clock, ratePerSec: null });
    rec.start();
    const tap = rec.connection(['sendMessage', 'getSession']);
    for (const status of [429, 503]) {
      tap.sent();
      tap.answered(status);
    }
    tap.sent();
    tap.answered(404);
    tap.sent();
    tap.lost();
    const tally = rec.finish(10);
    expect(tally).toEqual({ sent: 4, answered: 3, lost: 1, inFlight: 0, dropped: 0 });
    expect(sum('http_reqs{op:send_message,status:429}')).toBe(1);
    expect(sum('http_reqs{op:get_session,status:5xx}')).toBe(1);
    expect(sum('http_reqs{op:send_message,status:4xx}')).toBe(1);
    expect(sum('http_reqs{op:get_session,status:network}')).toBe(1);
    expect(sum('rate_limited{op:send_message}')).toBe(1);
    // A 429 is not a failed request; a 5xx and a lost one are; every non-2xx is a failed op.
    expect(sum('http_req_failed{op:send_message}')).toBe(0);
    expect(sum('http_req_failed{op:get_session}')).toBe(2);
    expect(sum('op_failed{op:send_message}') + sum('op_failed{op:get_session}')).toBe(4);
  });

  it("records the chat op as run does: tag op:chat, app_5xx of the app's answers, reply_latency of a 200", () => {
    const { sink, get, sum } = memorySink();
    const { clock, set } = fakeClock();
    const rec = createResponseRecorder({ sink, clock, ratePerSec: null });
    rec.start();
    const tap = rec.connection(['chat']);
    tap.sent();
    set(120);
    tap.answered(200); // the reply after 120 ms
    tap.sent();
    set(130);
    tap.answered(502); // upstream failure passed on: an app 5xx
    tap.sent();
    tap.answered(429); // a user's limit: an answer, not a 5xx
    tap.sent();
    tap.lost(); // no answer: not in app_5xx
    rec.finish(130);
    expect(sum('http_reqs{op:chat,status:2xx}')).toBe(1);
    expect(sum('http_reqs{op:chat,status:5xx}')).toBe(1);
    expect(get('app_5xx{}')).toEqual([0, 1, 0]);
    expect(get('reply_latency{op:chat}')).toEqual([120]);
    expect(sum('rate_limited{op:chat}')).toBe(1);
    expect(sum('op_failed{op:chat}')).toBe(3);
  });

  it('records no chat metrics for the API ops', () => {
    const { sink, get } = memorySink();
    const rec = createResponseRecorder({ sink, clock: fakeClock().clock, ratePerSec: null });
    const tap = rec.connection(['getSession']);
    tap.sent();
    tap.answered(503);
    expect(get('app_5xx{}')).toEqual([]);
    expect(get('reply_latency{op:get_session}')).toEqual([]);
  });

  it('counts requests the schedule wanted but never got as dropped_iterations (fixed rate only)', () => {
    const { sink, sum } = memorySink();
    const { clock } = fakeClock();
    const rec = createResponseRecorder({ sink, clock, ratePerSec: 10 });
    rec.start();
    const tap = rec.connection(['getSession']);
    tap.sent();
    expect(rec.finish(1_000)).toMatchObject({ sent: 1, inFlight: 1, dropped: 9 });
    expect(sum('dropped_iterations{}')).toBe(9);
  });

  it('answers requests in the order they were sent, however many are in flight', () => {
    const { sink, get } = memorySink();
    const { clock, set } = fakeClock();
    const rec = createResponseRecorder({ sink, clock, ratePerSec: null });
    const tap = rec.connection(['getSession']);
    for (let i = 0; i < 6; i++) {
      set(i);
      tap.sent();
    }
    set(10);
    for (let i = 0; i < 6; i++) tap.answered(200);
    expect(get('http_req_duration{op:get_session,status:2xx}')).toEqual([10, 9, 8, 7, 6, 5]);
    tap.answered(200); // nothing in flight: ignored
    expect(rec.finish(10)).toMatchObject({ sent: 6, answered: 6, inFlight: 0 });
  });
});
