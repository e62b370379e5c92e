/** The Markdown report's error reasons: the `attempt_errors` counter with an example each, as the terminal summary shows them. */
import { describe, expect, it } from 'vitest';
import { createResult } from '../../harness/engine/result/create-result.js';
import { virtualRecorder } from '../../harness/engine/result/test-helpers.js';
import { renderMarkdown } from '../../reports/markdown.js';
import { sampleResult } from './sample-result.js';

describe('renderMarkdown: error reasons', () => {
  it('lists each reason with its count, operations and example, and what to check for 404s on a URL without /api/public', () => {
    const { recorder, at } = virtualRecorder();
    recorder.counter('ops', { op: 'get_session' }).add(70);
    recorder.counter('attempt_errors', { op: 'get_session', reason: '404' }).add(40);
    recorder.counter('attempt_errors', { op: 'send_message', reason: '404' }).add(20);
    recorder.counter('attempt_errors', { op: 'send_message', reason: 'ECONNRESET' }).add(12);
    at(10_000);
    recorder.stop();
    const result = createResult({
      runId: 'r',
      startedAt: '2026-01-01T00:00:00.000Z',
      recorder,
      scenario: { name: 'smoke' },
      target: { kind: 'url', baseUrl: 'http://127.0.0.1:4010' },
      errorExamples: { '404': 'Failed to GET /thread/{id}: status 404: Not|Found.' },
    });
    const lines = renderMarkdown(result).split('\n');
    const at404 = lines.indexOf('| error | count | operations | example |');
    expect(lines.slice(at404, at404 + 4)).toEqual([
      '| error | count | operations | example |',
      '|---|--:|---|---|',
      '| `404` | 60 | get_session ×40, send_message ×20 | Failed to GET /thread/{id}: status 404: Not\\|Found. |',
      '| `ECONNRESET` | 12 | send_message | — |',
    ]);
    expect(lines).toContain(
      '> **404 ×60:** Not Found — the base URL has no path; check --url ends with /api/public',
    );
  });

  it('shows no errors table for a run without failures', () => {
    expect(renderMarkdown(sampleResult())).not.toContain('| error |');
  });
});
