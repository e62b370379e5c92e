import { Counter, Histogram, Registry } from 'prom-client';
import type { CacheStats, ServiceEventName, UserLimitName } from './types.js';

/**
 * The chat app's Prometheus metrics, on a {@link Registry} of their own (never prom-client's
 * global one: two apps in one process, as in tests, would otherwise share and double-register
 * every metric). Request counts and latencies are recorded as requests end; cache and event
 * counts are read from their sources at scrape time, so nothing on the hot path keeps them.
 */

/** Where the scrape-time counts come from. */
export interface MetricSources {
  cache: { stats(): CacheStats };
  events: { counts(): Readonly<Record<ServiceEventName, number>> };
}

export interface ServiceMetrics {
  /** One finished HTTP request: its route pattern (`/chat`, not the URL), status and duration, s. */
  observeRequest(route: string, status: number, durationSeconds: number): void;
  /** A 429 of the Nexus API passed on to the caller. */
  upstreamRateLimited(): void;
  /** A 429 of a per-user limit. */
  userRateLimited(limit: UserLimitName): void;
  /** The Prometheus text exposition of every metric. */
  render(): Promise<string>;
  /** Its `Content-Type`. */
  readonly contentType: string;
}

/** Latency buckets, s: from a cache-served 5 ms to a reply wait of 30 s. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** A counter whose value is read from `read()` at each scrape. */
function scrapedCounter(registry: Registry, name: string, help: string, read: () => number): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

/**
 * Creates the metrics.
 *
 * @example
 * const metrics = createServiceMetrics({ cache: stores.cache, events });
 * metrics.observeRequest('/chat', 200, 0.42);
 * const text = await metrics.render(); // 'nexus_app_http_requests_total{route="/chat",status="200"} 1' …
 */
export function createServiceMetrics(sources: MetricSources): ServiceMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: 'nexus_app_http_requests_total',
    help: 'HTTP requests answered, by route pattern and status',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'nexus_app_http_request_duration_seconds',
    help: 'Time to answer an HTTP request, by route pattern',
    labelNames: ['route'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const upstream429 = new Counter({
    name: 'nexus_app_upstream_rate_limited_total',
    help: '429s of the Nexus API passed on to callers',
    registers: [registry],
  });
  const user429 = new Counter({
    name: 'nexus_app_user_rate_limited_total',
    help: '429s of the per-user limits, by the limit that refused',
    labelNames: ['limit'] as const,
    registers: [registry],
  });
  scrapedCounter(
    registry,
    'nexus_app_cache_hits_total',
    'Service cache hits',
    () => sources.cache.stats().hits,
  );
  scrapedCounter(
    registry,
    'nexus_app_cache_misses_total',
    'Service cache misses',
    () => sources.cache.stats().misses,
  );
  new Counter({
    name: 'nexus_app_events_total',
    help: 'Service events emitted, by event name',
    labelNames: ['event'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [event, count] of Object.entries(sources.events.counts())) this.inc({ event }, count);
    },
  });

  return {
    observeRequest(route, status, durationSeconds) {
      requests.inc({ route, status: String(status) });
      latency.observe({ route }, durationSeconds);
    },
    upstreamRateLimited: () => upstream429.inc(),
    userRateLimited: (limit) => user429.inc({ limit }),
    render: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
