import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuditReport } from '../../harness/engine/auditor/audit.js';
import type { CounterEntry, RateEntry, RunResult } from '../../harness/engine/result/types.js';
import type { TargetDescription } from '../../harness/engine/run/target.js';
import { runCliInProcess } from '../support/cli.js';

const outRoot = mkdtempSync(join(tmpdir(), 'nexus-chat-app-'));
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

/** The counts of a counter's tag sets that carry every tag of `tags`, summed. */
function counted(result: RunResult, metric: string, tags: Record<string, string>): number {
  const values = (result.metrics[metric]?.values ?? []) as CounterEntry[];
  return values
    .filter((v) => Object.entries(tags).every(([k, want]) => v.tags[k] === want))
    .reduce((sum, v) => sum + v.stats.count, 0);
}

/**
 * Issue 12's acceptance line: `nexus-harness run chat-app` (the mock and the chat app started
 * by the harness on loopback, chats through the app's HTTP face) passes with no 5xx from the
 * app, a clean audit through the op ids the app forwards, and the app's own /metrics counting
 * exactly the chats the run sent.
 */
describe('nexus-harness run chat-app', () => {
  it('exits 0: no 5xx from the app, a clean audit, and the app counted what the run sent', async () => {
    const out = join(outRoot, 'run');
    const { code, stdout, stderr } = await runCliInProcess(['run', 'chat-app', '--out', out, '--quiet']);
    expect(code, `${stdout}\n${stderr}`).toBe(0);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult;

    const chats = counted(result, 'ops', { op: 'chat' });
    expect(chats).toBe(50); // 10/s for 5 s, every one done (completion is a threshold too)
    expect(counted(result, 'http_reqs', { op: 'chat' })).toBe(chats);
    expect(counted(result, 'http_reqs', { op: 'chat', status: '2xx' })).toBe(chats);
    const app5xx = (result.metrics.app_5xx?.values ?? []) as RateEntry[];
    expect(app5xx.map((v) => v.stats)).toEqual([{ rate: 0, passes: 0, fails: chats }]);

    const audit = result.audit as AuditReport;
    expect(audit).toMatchObject({ complete: true, duplicates: { count: 0 }, lost: { count: 0 } });
    expect(audit.retryAfterViolations.count).toBe(0);
    expect(audit.failedButApplied.count).toBe(0);
    // The app's Nexus calls were in the ledger under the run's key: sends, sessions and reads.
    expect(audit.requests).toBeGreaterThanOrEqual(2 * chats);

    // The app's own account, read from its /metrics before it closed: POST /chat by status.
    const target = result.target as TargetDescription;
    expect(target).toMatchObject({ kind: 'app', audited: true, app: { started: true } });
    expect(target.app?.chatRequests).toEqual({ '200': chats });
    for (const t of result.thresholds) expect(t.status, `${t.metric}: ${t.expression}`).toBe('pass');
    expect(result.thresholds.map((t) => t.metric)).toEqual(
      expect.arrayContaining(['app_5xx', 'duplicates', 'lost']),
    );
  }, 60_000);

  it('refuses, exit 2, a chat mix without the app, --app-url without --target app, and a remote app', async () => {
    const onMock = await runCliInProcess(['run', 'chat-app', '--target', 'mock', '--no-out']);
    expect(onMock.code).toBe(2);
    expect(onMock.stderr).toContain("scenario chat-app's mix has the chat op");
    const stray = await runCliInProcess(['run', 'smoke', '--app-url', 'http://127.0.0.1:1', '--no-out']);
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain('--app-url is only used with --target app');
    const remote = await runCliInProcess([
      'run',
      'chat-app',
      '--app-url',
      'http://example.com:3000',
      '--no-out',
    ]);
    expect(remote.code).toBe(2);
    expect(remote.stderr).toContain(
      'Refusing to send load to example.com:3000: it is not a loopback address',
    );
  });
});
