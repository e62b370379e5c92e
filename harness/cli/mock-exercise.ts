import type { RunningMockServer } from '../../mock-server/http/server.js';
import { requestNoRedirect } from '../util/request-no-redirect.js';

type Print = (line: string) => void;

interface Exchange {
  status: number;
  header(name: string): string | null;
  body: unknown;
}

/** One request to the mock with the first accepted key; network failures come back as their code. */
async function call(
  mock: RunningMockServer,
  method: string,
  path: string,
  body?: unknown,
): Promise<Exchange> {
  const response = await requestNoRedirect(`${mock.url}${path}`, {
    method,
    headers: { 'api-key': mock.simulator.config.apiKeys[0]!, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, header: response.header, body: response.json() };
}

async function admin(
  mock: RunningMockServer,
  adminHeaders: Record<string, string>,
  method: string,
  path: string,
  body: unknown,
): Promise<void> {
  const res = await requestNoRedirect(`${mock.origin}/__admin/${path}`, {
    method,
    headers: { ...adminHeaders, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`Admin ${path} failed: ${res.status} ${res.text}`);
}

function networkCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).name;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A short tour of the mock against its real HTTP face: a conversation with the assistant,
 * the per-minute limit under 70 concurrent sends (the guide's own test), two injected faults,
 * and the ledger. It is the README's first command until the scenario engine lands.
 * `adminHeaders` go with each admin call (the admin token, when the mock requires one).
 */
export async function exerciseMock(
  mock: RunningMockServer,
  print: Print,
  adminHeaders: Record<string, string> = {},
): Promise<void> {
  print(`1. Conversation: POST /thread {"message":"What is 2+2?"}`);
  const created = await call(mock, 'POST', '/thread', { message: 'What is 2+2?' });
  const id = (created.body as { id: string }).id;
  print(
    `   ${created.status} thread ${id}; X-RateLimit-Remaining ${created.header('x-ratelimit-remaining')}`,
  );
  const started = Date.now();
  let after: string | undefined;
  let polls = 0;
  let reply: string | undefined;
  for (
    let waitMs = 200;
    reply === undefined && Date.now() - started < 10_000;
    waitMs = Math.min(waitMs * 2, 1_000)
  ) {
    await sleep(waitMs);
    polls++;
    const query = after ? `?after=${after}` : '';
    const list = await call(mock, 'GET', `/thread/${id}/messages${query}`);
    const messages = list.body as { id: string; type: string; content: string }[];
    if (messages.length > 0) after = messages[messages.length - 1]!.id;
    reply = messages.find((m) => m.type === 'assistant')?.content;
  }
  print(
    `   assistant replied "${reply ?? '(no reply within 10 s)'}" after ${polls} polls (${Date.now() - started} ms)`,
  );

  print("2. Rate limit: 70 concurrent POST /thread/{id}/messages (the guide's test)");
  const sends = await Promise.all(
    Array.from({ length: 70 }, (_, i) =>
      call(mock, 'POST', `/thread/${id}/messages`, { content: `message ${i}` }),
    ),
  );
  const byStatus = new Map<number, number>();
  for (const s of sends) byStatus.set(s.status, (byStatus.get(s.status) ?? 0) + 1);
  const limited = sends.find((s) => s.status === 429);
  const counts = [...byStatus].map(([status, n]) => `${status}×${n}`).join(', ');
  print(`   ${counts}`);
  if (limited) {
    const h = limited.header;
    print(
      `   429 carries Retry-After ${h('retry-after') ?? '(off)'} s, X-RateLimit-Limit ${h('x-ratelimit-limit')}, ` +
        `Reset ${h('x-ratelimit-reset')} (Unix s)`,
    );
  }

  print('3. Faults: a connection reset, then a 503 with Retry-After');
  await admin(mock, adminHeaders, 'PUT', 'limits', false);
  await admin(mock, adminHeaders, 'PUT', 'faults', [{ type: 'reset', probability: 1 }]);
  try {
    await call(mock, 'GET', `/thread/${id}`);
    print('   reset: the request unexpectedly succeeded');
  } catch (error) {
    print(`   reset: the request failed with ${networkCode(error)}`);
  }
  await admin(mock, adminHeaders, 'PUT', 'faults', [{ type: 'error', status: 503, retryAfterSec: 1 }]);
  const unavailable = await call(mock, 'GET', `/thread/${id}`);
  print(`   error: ${unavailable.status} with Retry-After ${unavailable.header('retry-after')}`);
  await admin(mock, adminHeaders, 'PUT', 'faults', []);

  const ledger = mock.simulator.ledger();
  const effects = new Map<string, number>();
  for (const e of ledger.effects) effects.set(e.kind, (effects.get(e.kind) ?? 0) + 1);
  print(
    `4. Ledger: ${ledger.requests.length} requests, effects ${[...effects].map(([k, n]) => `${k}×${n}`).join(', ')}, ` +
      `${ledger.dropped} dropped`,
  );
}
