import { describe, expect, it } from 'vitest';
import { workloadSchema } from '../../../scenarios/model/workload.js';
import { isUsageError } from '../../util/errors.js';
import { blastCycle, blastRequests, blastWeights, needsThreads, rotate } from './requests.js';

const workload = workloadSchema.parse({ mix: { getSession: 1 }, message: { content: 'hi' } });
const context = { basePath: '/api/public', apiKey: 'k-123456', workload, seed: 1 };

describe('blastWeights', () => {
  it('keeps the ops one request can express and refuses the others, naming each and why', () => {
    expect(blastWeights({ getSession: 1, sendMessage: 3, poll: 0 })).toEqual({
      getSession: 1,
      sendMessage: 3,
    });
    let error: unknown;
    try {
      blastWeights({ getSession: 1, poll: 2, conversation: 1 });
    } catch (err) {
      error = err;
    }
    expect(isUsageError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /ops poll \(.*\); conversation \(.*\) cannot be one autocannon request/,
    );
  });

  it('keeps chat alone, and refuses it beside API ops (another origin), naming them', () => {
    expect(blastWeights({ chat: 1, getSession: 0 })).toEqual({ chat: 1 });
    let error: unknown;
    try {
      blastWeights({ chat: 1, getSession: 1, sendMessage: 2 });
    } catch (err) {
      error = err;
    }
    expect(isUsageError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /op chat goes to the chat app and getSession, sendMessage to the API/,
    );
  });
});

describe('blastCycle', () => {
  it('keeps integer weights exactly and interleaves the ops', () => {
    const cycle = blastCycle({ getSession: 1, sendMessage: 3 });
    expect(cycle.map((s) => s.op)).toEqual(['sendMessage', 'getSession', 'sendMessage', 'sendMessage']);
    expect(cycle.filter((s) => s.op === 'sendMessage').map((s) => s.text)).toEqual([0, 1, 2]);
  });

  it('turns fractional weights into 200 slots in proportion, every op at least once', () => {
    const cycle = blastCycle({ getSession: 0.001, listMessages: 0.5, sendMessage: 0.499 });
    expect(cycle).toHaveLength(200);
    const count = (op: string) => cycle.filter((s) => s.op === op).length;
    expect(count('getSession')).toBe(1);
    expect(count('listMessages') + count('sendMessage')).toBe(199);
  });
});

describe('blastRequests', () => {
  it("puts the thread in the paths, the key in the headers and the workload's text in the body", () => {
    const cycle = blastCycle({ createSession: 1, getSession: 1, listMessages: 1, sendMessage: 1 });
    const reqs = blastRequests(cycle, 't/1', 0, context);
    expect(reqs).toEqual([
      {
        method: 'POST',
        path: '/api/public/thread',
        headers: expect.objectContaining({ 'api-key': 'k-123456' }),
        body: '{}',
      },
      {
        method: 'GET',
        path: '/api/public/thread/t%2F1',
        headers: { 'api-key': 'k-123456', accept: 'application/json' },
      },
      {
        method: 'POST',
        path: '/api/public/thread/t%2F1/messages',
        headers: expect.objectContaining({ 'content-type': 'application/json' }),
        body: '{"content":"hi"}',
      },
      { method: 'GET', path: '/api/public/thread/t%2F1/messages?limit=20', headers: expect.any(Object) },
    ]);
    expect(blastRequests(cycle, 't/1', 1, context)[0]!.method).toBe('GET');
  });

  it('leaves the chat op to chatRequests, and needs no thread for it', () => {
    const cycle = blastCycle({ chat: 1 });
    expect(cycle).toEqual([{ op: 'chat', text: 0 }]);
    expect(needsThreads(cycle)).toBe(false);
    expect(() => blastRequests(cycle, undefined, 0, context)).toThrow(/chatRequests/);
  });

  it('rotates like rotate()', () => {
    expect(rotate([1, 2, 3], 4)).toEqual([2, 3, 1]);
    expect(rotate([1, 2, 3], -1)).toEqual([3, 1, 2]);
  });
});
