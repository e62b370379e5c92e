import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { ConfigError, parseWithSchema } from '../../harness/util/validation.js';
import { assistantReply } from './assistant.js';
import { systemClock } from './clock.js';
import {
  type ContractDrift,
  type FaultRule,
  type LimitsConfig,
  MAX_SPAN_MS,
  type MockConfig,
  resolveFaultRules,
  resolveLimits,
  resolveMockConfig,
} from './config.js';
import { errorBody } from './error-body.js';
import { FaultPlan } from './fault-plan.js';
import { IdempotencyStore, requestFingerprint } from './idempotency-store.js';
import { type BodyError, bodyErrorAnswer } from './json-body.js';
import { fingerprintKey } from './keys.js';
import { Ledger } from './ledger.js';
import { resolveKeyRefs } from './public-config.js';
import { deriveRandom, type Random, sampleDelay, seededUuid } from './random.js';
import { RateWindows } from './rate-window.js';
import { isInvalid, validateCreateBody, validateListQuery, validateSendBody } from './request-validation.js';
import { createRouter, type RouteMatch } from './router.js';
import { resolveSeedThread, type SeedThreadInput } from './seed-thread.js';
import {
  appendMessage,
  cursorPosition,
  deliverDueReplies,
  newThread,
  type StoredMessage,
  type StoredThread,
  scheduleReply,
  selectPage,
  ThreadStore,
  threadStatus,
  threadView,
  threadViewJson,
} from './thread-store.js';
import type {
  Clock,
  ConnectionFault,
  LedgerSnapshot,
  RouteName,
  SimRequest,
  SimResponse,
  ThreadView,
} from './types.js';

/** How far `advanceTime` may move the simulator ahead in all, ms: a hundred years. */
export const MAX_TIME_OFFSET_MS = 100 * 365.25 * 86_400_000;

const advanceSchema = z.number().int().min(0).max(MAX_SPAN_MS);

/** Everything the simulator keeps per API key. */
interface KeyState {
  keyId: string;
  windows: RateWindows | null;
  threads: Map<string, StoredThread>;
  /** Threads believed ACTIVE; swept when the concurrent-session limit is reached. */
  active: Set<StoredThread>;
}

/** Independent random streams, so one part drawing never shifts another's sequence. */
const STREAM = { faults: 1, assistant: 2, ids: 3 } as const;

const JSON_TYPE = 'application/json; charset=utf-8';
/** Shared by every response without rate-limit headers; faces must not mutate it. */
const PLAIN_HEADERS: Readonly<Record<string, string>> = Object.freeze({ 'content-type': JSON_TYPE });
const SUCCESS_BODY = '{"success":true}';
const MALFORMED_BODY = '{"success":tru<!-- malformed by the nexus-harness mock -->';

/** Per-request context threaded through the handlers (one object per request). */
interface Exchange {
  now: number;
  route: RouteName | null;
  key: KeyState | null;
  idempotencyKey: string | null;
  opId: string | null;
  requestSeq: number;
  /** Answered from the idempotency store, without a new effect. */
  replayed: boolean;
}

/** The result of a handler before headers and faults are applied. */
interface Outcome {
  status: number;
  body: string;
}

/**
 * The Nexus API simulator: per-key threads, messages, limits, the assistant, faults, the
 * idempotency store and the ledger, with no I/O. Faces (the HTTP server, the MSW handlers)
 * turn requests into {@link SimRequest}s and carry out the {@link SimResponse}s.
 *
 * @example
 * const sim = createSimulator({ seed: 7, limits: false });
 * const res = sim.handle({ method: 'POST', path: '/api/public/thread', query: '',
 *   header: (n) => ({ 'api-key': 'nexus-mock-key', 'content-type': 'application/json' })[n], body: {} });
 * JSON.parse(res.body!).id; // a UUID
 */
export class Simulator {
  private cfg!: MockConfig;
  private readonly clock: Clock;
  private offsetMs = 0;
  private faultEpochMs = 0;
  private keys = new Map<string, KeyState>();
  /** The same key states by `keyId`, to drop a forgotten thread from its key. */
  private keysById = new Map<string, KeyState>();
  /** Which threads are kept (`retention.maxThreads`); the keys' maps hold only these. */
  private threads!: ThreadStore;
  private ledgerStore!: Ledger;
  private idempotency!: IdempotencyStore;
  private faults!: FaultPlan;
  private assistantRand!: Random;
  private idRand!: Random;
  private readonly route = createRouter();
  /**
   * Random per simulator (never seeded, kept across resets), so a client comparing two ledger
   * reads can tell that the mock was restarted between them.
   */
  readonly instanceId: string = randomUUID();

  constructor(config: MockConfig, clock: Clock = systemClock) {
    this.clock = clock;
    this.install(config);
  }

  /** The configuration in force (defaults filled in). */
  get config(): MockConfig {
    return this.cfg;
  }

  /** The simulator's time: the clock plus any admin-advanced offset, ms since epoch. */
  now(): number {
    return this.clock.now() + this.offsetMs;
  }

  /** Answers one request of the public API. Never throws for any input. */
  handle(req: SimRequest): SimResponse {
    const now = this.now();
    const match = this.route(req.method, req.path);
    const ex: Exchange = {
      now,
      route: match.route,
      key: null,
      idempotencyKey: null,
      opId: req.header('x-harness-op') ?? null,
      requestSeq: this.ledgerStore.nextSeq(),
      replayed: false,
    };
    if (match.kind !== 'found') {
      const response = this.finish(ex, req, this.routeError(match, req.path), 0, null);
      if (match.kind === 'method') response.headers = { ...response.headers, allow: match.allow };
      return response;
    }
    if (req.bodyError === 'too-large') return this.bodyRefused(ex, req, req.bodyError);
    // The media type is checked before the JSON: a non-JSON body sent as text/plain is a 415,
    // not "malformed JSON".
    const hasBody = req.body !== undefined || req.bodyError !== undefined;
    if (hasBody && !(req.header('content-type') ?? '').includes('json')) {
      return this.finish(ex, req, this.error(415, 'Content-Type must be application/json'), 0, null);
    }
    if (req.bodyError !== undefined) return this.bodyRefused(ex, req, req.bodyError);
    const apiKey = req.header('api-key');
    const key = apiKey === undefined || apiKey === '' ? undefined : this.keys.get(apiKey);
    if (key === undefined) {
      const message = apiKey === undefined || apiKey === '' ? 'Missing API key' : 'Invalid API key';
      return this.finish(ex, req, this.error(401, message), 0, null);
    }
    ex.key = key;
    if (req.method === 'POST') ex.idempotencyKey = req.header('idempotency-key') ?? null;

    let delayMs = 0;
    let fault: Exclude<FaultRule, { type: 'latency' }> | null = null;
    if (!this.faults.empty) {
      const decision = this.faults.decide(match.route!, now - this.faultEpochMs);
      delayMs = decision.delayMs;
      fault = decision.rule;
    }
    if (fault !== null && !appliesAfterEffect(fault)) return this.injectBefore(ex, req, fault, delayMs);

    if (key.windows !== null) {
      const state = key.windows.admit(now);
      if (state.limited) {
        return this.rateLimited(ex, req, state.limit, state.resetAtMs, delayMs, 'Rate limit exceeded');
      }
    }
    let outcome = this.withIdempotency(ex, req, match);
    const drift = this.cfg.contractDrift;
    if (drift !== undefined && drift.route === match.route) outcome = applyContractDrift(drift, outcome);
    if (fault !== null) return this.injectAfter(ex, req, fault, outcome, delayMs);
    return this.finish(ex, req, outcome, delayMs, null);
  }

  // ---- routes -------------------------------------------------------------------------

  /** Answers a repeated `Idempotency-Key` from the store; remembers first successes. */
  private withIdempotency(ex: Exchange, req: SimRequest, match: RouteMatch): Outcome {
    const idem = ex.idempotencyKey;
    if (idem !== null) {
      const fingerprint = requestFingerprint(match.route!, match.threadId, req.body);
      const stored = this.idempotency.get(ex.key!.keyId, idem, ex.now);
      if (stored !== undefined) {
        if (stored.fingerprint !== fingerprint) {
          return this.error(422, 'Idempotency-Key was already used for a different request');
        }
        ex.replayed = true;
        return { status: stored.status, body: stored.body };
      }
      const outcome = this.dispatch(ex, req, match);
      if (outcome.status < 300)
        this.idempotency.set(ex.key!.keyId, idem, { fingerprint, ...outcome }, ex.now);
      return outcome;
    }
    return this.dispatch(ex, req, match);
  }

  private dispatch(ex: Exchange, req: SimRequest, match: RouteMatch): Outcome {
    switch (match.route) {
      case 'createThread':
        return this.createThread(ex, req.body);
      case 'getThread':
        return this.getThread(ex, match.threadId);
      case 'sendMessage':
        return this.sendMessage(ex, match.threadId, req.body);
      default:
        return this.listMessages(ex, match.threadId, req.query);
    }
  }

  private createThread(ex: Exchange, body: unknown): Outcome {
    const first = validateCreateBody(body, this.cfg.maxMessageLength);
    if (isInvalid(first)) return this.error(400, first.invalid);
    const key = ex.key!;
    const limits = this.cfg.limits;
    if (limits !== false && key.active.size >= limits.concurrentSessions) {
      this.sweepInactive(key, ex.now);
      if (key.active.size >= limits.concurrentSessions) {
        return this.error(429, `Concurrent session limit of ${limits.concurrentSessions} reached`);
      }
    }
    const thread = newThread(
      seededUuid(this.idRand),
      key.keyId,
      ex.now,
      this.cfg.retention.maxMessagesPerThread,
    );
    key.threads.set(thread.id, thread);
    key.active.add(thread);
    this.threads.add(thread, false);
    this.recordEffect(ex, 'thread_created', thread.id, null);
    if (first !== null) this.storeUserMessage(ex, thread, first);
    return {
      status: 200,
      body: JSON.stringify({ id: thread.id, createdAt: new Date(ex.now).toISOString() }),
    };
  }

  private getThread(ex: Exchange, id: string): Outcome {
    const thread = this.touch(ex, id);
    if (thread === undefined) return this.notFound(id);
    const view = threadViewJson(thread, ex.now, this.cfg.sessionTtlMs);
    if (view.status !== 'ACTIVE') ex.key!.active.delete(thread);
    return { status: 200, body: view.json };
  }

  private sendMessage(ex: Exchange, id: string, body: unknown): Outcome {
    const content = validateSendBody(body, this.cfg.maxMessageLength);
    if (isInvalid(content)) return this.error(400, content.invalid);
    const thread = this.touch(ex, id);
    if (thread === undefined) return this.notFound(id);
    const status = threadStatus(thread, ex.now, this.cfg.sessionTtlMs);
    if (status !== 'ACTIVE') {
      ex.key!.active.delete(thread);
      return this.error(409, `Thread ${id} is ${status}; messages can only be sent to an ACTIVE thread`);
    }
    const limits = this.cfg.limits;
    if (limits !== false && thread.userMessages >= limits.messagesPerSession) {
      return this.error(429, `Message limit of ${limits.messagesPerSession} per session reached`);
    }
    this.storeUserMessage(ex, thread, content);
    return { status: 200, body: SUCCESS_BODY };
  }

  private listMessages(ex: Exchange, id: string, query: string): Outcome {
    const q = validateListQuery(query);
    if (isInvalid(q)) return this.error(400, q.invalid);
    const thread = this.touch(ex, id);
    if (thread === undefined) return this.notFound(id);
    const afterIndex = q.after === null ? -1 : cursorPosition(thread, q.after);
    if (afterIndex === undefined) return this.error(400, `after: no message ${q.after} in thread ${id}`);
    const beforeIndex = q.before === null ? thread.messageCount : cursorPosition(thread, q.before);
    if (beforeIndex === undefined) return this.error(400, `before: no message ${q.before} in thread ${id}`);
    const page = selectPage(thread, { limit: q.limit, order: q.order, afterIndex, beforeIndex });
    return { status: 200, body: JSON.stringify(page) };
  }

  /**
   * Looks a thread up for the exchange's key, stores the replies that have come due, and marks
   * it the most recently used (filed as ended or not, for which thread to forget first).
   */
  private touch(ex: Exchange, id: string): StoredThread | undefined {
    const thread = ex.key!.threads.get(id);
    if (thread === undefined) return undefined;
    this.deliverReplies(thread, ex.now);
    this.threads.use(thread, threadStatus(thread, ex.now, this.cfg.sessionTtlMs) !== 'ACTIVE');
    return thread;
  }

  /**
   * Forgets a thread the thread store let go (`retention.maxThreads`): from now on it is a
   * thread that does not exist (404). Replies already due are stored first, so the ledger
   * records them; replies not yet due are never stored.
   */
  private readonly forgetThread = (thread: StoredThread): void => {
    this.deliverReplies(thread, this.now());
    const key = this.keysById.get(thread.keyId);
    if (key === undefined) return;
    if (key.threads.get(thread.id) === thread) key.threads.delete(thread.id);
    key.active.delete(thread);
  };

  private deliverReplies(thread: StoredThread, now: number): void {
    deliverDueReplies(thread, now, this.nextId, (message) => this.recordReply(thread, message));
  }

  private storeUserMessage(ex: Exchange, thread: StoredThread, content: string): void {
    const message: StoredMessage = { id: this.nextId(), type: 'user', content, createdAtMs: ex.now };
    appendMessage(thread, message);
    this.recordEffect(ex, 'message_stored', thread.id, message.id);
    const delay = sampleDelay(this.cfg.assistant.delay, this.assistantRand);
    scheduleReply(thread, ex.now + delay, assistantReply(content, this.assistantRand));
  }

  private sweepInactive(key: KeyState, now: number): void {
    for (const thread of key.active) {
      this.deliverReplies(thread, now);
      if (threadStatus(thread, now, this.cfg.sessionTtlMs) !== 'ACTIVE') key.active.delete(thread);
    }
  }

  private readonly nextId = (): string => seededUuid(this.idRand);

  // ---- responses and faults -------------------------------------------------------------

  private error(status: number, message: string): Outcome {
    return { status, body: errorBody(status, message) };
  }

  private bodyRefused(ex: Exchange, req: SimRequest, error: BodyError): SimResponse {
    const { status, message } = bodyErrorAnswer(error, this.cfg.maxBodyBytes);
    return this.finish(ex, req, this.error(status, message), 0, null);
  }

  private notFound(id: string): Outcome {
    return this.error(404, `Thread ${id} not found`);
  }

  private routeError(match: RouteMatch, path: string): Outcome {
    if (match.kind === 'method') return this.error(405, `Method not allowed; ${path} allows ${match.allow}`);
    return this.error(404, `Cannot find ${path}`);
  }

  private rateLimited(
    ex: Exchange,
    req: SimRequest,
    limit: number,
    resetAtMs: number,
    delayMs: number,
    reason: string,
  ): SimResponse {
    const resetSec = Math.ceil(resetAtMs / 1000);
    const retryAfterSec = Math.max(1, Math.ceil((resetAtMs - ex.now) / 1000));
    const headers: Record<string, string> = {
      'content-type': JSON_TYPE,
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': String(resetSec),
    };
    let retryAfterUntil: number | null = null;
    if (this.cfg.retryAfterHeader) {
      headers['retry-after'] = String(retryAfterSec);
      retryAfterUntil = ex.now + retryAfterSec * 1000;
    }
    const response: SimResponse = { status: 429, headers, body: errorBody(429, reason), delayMs };
    this.recordRequest(ex, req, response, null, retryAfterUntil, resetSec * 1000);
    return response;
  }

  private injectBefore(
    ex: Exchange,
    req: SimRequest,
    fault: Exclude<FaultRule, { type: 'latency' }>,
    delayMs: number,
  ): SimResponse {
    switch (fault.type) {
      case 'rate-limit': {
        const limit = this.cfg.limits === false ? 0 : this.cfg.limits.perMinute.limit;
        const resetAtMs = ex.now + fault.retryAfterSec * 1000;
        return this.rateLimited(ex, req, limit, resetAtMs, delayMs, 'Rate limit exceeded (injected)');
      }
      case 'error':
      case 'outage':
        return this.injectedError(ex, req, fault, delayMs);
      case 'reset':
      case 'empty':
      case 'stall':
        return this.connectionFault(ex, req, fault, delayMs, { status: 0, body: '' });
      default:
        // Unreachable: faults on the response body always apply after the effect (appliesAfterEffect).
        throw new Error(`Fault ${fault.type} cannot apply before the effect`);
    }
  }

  private injectAfter(
    ex: Exchange,
    req: SimRequest,
    fault: Exclude<FaultRule, { type: 'latency' }>,
    outcome: Outcome,
    delayMs: number,
  ): SimResponse {
    switch (fault.type) {
      case 'error':
        return this.injectedError(ex, req, fault, delayMs);
      case 'malformed':
        return this.finish(ex, req, { status: outcome.status, body: MALFORMED_BODY }, delayMs, 'malformed');
      case 'rate-limit':
      case 'outage':
        return this.injectBefore(ex, req, fault, delayMs);
      default:
        return this.connectionFault(ex, req, fault, delayMs, outcome);
    }
  }

  private injectedError(
    ex: Exchange,
    req: SimRequest,
    fault: Extract<FaultRule, { type: 'error' | 'outage' }>,
    delayMs: number,
  ): SimResponse {
    const headers: Record<string, string> = { 'content-type': JSON_TYPE };
    let retryAfterUntil: number | null = null;
    if (fault.retryAfterSec !== undefined) {
      headers['retry-after'] = String(fault.retryAfterSec);
      retryAfterUntil = ex.now + fault.retryAfterSec * 1000;
    }
    const message = fault.type === 'outage' ? 'Service outage (injected)' : 'Server error (injected)';
    const response: SimResponse = {
      status: fault.status,
      headers,
      body: errorBody(fault.status, message),
      delayMs,
    };
    this.recordRequest(ex, req, response, fault.type, retryAfterUntil, null);
    return response;
  }

  private connectionFault(
    ex: Exchange,
    req: SimRequest,
    fault: Extract<FaultRule, { type: 'reset' | 'empty' | 'stall' | 'dribble' | 'truncate' }>,
    delayMs: number,
    outcome: Outcome,
  ): SimResponse {
    const action: ConnectionFault =
      fault.type === 'dribble'
        ? { kind: 'dribble', chunkBytes: fault.chunkBytes, intervalMs: fault.intervalMs }
        : { kind: fault.type };
    const response = this.respond(ex, outcome, delayMs);
    response.fault = action;
    this.recordRequest(ex, req, response, fault.type, null, null);
    return response;
  }

  /**
   * Builds the response for an outcome, with the key's rate-limit headers when the key is
   * known and has limits (requests refused before authentication carry none).
   */
  private respond(ex: Exchange, outcome: Outcome, delayMs: number): SimResponse {
    const windows = ex.key?.windows;
    if (windows == null)
      return { status: outcome.status, headers: PLAIN_HEADERS, body: outcome.body, delayMs };
    const state = windows.state;
    return {
      status: outcome.status,
      headers: {
        'content-type': JSON_TYPE,
        'x-ratelimit-limit': String(state.limit),
        'x-ratelimit-remaining': String(state.remaining),
        'x-ratelimit-reset': String(Math.ceil(state.resetAtMs / 1000)),
      },
      body: outcome.body,
      delayMs,
    };
  }

  private finish(
    ex: Exchange,
    req: SimRequest,
    outcome: Outcome,
    delayMs: number,
    fault: string | null,
  ): SimResponse {
    const response = this.respond(ex, outcome, delayMs);
    this.recordRequest(ex, req, response, fault, null, null);
    return response;
  }

  // ---- ledger -----------------------------------------------------------------------------

  private recordRequest(
    ex: Exchange,
    req: SimRequest,
    response: SimResponse,
    fault: string | null,
    retryAfterUntil: number | null,
    resetAt: number | null,
  ): void {
    this.ledgerStore.addRequest({
      seq: ex.requestSeq,
      at: ex.now,
      method: req.method,
      route: ex.route,
      path: req.path,
      keyId: ex.key?.keyId ?? null,
      idempotencyKey: ex.idempotencyKey,
      opId: ex.opId,
      status: response.status,
      fault,
      delayMs: response.delayMs,
      replayed: ex.replayed,
      retryAfterUntil,
      resetAt,
    });
  }

  private recordEffect(
    ex: Exchange,
    kind: 'thread_created' | 'message_stored',
    threadId: string,
    messageId: string | null,
  ): void {
    this.ledgerStore.addEffect({
      seq: this.ledgerStore.nextSeq(),
      at: ex.now,
      kind,
      keyId: ex.key!.keyId,
      threadId,
      messageId,
      idempotencyKey: ex.idempotencyKey,
      opId: ex.opId,
      requestSeq: ex.requestSeq,
    });
  }

  private recordReply(thread: StoredThread, message: StoredMessage): void {
    this.ledgerStore.addEffect({
      seq: this.ledgerStore.nextSeq(),
      at: message.createdAtMs,
      kind: 'reply_stored',
      keyId: thread.keyId,
      threadId: thread.id,
      messageId: message.id,
      idempotencyKey: null,
      opId: null,
      requestSeq: null,
    });
  }

  // ---- admin operations ---------------------------------------------------------------------

  /**
   * Clears all state (threads, windows, idempotency store, ledger, time offset) and re-seeds.
   * With `config`, replaces the configuration (validated; defaults filled in). Its `apiKeys`
   * may name current keys by fingerprint, so the public view of the configuration
   * (`GET /__admin/config`) can be posted back as is.
   */
  reset(config?: unknown): void {
    this.install(
      config === undefined ? this.cfg : resolveMockConfig(resolveKeyRefs(config, this.cfg.apiKeys)),
    );
  }

  /** Replaces the fault rules (validated). Their windows count from now; their dice restart from the seed. */
  setFaults(rules: unknown): void {
    const resolved = resolveFaultRules(rules);
    this.cfg = { ...this.cfg, faults: resolved };
    this.faults.replace(resolved, deriveRandom(this.cfg.seed, STREAM.faults));
    this.faultEpochMs = this.now();
  }

  /** Replaces the limits (validated), or turns them off with `false`. Current window counts are kept. */
  setLimits(limits: unknown): void {
    const resolved = resolveLimits(limits);
    this.cfg = { ...this.cfg, limits: resolved };
    for (const key of this.keys.values()) {
      if (resolved === false) key.windows = null;
      else if (key.windows === null) key.windows = new RateWindows(resolved);
      else key.windows.setLimits(resolved);
    }
  }

  /**
   * Moves the simulator's time forward by `ms` (expiry, windows and reply delays see it): an
   * integer from 0 to `MAX_SPAN_MS` (ten years), and at most {@link MAX_TIME_OFFSET_MS} in all
   * since the last reset, so every timestamp stays a valid date. Anything else throws a
   * `ConfigError` (the admin API's 400) and changes nothing.
   */
  advanceTime(ms: unknown): void {
    const step = parseWithSchema(advanceSchema, ms, 'time advance (advanceMs)');
    if (this.offsetMs + step > MAX_TIME_OFFSET_MS) {
      throw new ConfigError('time advance (advanceMs)', [
        {
          path: '',
          message: `would move the mock ${this.offsetMs + step} ms ahead in all; at most ${MAX_TIME_OFFSET_MS} (reset to start again)`,
        },
      ]);
    }
    this.offsetMs += step;
  }

  /** Creates a thread directly, in any state, with any messages: provider states for contract tests. */
  seedThread(input: SeedThreadInput): ThreadView {
    const spec = resolveSeedThread(input, this.cfg.apiKeys);
    const key = this.keys.get(spec.apiKey)!;
    const now = this.now();
    const id = spec.id ?? seededUuid(this.idRand);
    const createdAt = spec.status === 'EXPIRED' ? now - this.cfg.sessionTtlMs - 1 : now;
    const thread = newThread(id, key.keyId, createdAt, this.cfg.retention.maxMessagesPerThread);
    if (spec.topic !== undefined) thread.topic = spec.topic;
    for (const m of spec.messages) {
      appendMessage(thread, {
        id: m.id ?? seededUuid(this.idRand),
        type: m.type,
        content: m.content,
        createdAtMs: createdAt,
        ...(m.metadata !== undefined && { metadata: m.metadata }),
        ...(m.toolCallId !== undefined && { toolCallId: m.toolCallId }),
      });
    }
    thread.closed = spec.status === 'CLOSED';
    const old = key.threads.get(id);
    if (old !== undefined) {
      key.active.delete(old);
      this.threads.delete(old);
    }
    key.threads.set(id, thread);
    if (spec.status === 'ACTIVE') key.active.add(thread);
    this.threads.add(thread, spec.status !== 'ACTIVE');
    return threadView(thread, now, this.cfg.sessionTtlMs);
  }

  /** Reads the ledger from `sinceSeq` (exclusive). Replies that have come due are stored first. */
  ledger(sinceSeq = 0): LedgerSnapshot {
    const now = this.now();
    for (const key of this.keys.values())
      for (const thread of key.threads.values()) this.deliverReplies(thread, now);
    return { ...this.ledgerStore.read(sinceSeq), instanceId: this.instanceId };
  }

  /**
   * Releases the ledger's entries with `seq` ≤ `throughSeq` (a reader has them), freeing their
   * memory and their room under `ledgerCapacity`; returns how many entries are still held.
   * `throughSeq` must be a non-negative safe integer, else a `ConfigError` (the admin API's
   * 400) and nothing changes. Every reader loses what was released, not only the one asking.
   */
  compactLedger(throughSeq: unknown): number {
    if (typeof throughSeq !== 'number' || !Number.isSafeInteger(throughSeq) || throughSeq < 0) {
      throw new ConfigError('ledger compaction (through)', [
        { path: '', message: `expected a non-negative integer seq (got ${String(throughSeq)})` },
      ]);
    }
    this.ledgerStore.compact(throughSeq);
    return this.ledgerStore.held();
  }

  private install(config: MockConfig): void {
    this.cfg = config;
    this.offsetMs = 0;
    this.faultEpochMs = this.now();
    this.ledgerStore = new Ledger(config.ledgerCapacity);
    this.idempotency = new IdempotencyStore({
      maxKeys: config.retention.maxIdempotencyKeys,
      ttlMs: config.retention.idempotencyTtlMs,
    });
    this.threads = new ThreadStore(config.retention.maxThreads, this.forgetThread);
    this.faults = new FaultPlan(config.faults, deriveRandom(config.seed, STREAM.faults));
    this.assistantRand = deriveRandom(config.seed, STREAM.assistant);
    this.idRand = deriveRandom(config.seed, STREAM.ids);
    this.keys = new Map();
    this.keysById = new Map();
    for (const apiKey of config.apiKeys) {
      if (this.keys.has(apiKey)) continue;
      const key: KeyState = {
        keyId: fingerprintKey(apiKey),
        windows: config.limits === false ? null : new RateWindows(config.limits as LimitsConfig),
        threads: new Map(),
        active: new Set(),
      };
      this.keys.set(apiKey, key);
      this.keysById.set(key.keyId, key);
    }
  }
}

/**
 * The `contractDrift` test hook (see `config.ts`): renames a top-level field of a successful
 * JSON answer (of each element of an array) and/or replaces its status. Only runs when the
 * hook is configured, so the normal path pays one property check.
 */
function applyContractDrift(drift: ContractDrift, outcome: Outcome): Outcome {
  if (outcome.status >= 300) return outcome;
  let body = outcome.body;
  const rename = drift.renameField;
  if (rename !== undefined) {
    const renameIn = (value: unknown): unknown => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k === rename.from ? rename.to : k] = v;
      return out;
    };
    const parsed: unknown = JSON.parse(body);
    body = JSON.stringify(Array.isArray(parsed) ? parsed.map(renameIn) : renameIn(parsed));
  }
  return { status: drift.status ?? outcome.status, body };
}

/** Faults that corrupt the real response, or that the rule asked to apply after the effect. */
function appliesAfterEffect(fault: Exclude<FaultRule, { type: 'latency' }>): boolean {
  switch (fault.type) {
    case 'dribble':
    case 'truncate':
    case 'malformed':
      return true;
    case 'rate-limit':
    case 'outage':
      return false;
    default:
      return fault.afterEffect;
  }
}

/**
 * Creates a simulator from a (partial) configuration; throws a `ConfigError` listing every
 * invalid field.
 *
 * @example
 * const sim = createSimulator({ seed: 42, limits: { perMinute: { limit: 10, windowMs: 2_000 } } });
 */
export function createSimulator(config: unknown = {}, options: { clock?: Clock } = {}): Simulator {
  return new Simulator(resolveMockConfig(config), options.clock);
}
