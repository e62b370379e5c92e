import { describe, expect, it } from 'vitest';
import type { ResponseHeaders } from '../../client/rate-limit-headers.js';
import type { Transport, TransportRequest } from '../../client/transport.js';
import { blindToRateLimits } from './blind-transport.js';

const LIMITED: ResponseHeaders = {
  'retry-after': '2',
  'x-ratelimit-remaining': '0',
  'content-type': 'application/json',
};

/** A transport that answers 429 with rate-limit headers, calling `onHeaders` on the request as the real ones do. */
const inner: Transport = {
  name: 'fake',
  async send(request) {
    request.onHeaders?.(429, LIMITED);
    return { status: 429, headers: LIMITED, body: '{}' };
  },
  stats: () => ({ connected: 0, running: 0, pending: 0 }),
  close: async () => {},
};

/** A request whose header callback is a method, as the client's own requests have it. */
class MethodRequest implements TransportRequest {
  readonly method = 'GET' as const;
  readonly path = '/api/public/thread/t1';
  readonly headers = {};
  readonly body = undefined;
  readonly signal = undefined;
  readonly route = 'GET /thread/{id}';
  seen: ResponseHeaders | null = null;
  onHeaders(_status: number, headers: ResponseHeaders): void {
    this.seen = headers;
  }
}

describe('blindToRateLimits', () => {
  it('hides Retry-After and X-RateLimit-* from the response and from a header callback that is a method', async () => {
    const request = new MethodRequest();
    const response = await blindToRateLimits(inner).send(request);
    expect(response.headers).toEqual({ 'content-type': 'application/json' });
    expect(request.seen).toEqual({ 'content-type': 'application/json' });
  });
});
