import type { Workload } from '../../../scenarios/model/workload.js';
import type { NexusClient } from '../../client/client.js';
import { deriveRandom, type Random } from '../../util/random.js';
import type { ClientOperationRecord } from '../auditor/audit.js';
import type {
  EngineClock,
  IterationContext,
  IterationFn,
  SampleSink,
  TrendHandle,
  VuInitFn,
} from '../types.js';
import { type ChatHandles, chatFailure, createChatHandles, recordChat } from './chat-metrics.js';
import type { ChatSender } from './chat-sender.js';
import { createEffectLog } from './effect-log.js';
import { createMessageText } from './message-text.js';
import { type OpHandles, opHandlesFor } from './op-handles.js';
import { createOpPicker, WORKLOAD_OP_TAG, type WorkloadOp } from './op-picker.js';

/** Options of {@link createWorkload}. */
export interface WorkloadOptions {
  workload: Workload;
  client: NexusClient;
  sink: SampleSink;
  /** The executors' clock: intended starts are on it. */
  clock: EngineClock;
  /** Seeds the op mix and message sizes: iteration i of a run always picks the same op. */
  seed: number;
  /** Prefix of every op id (`x-harness-op`), unique per run so ledgers of several runs never mix. */
  runTag: string;
  /** Where the `chat` op posts (the target's app); absent: a `chat` op fails, saying why. */
  chat?: ChatSender;
}

/** A workload ready to run: the iteration function and what it told the auditor. */
export interface RunnableWorkload {
  iteration: IterationFn;
  /** Effectful client calls (createSession, sendMessage) with their outcome, for the auditor. */
  effectfulCalls(): readonly ClientOperationRecord[];
  /** Sets up a VU before its first iteration (see {@link VuInitFn}); absent: VUs need none. */
  initVu?: VuInitFn;
  /**
   * Sends `requests` cheap reads (`getSession` of a set-up VU's session), `concurrency` at a
   * time, to open the client's connections and run its hot path before the clock starts.
   * Resolves with how many succeeded (0 when no VU has a session to read). Never rejects.
   */
  warmUp?(requests: number, concurrency: number, signal: AbortSignal): Promise<number>;
}

/** What one VU keeps between its iterations. */
interface VuState {
  sessionId: string | null;
  /** Newest message id seen by `poll`. */
  lastSeenId: string | undefined;
}

/**
 * Builds the iteration function for a scenario's workload. Each iteration picks one operation
 * from the mix (seeded by the iteration number) and runs it through the client; it records
 * `op_duration` from the iteration's **intended start** (so time spent waiting for a free VU
 * or in the client's limiter counts: coordinated-omission correct), `ops`, `op_failed`, and
 * `reply_latency` for the operations that wait for the assistant. Every client call carries an
 * op id (`x-harness-op`) so the auditor can match the ledger's effects to it.
 *
 * @example
 * const workload = createWorkload({ workload: scenario.workload, client, sink: recorder, clock, seed: 1, runTag: 'r1' });
 * await runExecutors(scenario.executors, workload.iteration, recorder, clock, signal);
 */
export function createWorkload(options: WorkloadOptions): RunnableWorkload {
  const { workload, client, sink, clock, runTag } = options;
  const pick = createOpPicker(workload.mix);
  const text = createMessageText(workload.message);
  const effects = createEffectLog();
  const vus = new Map<string, VuState[]>();
  const handles = new Map<string, Map<WorkloadOp, OpHandles>>();
  // Made on first use, like every other handle: the sink may be bound only once the run's
  // setup is over (nothing the setup does is measured).
  let replyLatency: TrendHandle | undefined;
  let chatHandles: ChatHandles | undefined;

  function opHandles(executor: string, op: WorkloadOp): OpHandles {
    let byOp = handles.get(executor);
    if (byOp === undefined) {
      byOp = new Map();
      handles.set(executor, byOp);
    }
    let h = byOp.get(op);
    if (h === undefined) {
      const tags = { op: WORKLOAD_OP_TAG[op], executor };
      h = opHandlesFor(sink, tags);
      byOp.set(op, h);
    }
    return h;
  }

  /** The state VU `vu` of `executor` keeps between iterations, made on first use. */
  function stateOf(executor: string, vu: number): VuState {
    let states = vus.get(executor);
    if (states === undefined) {
      states = [];
      vus.set(executor, states);
    }
    let state = states[vu];
    if (state === undefined) {
      state = { sessionId: null, lastSeenId: undefined };
      states[vu] = state;
    }
    return state;
  }

  /** One client call's options: a fresh op id, the iteration's abort signal. */
  function callOptions(ctx: IterationContext, step: number) {
    return { opId: `${runTag}.${ctx.executor}.${ctx.iteration}.${step}`, signal: ctx.signal };
  }

  const { track } = effects;

  async function createSession(ctx: IterationContext, step: number, first?: string): Promise<string> {
    const o = callOptions(ctx, step);
    const created = await track('thread_created', o.opId, client.createSession(first, o));
    return created.id;
  }

  async function send(ctx: IterationContext, step: number, sessionId: string, rand: Random): Promise<void> {
    const o = callOptions(ctx, step);
    await track('message_stored', o.opId, client.sendMessage(sessionId, text(rand), o));
  }

  async function sendAndWait(
    ctx: IterationContext,
    step: number,
    sessionId: string,
    rand: Random,
  ): Promise<number> {
    await send(ctx, step, sessionId, rand);
    const sentAt = clock.now();
    await client.waitForReply(sessionId, {
      ...callOptions(ctx, step + 1),
      timeoutMs: workload.waitForReply.timeout,
    });
    replyLatency ??= sink.trend('reply_latency', {});
    replyLatency.record(clock.now() - sentAt);
    return step + 2;
  }

  /** The VU's session, created on first use (per-vu) or every iteration (per-iteration). */
  async function session(ctx: IterationContext, state: VuState): Promise<string> {
    if (workload.sessions === 'per-vu' && state.sessionId !== null) return state.sessionId;
    const id = await createSession(ctx, 0);
    state.sessionId = id;
    state.lastSeenId = undefined;
    return id;
  }

  /**
   * One `POST /chat` as one of the workload's users. Its effect, for the audit, is the
   * message the app sends under the op id (the app's session for a new user carries the same
   * id: one thread and one message under one op id are one chat, not a duplicate).
   */
  async function chat(ctx: IterationContext, rand: Random): Promise<void> {
    const sender = options.chat;
    if (sender === undefined) {
      throw new Error('Failed to chat: the chat op needs the chat app (target app); this target has none.');
    }
    const userId = `user-${Math.floor(rand() * workload.chat.users)}`;
    const o = callOptions(ctx, 1);
    const sentAt = clock.now();
    chatHandles ??= createChatHandles(sink);
    const h = chatHandles;
    const sent = sender.send(userId, text(rand), o.opId, o.signal).then(
      (answer) => {
        recordChat(h, answer.status, clock.now() - sentAt);
        if (answer.status !== 200) throw chatFailure(answer);
      },
      (err: unknown) => {
        // A chat cut off by the end of the run is no answer of the app's.
        if (!o.signal.aborted) recordChat(h, null, clock.now() - sentAt);
        throw err;
      },
    );
    await track('message_stored', o.opId, sent);
  }

  /**
   * Runs `use` on the VU's session: at once when it is known, else once it is made. Not an
   * async function: on the hot path (a per-VU session, known) it adds no promise of its own.
   */
  function inSession(ctx: IterationContext, state: VuState, use: (id: string) => Promise<unknown>) {
    if (workload.sessions === 'per-vu' && state.sessionId !== null) return use(state.sessionId);
    return session(ctx, state).then(use);
  }

  async function conversation(ctx: IterationContext, rand: Random): Promise<void> {
    const id = await createSession(ctx, 0);
    let step = 1;
    for (let turn = 0; turn < workload.conversation.turns; turn++) {
      if (turn > 0 && workload.conversation.thinkTime > 0)
        await sleep(workload.conversation.thinkTime, ctx.signal);
      step = await sendAndWait(ctx, step, id, rand);
    }
  }

  async function poll(ctx: IterationContext, state: VuState, id: string): Promise<void> {
    const query = { limit: workload.listMessages.limit, after: state.lastSeenId };
    const page = await client.listMessages(id, query, callOptions(ctx, 1));
    if (page.length > 0) state.lastSeenId = page[page.length - 1]!.id;
  }

  /**
   * One operation of the mix. A dispatcher, not an async function: each case hands back its
   * call's own promise, so a `getSession` costs the client call and nothing around it (an
   * async function here kept a frame with every case's locals per iteration).
   */
  function runOp(op: WorkloadOp, ctx: IterationContext, rand: Random): Promise<unknown> {
    const state = stateOf(ctx.executor, ctx.vu);
    switch (op) {
      case 'createSession':
        return createSession(ctx, 1);
      case 'sendMessage':
        return inSession(ctx, state, (id) => send(ctx, 1, id, rand));
      case 'waitForReply':
        return inSession(ctx, state, (id) => sendAndWait(ctx, 1, id, rand));
      case 'conversation':
        return conversation(ctx, rand);
      case 'getSession':
        return inSession(ctx, state, (id) => client.getSession(id, callOptions(ctx, 1)));
      case 'listMessages':
        return inSession(ctx, state, (id) =>
          client.listMessages(id, { limit: workload.listMessages.limit }, callOptions(ctx, 1)),
        );
      case 'poll':
        return inSession(ctx, state, (id) => poll(ctx, state, id));
      case 'chat':
        return chat(ctx, rand);
    }
  }

  const iteration: IterationFn = async (ctx) => {
    const rand = deriveRandom(options.seed, ctx.iteration);
    const op = pick(rand());
    const h = opHandles(ctx.executor, op);
    let ok = false;
    try {
      await runOp(op, ctx, rand);
      ok = true;
    } finally {
      // An iteration cut off by the end of the run is neither a success nor a failure of the target.
      if (!ctx.signal.aborted) {
        h.duration.record(clock.now() - ctx.intendedStartMs);
        h.count.add(1);
        h.failed.add(!ok);
      }
    }
  };

  // A VU needs set-up when it keeps a session (per-vu) that some op of the mix uses.
  const usesVuSession =
    workload.sessions === 'per-vu' &&
    Object.entries(workload.mix).some(([op, weight]) => (weight ?? 0) > 0 && SESSION_OPS.has(op));

  const initVu: VuInitFn = (executor, vu, signal) => {
    if (!usesVuSession) return null;
    const vuState = stateOf(executor, vu);
    if (vuState.sessionId !== null) return null;
    const opId = `${runTag}.${executor}.vu${vu}.init`;
    // A failed set-up is no failure of the run: the VU's first iteration creates its session.
    return track('thread_created', opId, client.createSession(undefined, { opId, signal })).then(
      (created) => {
        vuState.sessionId = created.id;
        return true;
      },
      () => false,
    );
  };

  async function warmUp(requests: number, concurrency: number, signal: AbortSignal): Promise<number> {
    let sessionId: string | null = null;
    for (const states of vus.values()) {
      sessionId = states.find((s) => s?.sessionId)?.sessionId ?? null;
      if (sessionId !== null) break;
    }
    if (sessionId === null) return 0;
    const id = sessionId;
    let left = requests;
    let ok = 0;
    const lane = async () => {
      while (left > 0 && !signal.aborted) {
        left--;
        try {
          await client.getSession(id, { signal });
          ok++;
        } catch {
          // A failed warm-up read only means a colder start.
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, concurrency) }, lane));
    return ok;
  }

  return { iteration, effectfulCalls: effects.calls, initVu, warmUp };
}

/** The ops of the mix that use the VU's session (the others create their own). */
const SESSION_OPS: ReadonlySet<string> = new Set([
  'sendMessage',
  'waitForReply',
  'getSession',
  'listMessages',
  'poll',
]);

/** Waits `ms`, or less if `signal` aborts; leaves no listener behind either way. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
