import { describe, expect, it } from 'vitest';
import { chatRequestsOf, parsePrometheusText } from './app-metrics.js';

const EXPOSITION = [
  '# HELP nexus_app_http_requests_total HTTP requests answered, by route pattern and status',
  '# TYPE nexus_app_http_requests_total counter',
  'nexus_app_http_requests_total{route="/chat",status="200"} 40',
  'nexus_app_http_requests_total{route="/chat",status="429"} 2',
  'nexus_app_http_requests_total{route="/health",status="200"} 1',
  'nexus_app_http_request_duration_seconds_bucket{le="0.5",route="/chat"} 39',
  'nexus_app_weird{note="a \\"quoted\\" \\\\ value"} 1 1700000000000',
  'not a sample',
  '',
].join('\n');

describe('the app target reading /metrics', () => {
  it('parses samples, labels unescaped, comments and malformed lines skipped', () => {
    const samples = parsePrometheusText(EXPOSITION);
    expect(samples).toHaveLength(5);
    expect(samples[4]).toEqual({
      name: 'nexus_app_weird',
      labels: { note: 'a "quoted" \\ value' },
      value: 1,
    });
  });

  it('counts POST /chat by status, and says null when the app has no such counter', () => {
    expect(chatRequestsOf(EXPOSITION)).toEqual({ '200': 40, '429': 2 });
    expect(chatRequestsOf('nexus_app_http_requests_total{route="/health",status="200"} 1\n')).toEqual({});
    expect(chatRequestsOf('# nothing here\n')).toBeNull();
  });
});
