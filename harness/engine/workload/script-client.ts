import type { NexusClient } from '../../client/client.js';
import type { IterationContext } from '../types.js';
import type { EffectLog } from './effect-log.js';

/**
 * The run's client as a scripted iteration sees it: its operations and its view of the rate
 * limit. Not `close` or `ready`: the run owns the client's life.
 *
 * @example
 * const reply = await client.waitForReply((await client.createSession('hi')).id);
 */
export type ScenarioClient = Pick<
  NexusClient,
  'createSession' | 'getSession' | 'sendMessage' | 'listMessages' | 'waitForReply' | 'rateLimitState'
>;

// The scenario model sits below the client and cannot name it: the engine tells it here what
// a scripted iteration's `client` is, so `defineScenario` types it.
declare module '../../../scenarios/model/script.js' {
  interface ScriptTypes {
    client: ScenarioClient;
  }
}

interface Options {
  opId?: string;
  signal?: AbortSignal;
}

/**
 * A call made once its signal has aborted: it rejects with the signal's reason, but on a later
 * turn of the event loop, not as a microtask. A loop that catches every error and calls again
 * would otherwise spin on microtasks — no timer, I/O or signal handler would ever run, so
 * neither the executors' hard stop nor Ctrl-C could end the run. The immediate is unref'd: an
 * iteration the executors abandoned keeps looping until the process ends, but cannot hold it.
 */
function afterAbort(signal: AbortSignal): Promise<never> {
  return new Promise<never>((_resolve, reject) => {
    setImmediate(() => reject(signal.reason)).unref();
  });
}

/**
 * The client facade one scripted iteration gets. Each call carries an op id — the author's
 * own, prefixed with the run, executor and iteration (so it is unique in the ledger whatever
 * the script does), else `<run>.<executor>.<iteration>.s<n>` for the iteration's n-th call —
 * and the iteration's signal, linked with the author's own if one is given. `createSession`
 * and `sendMessage` are tracked in `effects`, so the auditor judges a script's sends against
 * the ledger as it judges the op mix's. A call whose signal has already aborted never reaches
 * the client (nothing is sent, recorded or tracked): it rejects with the abort reason after
 * yielding to the event loop (see {@link afterAbort}).
 *
 * @example
 * const client = scriptClient(run.client, effects, ctx, runId);
 * await client.sendMessage(id, 'hello'); // x-harness-op: r1.main.7.s1
 */
export function scriptClient(
  client: NexusClient,
  effects: EffectLog,
  ctx: IterationContext,
  runTag: string,
): ScenarioClient {
  const prefix = `${runTag}.${ctx.executor}.${ctx.iteration}`;
  let step = 0;
  const call = <O extends Options>(o: O | undefined): O & { opId: string; signal: AbortSignal } => {
    step++;
    const opId = o?.opId === undefined ? `${prefix}.s${step}` : `${prefix}.${o.opId}`;
    const signal = o?.signal === undefined ? ctx.signal : AbortSignal.any([ctx.signal, o.signal]);
    return { ...(o as O), opId, signal };
  };
  return {
    createSession(message, options) {
      const o = call(options);
      if (o.signal.aborted) return afterAbort(o.signal);
      return effects.track('thread_created', o.opId, client.createSession(message, o));
    },
    getSession(id, options) {
      const o = call(options);
      return o.signal.aborted ? afterAbort(o.signal) : client.getSession(id, o);
    },
    sendMessage(id, content, options) {
      const o = call(options);
      if (o.signal.aborted) return afterAbort(o.signal);
      return effects.track('message_stored', o.opId, client.sendMessage(id, content, o));
    },
    listMessages(id, query, options) {
      const o = call(options);
      return o.signal.aborted ? afterAbort(o.signal) : client.listMessages(id, query, o);
    },
    waitForReply(id, options) {
      const o = call(options);
      return o.signal.aborted ? afterAbort(o.signal) : client.waitForReply(id, o);
    },
    rateLimitState: () => client.rateLimitState(),
  };
}
