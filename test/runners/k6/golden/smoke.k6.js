// k6 script of the nexus-harness scenario "smoke" — Two VUs for 10 s: conversations, sends, polls and reads; everything must succeed
// Written by `nexus-harness k6 export smoke`: export again rather than edit.
// Needs k6 v0.48 or later (v1, v2 too). Run it against a Nexus API (the mock: nexus-harness mock):
//   NEXUS_BASE_URL=http://127.0.0.1:4010/api/public NEXUS_API_KEY=nexus-mock-key k6 run --out json=points.ndjson script.js
// then judge it as a harness run: nexus-harness import k6 points.ndjson --scenario smoke
import http from 'k6/http';
import { sleep } from 'k6';
import { Counter, Rate, Trend } from 'k6/metrics';

const BASE = __ENV.NEXUS_BASE_URL;
const KEY = __ENV.NEXUS_API_KEY;
if (!BASE) throw new Error('Set NEXUS_BASE_URL to the API base URL, e.g. http://127.0.0.1:4010/api/public');
if (!KEY) throw new Error('Set NEXUS_API_KEY to the API key (the mock accepts nexus-mock-key)');
const GET_HEADERS = { 'api-key': KEY, accept: 'application/json' };
const POST_HEADERS = { 'api-key': KEY, accept: 'application/json', 'content-type': 'application/json' };

// Our metric names, so the imported run is judged and reported like one of ours.
const opDuration = new Trend('op_duration', true);
const ops = new Counter('ops');
const opFailed = new Rate('op_failed');
const rateLimited = new Counter('rate_limited');
const replyLatency = new Trend('reply_latency', true);

// A 429 is the API's answer to load, not a failure: expected, and counted in rate_limited.
http.setResponseCallback(http.expectedStatuses({ min: 200, max: 399 }, 429));

export const options = {
  scenarios: {
    "main": {
      "executor": "constant-vus",
      "vus": 2,
      "duration": "10s",
      "startTime": "0s",
      "gracefulStop": "5s",
      "tags": {
        "executor": "main"
      }
    }
  },
  thresholds: {
    "op_failed": [
      "rate==0"
    ],
    "op_duration{op:send_message}": [
      "p(95)<500"
    ]
  },
};
// Not checked by k6 (the harness's own measurements, which k6 does not make): duplicates, lost, retry_after_violations.
// Run the scenario with nexus-harness for those (the audit needs the mock's ledger).

// The op mix: each iteration picks one op with probability weight ÷ 6.
const MIX = [["conversation",1],["sendMessage",2],["poll",2],["getSession",1]];
const MIX_TOTAL = 6;
// 'per-vu': each VU creates one session (thread) and reuses it; 'per-iteration': a new one each time.
const SESSIONS = "per-vu";
const TURNS = 1;
const THINK_TIME_S = 0;
const REPLY_TIMEOUT_MS = 30000;
const LIST_LIMIT = 20;
const MESSAGE_CONTENT = null;
const MESSAGE_CHARS = {"min":20,"max":200};
// A 429 is retried after its Retry-After (at most 30 s), at most 5 attempts in all.
const MAX_ATTEMPTS = 5;
const MAX_RETRY_AFTER_S = 30;
const OP_TAG = {"conversation":"conversation","sendMessage":"send_message","poll":"poll","getSession":"get_session"};
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
