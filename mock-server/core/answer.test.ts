import { describe, expect, it } from 'vitest';
import { answerRequest } from './answer.js';
import type { Simulator } from './simulator.js';
import type { SimRequest } from './types.js';

const request = (path: string): SimRequest =>
  ({ method: 'GET', path, query: '', header: () => undefined, body: undefined }) as SimRequest;

describe('answerRequest', () => {
  it('turns a bug in the simulator into a JSON 500 for that one request', () => {
    const broken = {
      handle() {
        throw new Error('state went missing');
      },
    } as unknown as Simulator;
    const response = answerRequest(broken, request('/api/public/thread/x'));
    expect(response.status).toBe(500);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(response.body!)).toMatchObject({
      message: expect.stringContaining('Mock server error: state went missing'),
    });
  });

  it('sends /__admin paths to the admin API, not the simulator', () => {
    let handled = 0;
    const simulator = {
      handle: () => {
        handled++;
        return { status: 200, headers: {}, body: '{}', delayMs: 0 };
      },
    } as unknown as Simulator;
    answerRequest(simulator, request('/__admin/no-such-route'));
    expect(handled).toBe(0);
    answerRequest(simulator, request('/api/public/thread/x'));
    expect(handled).toBe(1);
  });
});
