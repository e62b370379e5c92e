import type { ResponseHeaders } from '../../client/rate-limit-headers.js';
import type { Transport } from '../../client/transport.js';

const RATE_LIMIT_HEADERS = ['retry-after', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset'];

function withoutRateLimitHeaders(headers: ResponseHeaders): ResponseHeaders {
  const copy = { ...headers };
  for (const name of RATE_LIMIT_HEADERS) delete copy[name];
  return copy;
}

/**
 * A transport that hides `Retry-After` and `X-RateLimit-*` from the client: the deliberately
 * broken client of `--unsafe-ignore-rate-limits`, which shows the auditor catching a client
 * that retries 429s without waiting. Never use it against a server you care about.
 *
 * @example
 * const client = createNexusClient({ transport: blindToRateLimits(createTransport('auto', origin, {}, timeouts)) });
 */
export function blindToRateLimits(inner: Transport): Transport {
  return {
    name: `${inner.name}, blind to rate limits`,
    async send(request) {
      // Called on the request, whose method it may be (see TransportRequest.onHeaders).
      const hasOnHeaders = request.onHeaders !== undefined;
      const response = await inner.send({
        ...request,
        onHeaders: hasOnHeaders
          ? (status, headers) => request.onHeaders!(status, withoutRateLimitHeaders(headers))
          : undefined,
      });
      return { ...response, headers: withoutRateLimitHeaders(response.headers) };
    },
    stats: () => inner.stats(),
    close: () => inner.close(),
  };
}
