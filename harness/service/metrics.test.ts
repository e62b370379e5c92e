import { describe, expect, it } from 'vitest';
import { createServiceMetrics } from './metrics.js';

describe('service metrics', () => {
  it('renders requests, latency, 429s by source, cache and event counts read at scrape', async () => {
    const stats = { hits: 3, misses: 1 };
    const counts = { 'message:received': 2, 'response:generated': 1, 'error:occurred': 0 };
    const metrics = createServiceMetrics({ cache: { stats: () => stats }, events: { counts: () => counts } });
    metrics.observeRequest('/chat', 200, 0.2);
    metrics.observeRequest('/chat', 429, 0.001);
    metrics.upstreamRateLimited();
    metrics.userRateLimited('messagesPerMinute');
    const text = await metrics.render();
    expect(text).toContain('nexus_app_http_requests_total{route="/chat",status="200"} 1');
    expect(text).toContain('nexus_app_http_request_duration_seconds_count{route="/chat"} 2');
    expect(text).toContain('nexus_app_upstream_rate_limited_total 1');
    expect(text).toContain('nexus_app_user_rate_limited_total{limit="messagesPerMinute"} 1');
    expect(text).toContain('nexus_app_cache_hits_total 3');
    expect(text).toContain('nexus_app_events_total{event="message:received"} 2');
    stats.hits = 5;
    expect(await metrics.render()).toContain('nexus_app_cache_hits_total 5');
    expect(metrics.contentType).toMatch(/^text\/plain/);
  });

  it('keeps each app on its own registry (two in one process do not collide)', async () => {
    const sources = {
      cache: { stats: () => ({ hits: 0, misses: 0 }) },
      events: { counts: () => ({ 'message:received': 0, 'response:generated': 0, 'error:occurred': 0 }) },
    };
    const a = createServiceMetrics(sources);
    const b = createServiceMetrics(sources);
    a.observeRequest('/health', 200, 0.01);
    expect(await b.render()).not.toContain('route="/health"');
  });
});
