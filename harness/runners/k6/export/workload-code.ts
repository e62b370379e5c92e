/**
 * The op mix as k6 code: the same operations, `op` tags and failure rules as our workload
 * (`harness/engine/workload/workload.ts`), written with APIs k6 has had since v0.48 and still
 * has in v1 and v2 (`http.get`/`http.post`, `sleep`, `k6/metrics`), and syntax k6 v0.48's
 * runtime reads without a transpiler (no `?.`, `??` or object spread).
 */
import type { Workload } from '../../../../scenarios/model/workload.js';
import { WORKLOAD_OP_TAG } from '../../../engine/workload/op-picker.js';
import { UsageError } from '../../../util/errors.js';

/**
 * Our workload op → the `op` tag of its `op_duration`, `ops` and `op_failed` samples: the
 * workload's own table, so a script's tags are ours by construction; its requests carry the
 * client op's tag, as our client's do.
 */
const OP_TAG: Readonly<Record<string, string>> = WORKLOAD_OP_TAG;

/** Ops with no k6 form, and why. */
const INEXPRESSIBLE: Readonly<Record<string, string>> = {
  chat: "it posts to the chat app's POST /chat (target app), which the harness starts in front of the mock; a k6 script talks to the Nexus API only",
};

/** 429s retried per request, as our client does (Retry-After honoured, at most this many attempts). */
const MAX_ATTEMPTS = 5;
/** Longest Retry-After slept, s; a longer one fails the op. */
const MAX_RETRY_AFTER_S = 30;

/**
 * The constants and functions of the workload, in k6 JavaScript. Throws a `UsageError`
 * (exit 2) naming an op with weight > 0 that k6 cannot do.
 *
 * @example
 * workloadCode({ mix: { sendMessage: 3, poll: 1 }, sessions: 'per-vu', … }, 'steady');
 */
export function workloadCode(workload: Workload, scenario: string): string {
  const mix = Object.entries(workload.mix).filter(([, w]) => (w ?? 0) > 0) as [string, number][];
  for (const [op] of mix) {
    const why = INEXPRESSIBLE[op];
    if (why !== undefined) {
      throw new UsageError(
        `Failed to export scenario ${scenario} as a k6 script: its op '${op}' has no k6 form (${why}). Run it with nexus-harness run ${scenario}, or export a scenario without '${op}'.`,
      );
    }
  }
  const total = mix.reduce((n, [, w]) => n + w, 0);
  const message = workload.message;
  const size =
    typeof message.sizeChars === 'number'
      ? { min: message.sizeChars, max: message.sizeChars }
      : message.sizeChars;
  return `// The op mix: each iteration picks one op with probability weight ÷ ${total}.
const MIX = ${JSON.stringify(mix)};
const MIX_TOTAL = ${total};
// 'per-vu': each VU creates one session (thread) and reuses it; 'per-iteration': a new one each time.
const SESSIONS = ${JSON.stringify(workload.sessions)};
const TURNS = ${workload.conversation.turns};
const THINK_TIME_S = ${workload.conversation.thinkTime / 1_000};
const REPLY_TIMEOUT_MS = ${workload.waitForReply.timeout};
const LIST_LIMIT = ${workload.listMessages.limit};
const MESSAGE_CONTENT = ${JSON.stringify(message.content ?? null)};
const MESSAGE_CHARS = ${JSON.stringify(size)};
// A 429 is retried after its Retry-After (at most ${MAX_RETRY_AFTER_S} s), at most ${MAX_ATTEMPTS} attempts in all.
const MAX_ATTEMPTS = ${MAX_ATTEMPTS};
const MAX_RETRY_AFTER_S = ${MAX_RETRY_AFTER_S};
const OP_TAG = ${JSON.stringify(Object.fromEntries(mix.map(([op]) => [op, OP_TAG[op]])))};
const WORDS = ['load', 'test', 'message', 'nexus', 'hello', 'what', 'is', 'the', 'answer', 'please', 'reply'];

// Module scope is per VU in k6: each VU keeps its own session and poll cursor.
let vuSession = null;
let lastSeenId = null;

function pickOp() {
  let u = Math.random() * MIX_TOTAL;
  for (let i = 0; i < MIX.length; i++) {
    if (u < MIX[i][1]) return MIX[i][0];
    u -= MIX[i][1];
  }
  return MIX[MIX.length - 1][0];
}

function messageText() {
  if (MESSAGE_CONTENT !== null) return MESSAGE_CONTENT;
  const n = MESSAGE_CHARS.min + Math.floor(Math.random() * (MESSAGE_CHARS.max - MESSAGE_CHARS.min + 1));
  let text = '';
  while (text.length < n) text += WORDS[Math.floor(Math.random() * WORDS.length)] + ' ';
  return text.slice(0, n);
}

// One request, tagged with the client op and route; a 429 counts in rate_limited and is
// retried after Retry-After; anything but a 2xx in the end fails the op.
function request(method, path, body, op, route) {
  const params = { headers: body === null ? GET_HEADERS : POST_HEADERS, tags: { op: op, name: route } };
  for (let attempt = 1; ; attempt++) {
    const res = method === 'GET' ? http.get(BASE + path, params) : http.post(BASE + path, body, params);
    if (res.status !== 429) {
      if (res.status < 200 || res.status > 299) throw new Error(route + ' answered ' + res.status);
      return res;
    }
    rateLimited.add(1, { op: op });
    const after = Number(res.headers['Retry-After']);
    if (attempt >= MAX_ATTEMPTS || after > MAX_RETRY_AFTER_S) throw new Error(route + ': 429 after ' + attempt + ' attempt(s)');
    sleep(after > 0 ? after : 1);
  }
}

function threadPath(id) {
  return '/thread/' + encodeURIComponent(id);
}

function createSession() {
  return request('POST', '/thread', '{}', 'create_session', 'POST /thread').json('id');
}

function session() {
  if (SESSIONS === 'per-vu' && vuSession !== null) return vuSession;
  vuSession = createSession();
  lastSeenId = null;
  return vuSession;
}

function sendMessage(id) {
  const body = JSON.stringify({ content: messageText() });
  request('POST', threadPath(id) + '/messages', body, 'send_message', 'POST /thread/{id}/messages');
}

// Send, then poll the newest message until the assistant's reply is it (pauses 0.1 s doubling to 1 s).
function waitForReply(id) {
  sendMessage(id);
  const sentAt = Date.now();
  let pause = 0.1;
  while (Date.now() - sentAt < REPLY_TIMEOUT_MS) {
    sleep(pause);
    pause = Math.min(1, pause * 2);
    const path = threadPath(id) + '/messages?order=desc&limit=1';
    const newest = request('GET', path, null, 'wait_for_reply', 'GET /thread/{id}/messages').json();
    if (newest.length > 0 && newest[0].type === 'assistant') {
      replyLatency.add(Date.now() - sentAt);
      return;
    }
  }
  throw new Error('no reply within ' + REPLY_TIMEOUT_MS + ' ms');
}

const OPS = {
  createSession: function () {
    createSession();
  },
  sendMessage: function () {
    sendMessage(session());
  },
  waitForReply: function () {
    waitForReply(session());
  },
  conversation: function () {
    const id = createSession();
    for (let turn = 0; turn < TURNS; turn++) {
      if (turn > 0 && THINK_TIME_S > 0) sleep(THINK_TIME_S);
      waitForReply(id);
    }
  },
  getSession: function () {
    request('GET', threadPath(session()), null, 'get_session', 'GET /thread/{id}');
  },
  listMessages: function () {
    const path = threadPath(session()) + '/messages?limit=' + LIST_LIMIT;
    request('GET', path, null, 'list_messages', 'GET /thread/{id}/messages');
  },
  poll: function () {
    const id = session();
    const after = lastSeenId === null ? '' : '&after=' + encodeURIComponent(lastSeenId);
    const path = threadPath(id) + '/messages?limit=' + LIST_LIMIT + after;
    const page = request('GET', path, null, 'list_messages', 'GET /thread/{id}/messages').json();
    if (page.length > 0) lastSeenId = page[page.length - 1].id;
  },
};

// One iteration: one op of the mix; op_duration from the iteration's start (k6 has no intended start).
export default function () {
  const op = pickOp();
  const tags = { op: OP_TAG[op] };
  const startedAt = Date.now();
  let ok = false;
  try {
    OPS[op]();
    ok = true;
  } catch (err) {
    // The op failed (a non-2xx, 429s to the end, no reply in time): counted in op_failed.
  }
  opDuration.add(Date.now() - startedAt, tags);
  ops.add(1, tags);
  opFailed.add(!ok, tags);
}
`;
}
