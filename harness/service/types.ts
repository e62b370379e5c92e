/**
 * The service layer's seams: the shapes its parts agree on, so each part (and each of its
 * in-memory and Redis implementations) can be built, tested and swapped on its own. The guide
 * (`../shared/seed/…`, "Architecture Patterns") calls these a repository, a cache manager, an
 * event bus, a validator and a rate limiter; the implementations live beside this file.
 */
import type { NexusClient } from '../client/api.js';
import type { Message } from '../client/models.js';

/** Where each user's current Nexus session id is kept. Entries expire after {@link SESSION_TTL_MS}. */
export interface SessionRepository {
  /** The user's session id, or `null` when none is kept (never kept, deleted or expired). */
  get(userId: string): Promise<string | null>;
  /** Keeps `sessionId` as the user's session, replacing any other, for {@link SESSION_TTL_MS}. */
  set(userId: string, sessionId: string): Promise<void>;
  delete(userId: string): Promise<void>;
  close(): Promise<void>;
}

/** How long a repository keeps a user's session id: 24 h, as the guide sets it. */
export const SESSION_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * The key families of a {@link ServiceCache}, named by a key's prefix before the first `:`
 * (`session:u1` is a `session` key); a key with any other prefix is `default`.
 */
export type CacheFamily = 'session' | 'message' | 'user' | 'default';

/** TTL per key family, ms: sessions 1 h, messages 5 min, users 30 min, anything else 5 min. */
export const CACHE_TTL_MS: Readonly<Record<CacheFamily, number>> = {
  session: 60 * 60 * 1000,
  message: 5 * 60 * 1000,
  user: 30 * 60 * 1000,
  default: 5 * 60 * 1000,
};

/** What a cache has seen since it was made. */
export interface CacheStats {
  hits: number;
  misses: number;
}

/** A TTL cache of JSON values, in memory or in Redis. */
export interface ServiceCache {
  /** The value, or `undefined` on a miss (absent or expired); counts a hit or a miss. */
  get<T>(key: string): Promise<T | undefined>;
  /** Stores a JSON value for `ttlMs`, default the TTL of the key's {@link CacheFamily}. */
  set(key: string, value: unknown, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Deletes every key matching a glob (`*` any run of characters, `?` one, `\` escapes the
   * next), e.g. `session:*`, and resolves with how many it deleted. Put a user id into a
   * pattern through `escapeGlob` (cache/glob.ts): a user named `*` must not match everyone's
   * keys. The Redis cache walks keys with `SCAN`, never `KEYS` (which blocks the server for the
   * whole keyspace).
   */
  invalidate(pattern: string): Promise<number>;
  /** Stores many entries at once (each with its family's TTL), e.g. at start-up. */
  warm(entries: Iterable<readonly [string, unknown]>): Promise<void>;
  stats(): CacheStats;
  close(): Promise<void>;
}

/** The per-user limits the guide sets: 10 messages a minute, 100 an hour, 5 new sessions a day. */
export interface UserLimits {
  messagesPerMinute: number;
  messagesPerHour: number;
  sessionsPerDay: number;
}

/** {@link UserLimits} as the guide sets them. */
export const DEFAULT_USER_LIMITS: Readonly<UserLimits> = {
  messagesPerMinute: 10,
  messagesPerHour: 100,
  sessionsPerDay: 5,
};

/** One of the windows of {@link UserLimits}. */
export type UserLimitName = keyof UserLimits;

/** The answer of a {@link UserRateLimits} call. */
export interface LimitDecision {
  allowed: boolean;
  /** The window that refused, `null` when allowed. */
  refusedBy: UserLimitName | null;
  /** Calls left in the tightest window this call counted against (after this one, if allowed). */
  remaining: number;
  /** Ms until that window (or, when refused, the refusing window) next lets a call through. */
  resetMs: number;
}

/**
 * Per-user rate limits, in memory or in Redis. A refused call consumes nothing: a user refused
 * by the hourly window does not also lose a call of the minute window. The Redis one is atomic
 * across processes (rate-limiter-flexible runs one Lua script per consume).
 */
export interface UserRateLimits {
  /** Counts one message against `messagesPerMinute` and `messagesPerHour`. */
  consumeMessage(userId: string): Promise<LimitDecision>;
  /** Counts one new session against `sessionsPerDay`. */
  consumeSession(userId: string): Promise<LimitDecision>;
  close(): Promise<void>;
}

/** The events the service emits, with what each carries. */
export interface ServiceEvents {
  'message:received': { userId: string; sessionId: string; length: number; opId: string | null };
  'response:generated': { userId: string; sessionId: string; messageId: string; latencyMs: number };
  'error:occurred': {
    userId: string;
    action: string;
    error: { name: string; message: string; code?: string };
  };
}

/** One of the event names of {@link ServiceEvents}. */
export type ServiceEventName = keyof ServiceEvents;

/**
 * A typed event bus. `emit` never throws and never waits: a listener that throws or rejects
 * is logged (once, with the event's name) and the caller that emitted goes on.
 */
export interface EventBus {
  /** Adds a listener; returns the function that removes it. */
  on<E extends ServiceEventName>(
    event: E,
    listener: (payload: ServiceEvents[E]) => void | Promise<void>,
  ): () => void;
  emit<E extends ServiceEventName>(event: E, payload: ServiceEvents[E]): void;
  /** How many times each event has been emitted. */
  counts(): Readonly<Record<ServiceEventName, number>>;
}

/** Why a message was refused. */
export type MessageProblemCode = 'empty' | 'too_long' | 'script' | 'event_handler' | 'html';

/** One problem of a message: a code for programs, a sentence for people. */
export interface MessageProblem {
  code: MessageProblemCode;
  message: string;
}

/**
 * A message check: every problem at once, or the message as given (never rewritten: a
 * message with HTML is refused, not silently stripped).
 */
export type MessageCheck = { ok: true; content: string } | { ok: false; problems: MessageProblem[] };

/**
 * What the service sends through: the client with the API key now in use. In-flight calls
 * keep the client they started on; a rotation swaps the one new calls get.
 */
export interface ClientSource {
  current(): NexusClient;
}

/** A reply the service waited for, with the session it came in. */
export interface ChatReply {
  sessionId: string;
  /** True when the user's kept session was still `ACTIVE` and was reused. */
  reusedSession: boolean;
  reply: Message;
}
