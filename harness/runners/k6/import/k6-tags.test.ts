import { describe, expect, it } from 'vitest';
import { keptTags, splitSubmetric, statusClass } from './k6-tags.js';

describe('k6 tags', () => {
  it('keeps op and user tags, drops url-like and connection tags, classes the status', () => {
    const url = 'http://127.0.0.1:4010/api/public/thread/9f';
    expect(
      keptTags({
        op: 'get_session',
        url,
        name: url,
        proto: 'HTTP/1.1',
        group: '',
        status: '429',
        method: 'GET',
      }),
    ).toEqual({ op: 'get_session', status: '429', method: 'GET' });
    expect(keptTags({ name: 'GET /thread/{id}', url, status: '0' })).toEqual({
      name: 'GET /thread/{id}',
      status: 'network',
    });
    expect(keptTags(null)).toEqual({});
  });

  it('classes statuses as our recorder does', () => {
    expect(['200', '201', '302', '404', '429', '503', '0'].map(statusClass)).toEqual([
      '2xx',
      '2xx',
      '3xx',
      '4xx',
      '429',
      '5xx',
      'network',
    ]);
  });

  it('splits submetric keys', () => {
    expect(splitSubmetric('http_req_duration{op:get_session,status:2xx}')).toEqual({
      name: 'http_req_duration',
      tags: { op: 'get_session', status: '2xx' },
    });
    expect(splitSubmetric('iterations')).toEqual({ name: 'iterations', tags: {} });
  });
});
