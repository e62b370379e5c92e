import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type RunningChatApp, startChatApp } from '../../../harness/app/index.js';
import { parseResult } from '../../../harness/engine/result/parse-result.js';
import type { RunResult } from '../../../harness/engine/result/types.js';
import type { TargetDescription } from '../../../harness/engine/run/target.js';
import { blast } from '../../../harness/runners/autocannon/blast.js';
import { appTarget } from '../../../harness/targets/index.js';
import type { RunningMockServer } from '../../../mock-server/http/server.js';
import { validateScenario } from '../../../scenarios/model/scenario.js';
import { API_KEY, FAST_CLIENT, startFastMock } from '../../app/support.js';
import { runCliInProcess as cli } from '../../support/cli.js';

// The chat op through autocannon against the chat app on loopback: short loads at the built-in
// scenario's 10/s, or 2 connections closed. Assertions are on counts, statuses and on what the
// app or the mock counted on its side, never on throughput or wall-clock time.

const outRoot = mkdtempSync(join(tmpdir(), 'nexus-harness-blast-chat-'));
afterAll(() => rmSync(outRoot, { recursive: true, force: true }));

type Entries = { tags: Record<string, string>; stats: { count: number } }[];
/** The count of `metric` (a counter or a trend) over its tag sets that have `tags`. */
function total(result: RunResult, metric: string, tags: Record<string, string> = {}): number {
  const entries: Entries = (result.metrics[metric]?.values ?? []) as never;
  return entries
    .filter((e) => Object.entries(tags).every(([k, v]) => e.tags[k] === v))
    .reduce((sum, e) => sum + e.stats.count, 0);
}

/** The result's target (typed `unknown` in the result: the target fills it). */
const targetOf = (result: RunResult) => result.target as TargetDescription;

/** Requests the blast sent but saw neither answered nor lost (its notice), 0 when none. */
const inFlightOf = (result: RunResult) =>
  Number(/(\d+) request\(s\) still in flight/.exec((result.notices ?? []).join('\n'))?.[1] ?? 0);

/** Whether something still accepts connections at `url`: the app must be closed after a blast. */
async function answers(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) });
    return true;
  } catch {
    return false;
  }
}

describe('nexus-harness blast chat-app', () => {
  it("posts the chat op to the app it starts: every response counted, all 2xx, the app's /metrics saw them, exit 0", async () => {
    const out = join(outRoot, 'ok');
    const outcome = await cli(['blast', 'chat-app', '--duration', '2s', '--out', out]);
    expect(outcome.code, outcome.stderr).toBe(0);
    const result = parseResult(JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')));
    const ours = total(result, 'http_reqs', { op: 'chat' });
    expect(ours).toBeGreaterThan(0);
    expect(total(result, 'http_reqs')).toBe(ours);
    const theirs = Number(/its own count ([\d,]+) responses/.exec(outcome.stdout)?.[1]?.replaceAll(',', ''));
    expect(theirs).toBe(ours);
    expect(total(result, 'http_reqs', { status: '2xx' })).toBe(ours);
    // Independent of our recorder: the app's own count of POST /chat, read before it closed.
    // Each answer we saw is one it counted; a chat cut in flight at the end may be counted too.
    expect(targetOf(result).kind).toBe('app');
    expect(targetOf(result).app?.started).toBe(true);
    const app200 = targetOf(result).app?.chatRequests?.['200'] ?? 0;
    expect(app200).toBeGreaterThanOrEqual(ours);
    expect(app200).toBeLessThanOrEqual(ours + inFlightOf(result));
    // The thresholds a chat blast records are judged (app_5xx as run counts it); the audit's
    // and completion are named, not judged.
    const judged = result.thresholds.map((t) => t.metric);
    expect(judged).toEqual(expect.arrayContaining(['app_5xx', 'op_failed', 'reply_latency{op:chat}']));
    expect(judged).not.toContain('duplicates');
    expect(result.notices?.find((n) => n.includes('not judged'))).toMatch(/completion.*duplicates/);
    expect(total(result, 'reply_latency', { op: 'chat' })).toBe(ours);
    expect(result.verdict).toBe('passed');
    // The mock and the app it started are closed.
    expect(await answers(targetOf(result).app!.url)).toBe(false);
  });

  it('exits 99 when a threshold on a chat metric fails', async () => {
    const file = join(outRoot, 'chat-strict.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'chat-strict',
        target: 'app',
        executors: { main: { executor: 'constant-vus', vus: 2, duration: '1s' } },
        workload: { mix: { chat: 1 } },
        app: { limits: { messagesPerMinute: 6_000, messagesPerHour: 100_000, sessionsPerDay: 1_000 } },
        mock: { limits: false, assistant: { delay: { type: 'fixed', ms: 20 } } },
        // No chat is answered in less than a microsecond: the assistant alone takes 20 ms.
        thresholds: { 'reply_latency{op:chat}': ['p(99)<0.001'] },
      }),
    );
    const outcome = await cli(['blast', file, '--no-out']);
    expect(outcome.code, outcome.stderr).toBe(99);
    expect(outcome.stdout).toContain('FAILED');
  });

  it('refuses chat beside API ops, chat without the app and the app without chat (exit 2, before any folder)', async () => {
    const out = join(outRoot, 'refused');
    const mixed = await cli(['blast', 'chat-app', '--mix', 'chat=1,getSession=1', '--out', out]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/op chat goes to the chat app and getSession to the API/);
    expect(existsSync(out)).toBe(false);
    const noApp = await cli(['blast', 'steady', '--mix', 'chat=1', '--no-out']);
    expect(noApp.code).toBe(2);
    expect(noApp.stderr).toMatch(/op chat posts to the chat app, and target mock has none/);
    const noChat = await cli(['blast', 'chat-app', '--mix', 'getSession=1', '--no-out']);
    expect(noChat.code).toBe(2);
    expect(noChat.stderr).toMatch(/blast sends only the chat op to the app/);
  });

  it('refuses an --app-url that is not loopback without --allow-remote, and --app-url off target app (exit 2)', async () => {
    const remote = await cli(['blast', 'chat-app', '--app-url', 'http://203.0.113.7:3000', '--no-out']);
    expect(remote.code).toBe(2);
    expect(remote.stderr).toMatch(
      /Refusing to send load to 203\.0\.113\.7:3000: it is not a loopback address/,
    );
    const offTarget = await cli([
      'blast',
      'steady',
      '--mix',
      'getSession=1',
      '--app-url',
      'http://127.0.0.1:9',
      '--no-out',
    ]);
    expect(offTarget.code).toBe(2);
    expect(offTarget.stderr).toContain('--app-url is only used with --target app');
  });

  it('teaches the app target in --help: the choice, --app-url and an example', async () => {
    const help = await cli(['blast', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--target[\s\S]*"app"/);
    expect(help.stdout).toContain('--app-url');
    expect(help.stdout).toContain('blast chat-app --duration 5s --rate 20');
    expect(help.stdout).not.toMatch(/conversation, chat and scripted/);
  });

  it('stops at Ctrl-C with a partial result (exit 105) and closes the app it started', async () => {
    const out = join(outRoot, 'interrupted');
    const stop = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const outcome = await cli(['blast', 'chat-app', '--duration', '30s', '--out', out], {
      signal: stop.signal,
      onStderr: (text) => {
        // Once the blast has begun, a moment for the app to start and answer, then Ctrl-C.
        if (timer === undefined && text.includes('Blasting')) timer = setTimeout(() => stop.abort(), 1_500);
      },
    });
    clearTimeout(timer);
    expect(outcome.code, outcome.stderr).toBe(105);
    const result = parseResult(JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')));
    expect(result.interrupted).toBe(true);
    expect(await answers(targetOf(result).app!.url)).toBe(false);
  });
});

describe('blast against a chat app already running (--app-url)', () => {
  it("sends to it, starts nothing, and the mock behind it stored every chat's message", async () => {
    const mock: RunningMockServer = await startFastMock();
    let app: RunningChatApp | undefined;
    try {
      app = await startChatApp({
        nexusUrl: mock.url,
        apiKey: API_KEY,
        port: 0,
        logger: false,
        limits: { messagesPerMinute: 6_000, messagesPerHour: 100_000, sessionsPerDay: 1_000 },
        clientOptions: FAST_CLIENT,
      });
      const scenario = validateScenario({
        name: 'chat-running',
        target: 'app',
        executors: { main: { executor: 'constant-vus', vus: 2, duration: '1s' } },
        workload: { mix: { chat: 1 } },
        thresholds: { app_5xx: ['rate==0'] },
      });
      const { result, autocannon, tally } = await blast(scenario, {
        target: appTarget({ appUrl: app.url }),
        env: {},
      });
      const ours = total(result, 'http_reqs', { op: 'chat', status: '2xx' });
      expect(ours).toBeGreaterThan(0);
      expect(total(result, 'http_reqs')).toBe(autocannon.responses);
      expect(ours).toBe(autocannon.responses);
      expect(targetOf(result).app?.started).toBe(false);
      // The app sent one message upstream per chat: every answered chat's, and any cut in flight.
      const sends = mock.simulator
        .ledger(0)
        .requests.filter((r) => r.route === 'sendMessage' && r.status < 300).length;
      expect(sends).toBeGreaterThanOrEqual(ours);
      expect(sends).toBeLessThanOrEqual(tally.sent);
      expect(result.verdict).toBe('passed');
      // Not ours to close: the app still answers.
      expect(await answers(app.url)).toBe(true);
    } finally {
      await app?.close();
      await mock.close();
    }
  });
});
