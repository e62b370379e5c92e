import { describe, expect, it } from 'vitest';
import { executorConfigSchema } from '../../../scenarios/model/executors/executor-config.js';
import { workloadSchema } from '../../../scenarios/model/workload.js';
import type { NexusClient } from '../../client/client.js';
import { createVirtualClock } from '../clock-virtual.js';
import { type CounterData, createRecorder, type RateData } from '../recorder/index.js';
import type { IterationContext } from '../types.js';
import { type ChatAnswer, type ChatSender, chatConnections } from './chat-sender.js';
import { createWorkload } from './workload.js';

interface Sent {
  userId: string;
  opId: string;
}

/** A sender that answers each chat with the next of `answers` (an Error: rejects with it). */
function fakeSender(answers: (ChatAnswer | Error)[], sent: Sent[]): ChatSender {
  let i = 0;
  return {
    async send(userId, _message, opId) {
      sent.push({ userId, opId });
      const answer = answers[i++ % answers.length]!;
      if (answer instanceof Error) throw answer;
      return answer;
    },
    close: async () => {},
  };
}

const ok: ChatAnswer = { status: 200, retryAfterSec: null, body: '{"sessionId":"s","reply":{}}' };
const refused: ChatAnswer = { status: 429, retryAfterSec: 3, body: '{"error":"rate_limited"}' };
const upstream: ChatAnswer = { status: 502, retryAfterSec: null, body: '{"error":"upstream_failed"}' };

function ctx(iteration: number, signal = new AbortController().signal): IterationContext {
  return { executor: 'main', vu: 1, vuIteration: iteration, iteration, intendedStartMs: 0, signal };
}

function setUp(answers: (ChatAnswer | Error)[], users = 3) {
  const sent: Sent[] = [];
  const recorder = createRecorder({ tickMs: false, health: false });
  const workload = createWorkload({
    workload: workloadSchema.parse({ mix: { chat: 1 }, chat: { users } }),
    client: {} as NexusClient,
    sink: recorder,
    clock: createVirtualClock(),
    seed: 7,
    runTag: 'run1',
    chat: fakeSender(answers, sent),
  });
  const counter = (name: string, tags: Record<string, string>) =>
    recorder
      .metrics()
      .filter((m): m is CounterData => m.kind === 'counter' && m.name === name)
      .filter((m) => Object.entries(tags).every(([k, v]) => m.tags[k] === v))
      .reduce((sum, m) => sum + m.count, 0);
  const rate = (name: string) =>
    recorder
      .metrics()
      .find((m): m is RateData => m.kind === 'rate' && m.name === name && !('executor' in m.tags));
  return { sent, recorder, workload, counter, rate };
}

describe('the chat op', () => {
  it('posts as one of the users with an op id of the run, and records the app answers by status class', async () => {
    const { sent, workload, counter, rate } = setUp([ok, refused, upstream, new Error('ECONNRESET')]);
    const outcomes: boolean[] = [];
    for (let i = 0; i < 8; i++) {
      outcomes.push(
        await workload.iteration(ctx(i)).then(
          () => true,
          () => false,
        ),
      );
    }
    expect(outcomes).toEqual([true, false, false, false, true, false, false, false]);
    expect(sent.map((s) => s.opId)).toEqual(Array.from({ length: 8 }, (_, i) => `run1.main.${i}.1`));
    for (const s of sent) expect(s.userId).toMatch(/^user-[0-2]$/);
    expect(counter('http_reqs', { op: 'chat', status: '2xx' })).toBe(2);
    expect(counter('http_reqs', { op: 'chat', status: '429' })).toBe(2);
    expect(counter('http_reqs', { op: 'chat', status: '5xx' })).toBe(2);
    expect(counter('http_reqs', { op: 'chat', status: 'network' })).toBe(2);
    expect(counter('rate_limited', { op: 'chat' })).toBe(2);
    expect(counter('ops', { op: 'chat' })).toBe(8);
    // app_5xx: of the 6 answers, 2 were 5xx; the network errors were no answer.
    expect(rate('app_5xx')).toMatchObject({ passes: 2, fails: 4 });
    // The auditor's account: a message under each op id, ok only for the 200s.
    expect(workload.effectfulCalls().map((r) => [r.effect, r.ok])).toEqual(
      outcomes.map((o) => ['message_stored', o]),
    );
  });

  it('picks the same users for the same seed', async () => {
    const a = setUp([ok], 50);
    const b = setUp([ok], 50);
    for (let i = 0; i < 20; i++) {
      await a.workload.iteration(ctx(i));
      await b.workload.iteration(ctx(i));
    }
    expect(a.sent.map((s) => s.userId)).toEqual(b.sent.map((s) => s.userId));
    expect(new Set(a.sent.map((s) => s.userId)).size).toBeGreaterThan(5);
  });

  it('fails, saying why, without an app', async () => {
    const recorder = createRecorder({ tickMs: false, health: false });
    const workload = createWorkload({
      workload: workloadSchema.parse({ mix: { chat: 1 } }),
      client: {} as NexusClient,
      sink: recorder,
      clock: createVirtualClock(),
      seed: 1,
      runTag: 'r',
    });
    await expect(workload.iteration(ctx(0))).rejects.toThrow(/needs the chat app \(target app\)/);
  });
});

describe('connections to the app', () => {
  const executor = (input: object) => executorConfigSchema.parse(input);
  it('one per VU the run may have (a chat holds its socket until the reply), 16–256, unless configured', () => {
    const arrival = executor({
      executor: 'constant-arrival-rate',
      rate: 10,
      duration: '5s',
      preAllocatedVUs: 10,
      maxVUs: 50,
    });
    const closed = executor({ executor: 'constant-vus', vus: 30, duration: '5s' });
    expect(chatConnections({ a: arrival, b: closed }, undefined)).toBe(80);
    expect(
      chatConnections({ b: executor({ executor: 'constant-vus', vus: 2, duration: '1s' }) }, undefined),
    ).toBe(16);
    expect(
      chatConnections({ b: executor({ executor: 'constant-vus', vus: 2_000, duration: '1s' }) }, undefined),
    ).toBe(256);
    expect(chatConnections({ a: arrival }, 4)).toBe(4);
  });
});
