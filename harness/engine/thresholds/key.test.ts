import { describe, expect, it } from 'vitest';
import { parseThresholdKey } from './key.js';

describe('parseThresholdKey', () => {
  it.each([
    ['http_req_duration', 'http_req_duration', null],
    ['  ops  ', 'ops', null],
    ['http_req_duration{op:send}', 'http_req_duration', { op: 'send' }],
    ['http_req_duration{ op : send , status:2xx }', 'http_req_duration', { op: 'send', status: '2xx' }],
    ['op_duration{op:"send message"}', 'op_duration', { op: 'send message' }],
    ["op_duration{url:'http://x:1/a'}", 'op_duration', { url: 'http://x:1/a' }],
    ['http_reqs{expected_response:true}', 'http_reqs', { expected_response: 'true' }],
  ])('parses %j', (text, metric, filter) => {
    expect(parseThresholdKey(text)).toEqual({ ok: true, key: { metric, filter } });
  });

  it.each([
    ['', /not a metric name/],
    ['1ops', /not a metric name/],
    ['http-reqs', /not a metric name/],
    ['ops{', /must end with '}'/],
    ['ops{}', /empty tag filter/],
    ['ops{ }', /empty tag filter/],
    ['ops{op}', /needs the form tag:value/],
    ['ops{op:}', /empty value/],
    ['ops{:send}', /not a tag name/],
    ['ops{op:a,op:b}', /appears twice/],
    ['ops{op:{a}}', /must not contain braces/],
    ['ops{op:a}x', /must end with '}'/],
  ])('rejects %j', (text, message) => {
    const parsed = parseThresholdKey(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });
});
