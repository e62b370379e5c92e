/**
 * `blast`: a scenario's HTTP workload through autocannon, recorded into our histograms and
 * judged like a run. The order of things: check what autocannon can send, open the target,
 * make the threads the requests name (through our client, before the clock), drive autocannon,
 * build the result, judge it. Writes no file and prints nothing: the CLI does. The `chat` op
 * goes to the chat app (target `app`): one user per connection, no threads to make.
 */
import type { Scenario } from '../../../scenarios/model/scenario.js';
import type { Workload } from '../../../scenarios/model/workload.js';
import { createNexusClient } from '../../client/client.js';
import { createRecorder } from '../../engine/recorder/recorder.js';
import { createResult } from '../../engine/result/create-result.js';
import type { ResultSetup, RunResult } from '../../engine/result/types.js';
import { newRunId } from '../../engine/run/run-id.js';
import type { OpenTarget, Target } from '../../engine/run/target.js';
import { judge } from '../../engine/thresholds/judge.js';
import { UsageError } from '../../util/errors.js';
import { chatRequests, chatUserId } from './chat-requests.js';
import { type AutocannonFigures, driveAutocannon } from './driver.js';
import { type LoadOverrides, type LoadShape, loadShape } from './load-shape.js';
import {
  type BlastOp,
  type BlastSlot,
  blastCycle,
  blastRequests,
  blastWeights,
  needsThreads,
  rotate,
} from './requests.js';
import { createResponseRecorder, type ResponseTally } from './response-recorder.js';

/** Options of {@link blast}. */
export interface BlastOptions extends LoadOverrides {
  /**
   * Where the load goes: `mockTarget()` or `urlTarget(…)` for the API's ops, `appTarget()` (the
   * mock and the chat app, started and closed by the blast, or `{ appUrl }`) for `chat`.
   * autocannon's raw sockets pass by MSW.
   */
  target: Target;
  /** The op mix to send instead of the scenario's (`--mix`). */
  mix?: Workload['mix'];
  /**
   * Threads made in the setup, shared by the connections round-robin. Default one per
   * connection, at most {@link MAX_SETUP_THREADS}. 1 sends every request to the same thread.
   */
  threads?: number;
  /** A request unanswered after this long is lost (status `network`), ms. Default 10 000. */
  timeoutMs?: number;
  /** Default `process.env`: the key of a URL target (`NEXUS_API_KEY`). */
  env?: NodeJS.ProcessEnv;
  /** Default a new one (`newRunId()`). */
  runId?: string;
  /** Stops the load early; the result is then partial (verdict `interrupted`). */
  signal?: AbortSignal;
}

/** What a blast produced: our result, and autocannon's own raw figures beside it (for comparison). */
export interface BlastOutcome {
  /** The judged result document (parseResult-valid), ready for `result.json`. */
  result: RunResult;
  autocannon: AutocannonFigures;
  tally: ResponseTally & { dropped: number };
  load: LoadShape;
}

/** Threads made in the setup at most: connections share them round-robin beyond that. */
export const MAX_SETUP_THREADS = 50;

/** The metrics a blast records: the scenario's thresholds on any other do not apply to it. */
const BLAST_METRICS: ReadonlySet<string> = new Set([
  'http_reqs',
  'http_req_duration',
  'http_req_failed',
  'rate_limited',
  'ops',
  'op_duration',
  'op_failed',
  'dropped_iterations',
]);

/** What a blast of the chat op records besides (chat-metrics.ts has them for `run`). */
const CHAT_METRICS: ReadonlySet<string> = new Set(['app_5xx', 'reply_latency']);

/** The target kinds autocannon's raw sockets can reach. */
const BLASTABLE = new Set(['mock', 'url', 'app']);

/** What {@link planBlast} checked and worked out. */
export interface BlastPlan {
  workload: Workload;
  weights: Partial<Record<BlastOp, number>>;
  cycle: BlastSlot[];
  load: LoadShape;
  /** The mix is the chat op (to the chat app, target `app`), not the API's ops. */
  chat: boolean;
}

/**
 * Every check a blast makes before it sends anything (a scripted scenario, a target autocannon
 * cannot reach, an op it cannot send, chat beside API ops, chat without the app or the app
 * without chat, a bad load flag), without I/O: the CLI calls it before it makes the out-dir, so
 * a refusal leaves no empty folder. Throws a `UsageError`.
 *
 * @example
 * planBlast(steady, { target: mockTarget(), mix: { getSession: 1 } }).load.connections // 50
 */
export function planBlast(
  scenario: Scenario,
  options: Omit<BlastOptions, 'target'> & { target: { kind: string } },
): BlastPlan {
  if (scenario.workload === null) {
    throw new UsageError(
      `Failed to blast ${scenario.name}: it has a scripted iteration, which autocannon cannot replay. Use \`nexus-harness run\`.`,
    );
  }
  const weights = blastWeights(options.mix ?? scenario.workload.mix);
  if (!BLASTABLE.has(options.target.kind)) {
    throw new UsageError(
      `Failed to blast against target ${options.target.kind}: autocannon sends on its own sockets, so only the mock (--target mock), a URL (--target url --url …) or the chat app (--target app) can take its load.`,
    );
  }
  const chat = weights.chat !== undefined;
  if (chat && options.target.kind !== 'app') {
    throw new UsageError(
      `Failed to blast ${scenario.name}: op chat posts to the chat app, and target ${options.target.kind} has none. Use --target app (the harness starts the mock and the app), with --app-url for an app already running.`,
    );
  }
  if (!chat && options.target.kind === 'app') {
    throw new UsageError(
      `Failed to blast ${scenario.name} against target app: blast sends only the chat op to the app (--mix chat=1), and the mix has ${Object.keys(weights).join(', ')}, ops of the API. Blast those with --target mock or --target url.`,
    );
  }
  const cycle = blastCycle(weights);
  const load = loadShape(scenario, options);
  if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads >= 1)) {
    throw new UsageError(
      `Failed to blast ${scenario.name}: --threads must be an integer ≥ 1 (got ${options.threads}).`,
    );
  }
  return { workload: scenario.workload, weights, cycle, load, chat };
}

/**
 * Runs `scenario`'s op mix through autocannon against `options.target` and returns the judged
 * result. Throws a `UsageError` (before any load) for an op autocannon cannot send, a scripted
 * scenario, a target it cannot reach or a bad load flag. The target it opens (the mock and the
 * app it starts) is closed on every path, an abort by `signal` included.
 *
 * @example
 * const { result, autocannon } = await blast(validateScenario(input), { target: mockTarget(), durationMs: 2_000, connections: 10 });
 * result.verdict; // 'passed' | 'failed'
 * await blast(BUILTIN_SCENARIOS['chat-app'], { target: appTarget(), durationMs: 2_000 }); // POST /chat, one user per connection
 */
export async function blast(scenario: Scenario, options: BlastOptions): Promise<BlastOutcome> {
  const { workload, weights, cycle, load, chat } = planBlast(scenario, options);
  const env = options.env ?? process.env;
  const notices = [...load.notes];
  const target = await options.target.open({ mock: scenario.mock, app: scenario.app, env });
  try {
    const startedSetup = performance.now();
    const made = needsThreads(cycle)
      ? await makeThreads(
          target,
          Math.max(1, Math.min(options.threads ?? load.connections, MAX_SETUP_THREADS)),
        )
      : null;
    const threads = made?.ids ?? [];
    if (chat && target.appUrl === undefined) {
      throw new Error(`Failed to blast the chat op: target ${target.kind} opened with no chat app URL.`);
    }
    const base = new URL(chat ? target.appUrl! : target.baseUrl);
    const context = {
      basePath: base.pathname.replace(/\/+$/, ''),
      apiKey: target.apiKey,
      workload,
      seed: scenario.seed,
    };
    const perConnection = Array.from({ length: load.connections }, (_, c) => {
      if (chat) {
        const requests = chatRequests(c, context);
        return { requests, ops: requests.map((): BlastOp => 'chat') };
      }
      return {
        requests: blastRequests(
          cycle,
          threads.length === 0 ? undefined : threads[c % threads.length],
          c,
          context,
        ),
        ops: rotate(cycle, c).map((s) => s.op),
      };
    });
    if (chat) {
      const users =
        load.connections === 1 ? chatUserId(0) : `${chatUserId(0)} … ${chatUserId(load.connections - 1)}`;
      notices.push(
        `chat: one user per connection (${users}), each with one chat in flight; ` +
          `the scenario's workload.chat.users (${workload.chat.users}) is not used`,
      );
    }
    const setup: ResultSetup = {
      durationMs: performance.now() - startedSetup,
      vus: load.connections,
      initialised: threads.length,
      initFailed: 0,
      warmRequests: 0,
      requests: made?.requests ?? 0,
      rateLimited: made?.rateLimited ?? 0,
      connections: 0,
      cutShort: null,
      skipped: null,
    };
    const startedAt = new Date();
    const recorder = createRecorder();
    const responses = createResponseRecorder({ sink: recorder, ratePerSec: load.ratePerSec });
    recorder.gauge('vus', {}).set(load.connections);
    const figures = await driveAutocannon({
      origin: base.origin,
      connections: load.connections,
      durationMs: load.durationMs,
      ratePerSec: load.ratePerSec,
      timeoutMs: options.timeoutMs,
      requestsFor: (c) => perConnection[c]!.requests,
      tapFor: (c) => responses.connection(perConnection[c]!.ops),
      signal: options.signal,
      onStart: () => responses.start(),
    });
    recorder.stop();
    const tally = responses.finish(recorder.elapsedMs());
    // The app target reads the app's own /metrics now (bounded there), for target.app in the result.
    await target.loadEnded?.().catch(() => {});
    if (tally.inFlight > 0)
      notices.push(`${tally.inFlight} request(s) still in flight when the load ended: in no figure`);
    notices.push(
      "no audit: blast sends autocannon's fixed requests without op ids, so the mock's ledger cannot be matched to operations",
    );
    const { applicable, skipped } = applicableThresholds(scenario.thresholds, chat);
    if (skipped.length > 0)
      notices.push(`thresholds a blast cannot produce, not judged: ${skipped.join(', ')}`);
    const interrupted = options.signal?.aborted ?? false;
    const result = createResult({
      runId: options.runId ?? newRunId(),
      startedAt,
      interrupted,
      interruptedBy: interrupted ? 'signal' : null,
      scenario: {
        name: scenario.name,
        description: scenario.description,
        resolved: scenario,
        driver: 'autocannon',
        load: { connections: load.connections, ratePerSec: load.ratePerSec, durationMs: load.durationMs },
        mix: weights,
        thresholds: applicable,
      },
      target: target.describe(),
      audit: null,
      setup,
      recorder,
      notices,
    });
    const verdict = judge(result, applicable);
    return {
      result: { ...result, thresholds: verdict.thresholds, passed: verdict.passed, verdict: verdict.verdict },
      autocannon: figures,
      tally,
      load,
    };
  } finally {
    await target.close();
  }
}

/** The scenario's thresholds on metrics a blast records (a chat blast records two more), and the keys of the others. */
function applicableThresholds(
  thresholds: Scenario['thresholds'],
  chat: boolean,
): {
  applicable: Record<string, unknown>;
  skipped: string[];
} {
  const applicable: Record<string, unknown> = {};
  const skipped: string[] = [];
  for (const [key, value] of Object.entries(thresholds)) {
    const metric = key.split('{')[0]!.trim();
    if (BLAST_METRICS.has(metric) || (chat && CHAT_METRICS.has(metric))) applicable[key] = value;
    else skipped.push(key);
  }
  return { applicable, skipped };
}

/**
 * Creates `count` threads through our client (its pool, limiter and retries: a 429 in the
 * setup is waited out as the client would), so the blast's requests hit real threads.
 */
async function makeThreads(
  target: OpenTarget,
  count: number,
): Promise<{ ids: string[]; requests: number; rateLimited: number }> {
  let requests = 0;
  let rateLimited = 0;
  const client = createNexusClient({
    ...target.clientOptions,
    baseUrl: target.baseUrl,
    apiKey: target.apiKey,
    hooks: {
      onAttemptEnd(event) {
        requests++;
        if (event.status === 429) rateLimited++;
      },
    },
  });
  try {
    const ids = await Promise.all(
      Array.from({ length: count }, async () => (await client.createSession()).id),
    );
    return { ids, requests, rateLimited };
  } catch (err) {
    throw new Error(
      `Failed to set up threads for the blast on ${target.describe().baseUrl}: ${(err as Error).message}. Check the target answers POST /thread with this key.`,
      { cause: err },
    );
  } finally {
    await client.close();
  }
}
