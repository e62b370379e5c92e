import { describe, expect, it } from 'vitest';
import { workloadSchema } from '../../../scenarios/model/workload.js';
import { CHAT_TEXTS_PER_CONNECTION, chatRequests, chatUserId } from './chat-requests.js';

const workload = workloadSchema.parse({ mix: { chat: 1 }, message: { sizeChars: { min: 20, max: 60 } } });

describe('chatRequests', () => {
  it("posts to <app>/chat as the connection's own user, with the chat op's headers and a { message } body", () => {
    const reqs = chatRequests(3, { basePath: '/app', workload, seed: 1 });
    expect(reqs).toHaveLength(CHAT_TEXTS_PER_CONNECTION);
    for (const req of reqs) {
      expect(req).toMatchObject({
        method: 'POST',
        path: '/app/chat',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-user-id': 'user-3' },
      });
      // The app's body is strict: `message` and nothing else; no key, no op id in the headers.
      const body = JSON.parse(req.body!) as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(['message']);
      expect(body.message).toMatch(/^What is \d+\+\d+\?/);
      expect((body.message as string).length).toBeGreaterThanOrEqual(20);
      expect((body.message as string).length).toBeLessThanOrEqual(60);
      expect(Object.keys(req.headers)).not.toContain('api-key');
      expect(Object.keys(req.headers)).not.toContain('x-harness-op');
    }
    expect(new Set(reqs.map((r) => r.body)).size).toBeGreaterThan(1);
  });

  it('gives each connection its own user and texts, the same for the same seed', () => {
    const context = { basePath: '', workload, seed: 7 };
    expect(chatRequests(0, context)[0]!.path).toBe('/chat');
    expect(chatRequests(0, context)).toEqual(chatRequests(0, context));
    expect(chatRequests(1, context)[0]!.headers['x-user-id']).toBe(chatUserId(1));
    expect(chatRequests(1, context).map((r) => r.body)).not.toEqual(
      chatRequests(0, context).map((r) => r.body),
    );
  });

  it("sends the workload's fixed content when it has one", () => {
    const fixed = workloadSchema.parse({ mix: { chat: 1 }, message: { content: 'What is 2+2?' } });
    const reqs = chatRequests(0, { basePath: '', workload: fixed, seed: 1 });
    expect(new Set(reqs.map((r) => r.body))).toEqual(new Set(['{"message":"What is 2+2?"}']));
  });
});
