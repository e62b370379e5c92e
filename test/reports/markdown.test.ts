import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../reports/markdown.js';
import { sampleAudit, sampleResult } from './sample-result.js';

describe('renderMarkdown', () => {
  it('states the verdict, a per-operation table, 429s, the audit and every threshold with its measured value', () => {
    const md = renderMarkdown(
      sampleResult({ 'op_duration{op:send_message}': ['p(95)<0.001', 'p(99)<500'], op_failed: ['rate<0.5'] }),
    );
    const lines = md.split('\n');
    expect(lines[0]).toBe('### nexus-harness: `smoke` — ❌ **FAILED**');
    expect(lines).toContain('| operation | count | failed | p50 | p90 | p99 |');
    expect(lines).toContain('| get_session | 20 | 2 | 52.511 ms | 90.559 ms | 100 ms |');
    expect(lines).toContain('| send_message | 40 | 0 | 20.015 ms | 36.031 ms | 40 ms |');
    expect(lines).toContain('**429s:** 15 of 75 requests (20 % of requests)');
    expect(md).toMatch(/\*\*Audit:\*\* passed — ✓ duplicates 0, ✓ lost 0, ✓ retry_after_violations 0/);
    expect(lines).toContain('| ✗ | `op_duration{op:send_message}: p(95)<0.001` | 38.015 ms |');
    expect(lines).toContain('| ✓ | `op_duration{op:send_message}: p(99)<500` | 40 ms |');
    expect(lines).toContain('| ✓ | `op_failed: rate<0.5` | 0.033 |');
  });

  it('says n/a and why for the audit of a target without a ledger', () => {
    const md = renderMarkdown(sampleResult({ duplicates: ['count==0'] }, null));
    expect(md).toContain('**Audit:** n/a — this target has no ledger (url)');
    expect(md).toContain('| – | `duplicates: count==0` | n/a: this target has no ledger (url) |');
    expect(md.split('\n')[0]).toContain('✅ **PASSED**');
  });

  it('marks a failed audit check and keeps hostile names from breaking the table', () => {
    const result = sampleResult({}, sampleAudit(2));
    result.scenario = { name: 'a|b\n<script>`' };
    const md = renderMarkdown(result);
    expect(md).toContain('✗ duplicates 2');
    expect(md.split('\n')[0]).toBe("### nexus-harness: `a\\|b <script>'` — ✅ **PASSED**");
    expect(md).toContain('No thresholds.');
  });
});
