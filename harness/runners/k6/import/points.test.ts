import { describe, expect, it } from 'vitest';
import { PointsReader } from './points.js';

const metric = (name: string, type: string) =>
  JSON.stringify({
    type: 'Metric',
    metric: name,
    data: { name, type, contains: 'time', thresholds: [], submetrics: null },
  });
const point = (name: string, value: unknown, tags: Record<string, string>, time = '2026-12-01T07:35:30.5Z') =>
  JSON.stringify({ type: 'Point', metric: name, data: { time, value, tags } });

describe('PointsReader', () => {
  it('records trends in µs histograms, counters, rates (non-zero passes) and gauges by kept tags', () => {
    const r = new PointsReader();
    const lines = [
      metric('http_req_duration', 'trend'),
      point('http_req_duration', 1.5, { op: 'get_session', status: '200', url: 'http://x/thread/1' }),
      point('http_req_duration', 2.5, { op: 'get_session', status: '201', url: 'http://x/thread/2' }),
      metric('http_req_failed', 'rate'),
      point('http_req_failed', 0, {}),
      point('http_req_failed', 1, {}),
      metric('vus', 'gauge'),
      point('vus', 3, {}, '2026-12-01T07:35:31.5Z'),
    ];
    for (const [i, l] of lines.entries()) r.line(l, i + 1);
    expect(r.problems).toEqual([]);
    const done = r.finish();
    expect(done.metrics.http_req_duration!.values).toHaveLength(1);
    expect(done.metrics.http_req_duration!.values[0]!.tags).toEqual({ op: 'get_session', status: '2xx' });
    expect(done.metrics.http_req_duration!.values[0]!.stats).toMatchObject({
      count: 2,
      min: 1.5,
      max: 2.5,
      avg: 2,
    });
    expect(done.metrics.http_req_failed!.values[0]!.stats).toEqual({ rate: 0.5, passes: 1, fails: 1 });
    expect(done.lastMs! - done.firstMs!).toBe(1_000);
  });

  it('renames a k6 metric whose name is one of ours of another kind', () => {
    const r = new PointsReader();
    r.line(metric('ops', 'trend'), 1);
    r.line(point('ops', 5, {}), 2);
    expect(Object.keys(r.finish().metrics)).toEqual(['k6_ops']);
  });

  it('stops at the trend tag-set bound, naming the line and the tags', () => {
    const r = new PointsReader(2);
    r.line(metric('op_duration', 'trend'), 1);
    for (let i = 0; i < 3; i++) r.line(point('op_duration', 1, { user: `u${i}` }), i + 2);
    expect(r.full).toBe(true);
    expect(r.problems).toEqual([
      expect.objectContaining({
        path: 'line 4: data.tags',
        message: expect.stringMatching(/more than 2 tag sets .*"user":"u2"/),
      }),
    ]);
  });
});
