import '../../harness/util/no-pact-telemetry.js';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MatchersV3 as M, PactV4 } from '@pact-foundation/pact';
import { UsageError } from '../../harness/util/errors.js';
import { API_BASE_PATH, CONSUMER, PROVIDER } from '../nexus-api.js';

/**
 * `nexus-harness run … --target pact`: a Pact mock server that serves the interactions of a
 * pact file, so a scenario's traffic shows whether the load pattern stays inside what the
 * contract covers. A request no served interaction matches gets Pact's 500 (so the run's
 * `op_failed` shows it) and is listed when the server closes.
 *
 * What it cannot do (a Pact mock server is a table of examples, not a simulator):
 * - no provider states: one answer per request shape, whatever came before. Of the
 *   interactions with the same request shape (method, path pattern, query parameter names,
 *   body field names) only the first successful one (2xx) is served; error outcomes (400, 401,
 *   404, 409, 429) are never served, since Pact could not tell when to give them;
 * - answers are the pact's example values (every created thread has the same id, replies are
 *   the examples of the list interactions), not the simulator's;
 * - requests are matched by the pact's matching rules: a query parameter or body field the
 *   contract does not declare is a mismatch;
 * - no rate limits, no faults, no assistant timing, no ledger (so no audit).
 */

interface PactBody {
  content?: unknown;
  contentType?: string;
  encoded?: unknown;
}

interface PactPart {
  headers?: Record<string, string[]>;
  body?: PactBody;
  matchingRules?: Record<string, unknown>;
}

interface PactInteraction {
  type?: string;
  description: string;
  providerStates?: { name: string; params?: Record<string, unknown> }[];
  request: PactPart & { method: string; path: string; query?: Record<string, string[]> };
  response: PactPart & { status: number };
}

/** A running Pact target. */
export interface PactTarget {
  /** Base URL of the API it serves, e.g. `http://127.0.0.1:41234/api/public`. */
  url: string;
  /** Descriptions of the interactions served. */
  served: string[];
  /** Descriptions left out: error outcomes and duplicate request shapes (see the module notes). */
  skipped: string[];
  /** Stops the server; resolves with the requests the contract did not cover ("METHOD /path"). */
  close(): Promise<string[]>;
}

/** The shape Pact tells requests apart by, as far as this server is concerned. */
function requestShape(i: PactInteraction): string {
  const pathRule = JSON.stringify(
    (i.request.matchingRules as { path?: unknown } | undefined)?.path ?? i.request.path,
  );
  const query = Object.keys(i.request.query ?? {}).sort();
  const content = i.request.body?.content;
  const fields =
    typeof content === 'object' && content !== null && !Array.isArray(content)
      ? Object.keys(content).sort()
      : [];
  return `${i.request.method} ${pathRule} ?${query.join('&')} {${fields.join(',')}}`;
}

/**
 * Picks what a stateless server can serve: the first 2xx interaction of each request shape.
 *
 * @example
 * const { served, skipped } = selectServable(pact.interactions);
 */
export function selectServable(interactions: readonly PactInteraction[]): {
  served: PactInteraction[];
  skipped: PactInteraction[];
} {
  const served: PactInteraction[] = [];
  const skipped: PactInteraction[] = [];
  const seen = new Set<string>();
  for (const i of interactions) {
    const shape = requestShape(i);
    const ok = (i.type ?? 'Synchronous/HTTP') === 'Synchronous/HTTP' && i.response.status < 300;
    if (!ok || seen.has(shape)) skipped.push(i);
    else {
      seen.add(shape);
      served.push(i);
    }
  }
  return { served, skipped };
}

type FileRules = Record<string, { matchers?: Record<string, unknown>[] } | undefined>;

/**
 * The pact file's matching rules of one part (`{ "$.id": { combine, matchers } }`) in the form
 * pact-js's builders take (`[{ path: "$.id", rules: [{ "pact:matcher:type": … }] }]`).
 */
function toBuilderRules(rules: Record<string, unknown> | undefined, parts: readonly string[]) {
  const out: Record<string, { path: string; rules: Record<string, unknown>[] }[]> = {};
  for (const part of parts) {
    const byPath = rules?.[part] as FileRules | undefined;
    if (byPath === undefined) continue;
    out[part] = Object.entries(byPath).map(([path, rule]) => ({
      path,
      rules: (rule?.matchers ?? []).map(({ match, ...rest }) => ({ 'pact:matcher:type': match, ...rest })),
    }));
  }
  return out;
}

/** The request path as pact-js takes it: a regex matcher when the pact has one, else the literal path. */
function pathOf(request: PactInteraction['request']): string | ReturnType<typeof M.regex> {
  const rule = (
    request.matchingRules?.path as { matchers?: { match?: string; regex?: string }[] } | undefined
  )?.matchers?.[0];
  return rule?.match === 'regex' && rule.regex !== undefined
    ? M.regex(rule.regex, request.path)
    : request.path;
}

/**
 * Sets a body from the pact file: JSON through `jsonBody` (a binary body would add a content-type
 * rule that no longer compares the JSON), anything else as bytes.
 */
function setBody(
  b: { jsonBody(body: unknown): unknown; body(contentType: string, body: Buffer): unknown },
  body: PactBody | undefined,
): void {
  if (body?.content === undefined) return;
  const type = body.contentType ?? 'application/json';
  if (/json/i.test(type) && typeof body.content !== 'string') {
    b.jsonBody(body.content);
    return;
  }
  const text = typeof body.content === 'string' ? body.content : JSON.stringify(body.content);
  b.body(type, Buffer.from(text, body.encoded === 'base64' ? 'base64' : 'utf8'));
}

/** Lines "METHOD /path" of the requests Pact's mismatch report says it did not expect or found wrong. */
function uncoveredRequests(message: string): string[] {
  const out: string[] = [];
  const blocks = message.split(/\n\s*\d+\) /);
  for (const block of blocks) {
    if (block.startsWith('The following request was not expected')) {
      const method = /Method: (\S+)/.exec(block)?.[1];
      const path = /Path: (\S+)/.exec(block)?.[1];
      const query = /Query String: (\S+)/.exec(block)?.[1];
      if (method && path) out.push(`${method} ${path}${query ? `?${query}` : ''}`);
    } else if (block.startsWith('The following request was incorrect')) {
      const line = /incorrect:\s*\n\s*(\S+ \S+)/.exec(block)?.[1];
      if (line) out.push(line);
    }
  }
  return out;
}

/**
 * Serves the pact file's servable interactions on a Pact mock server on loopback.
 *
 * @example
 * const pact = await servePact('contracts/pacts/nexus-harness-client-nexus-api.json');
 * const client = createNexusClient({ baseUrl: pact.url, apiKey: 'any' });
 * // …
 * const uncovered = await pact.close(); // [] when every request was in the contract
 */
export async function servePact(pactFile: string): Promise<PactTarget> {
  let parsed: { interactions?: PactInteraction[] };
  try {
    parsed = JSON.parse(await readFile(pactFile, 'utf8')) as typeof parsed;
  } catch (err) {
    throw new UsageError(
      `Failed to read the pact file ${pactFile}: ${(err as Error).message}. ` +
        "Run 'nexus-harness contracts test' to write it, or pass --pact-file (or set NEXUS_PACT_FILE).",
    );
  }
  const { served, skipped } = selectServable(parsed.interactions ?? []);
  if (served.length === 0)
    throw new UsageError(`The pact file ${pactFile} has no successful HTTP interaction to serve.`);

  // Pact writes a pact file of what was served when its server closes cleanly; keep that out of the way.
  const scratch = await mkdtemp(join(tmpdir(), 'nexus-harness-pact-target-'));
  const pact = new PactV4({ consumer: CONSUMER, provider: PROVIDER, dir: scratch, logLevel: 'error' });
  let last: ReturnType<
    ReturnType<ReturnType<PactV4['addInteraction']>['withRequest']>['willRespondWith']
  > | null = null;
  for (const i of served) {
    let unconfigured = pact.addInteraction().uponReceiving(i.description);
    for (const s of i.providerStates ?? []) unconfigured = unconfigured.given(s.name, s.params as never);
    last = unconfigured
      .withRequest(i.request.method, pathOf(i.request), (b) => {
        if (i.request.query) b.query(i.request.query);
        if (i.request.headers) b.headers(i.request.headers);
        setBody(b, i.request.body);
        b.matchingRules(toBuilderRules(i.request.matchingRules, ['header', 'query', 'body']) as never);
      })
      .willRespondWith(i.response.status, (b) => {
        if (i.response.headers) b.headers(i.response.headers);
        setBody(b, i.response.body);
        b.matchingRules(toBuilderRules(i.response.matchingRules, ['header', 'body']) as never);
      });
  }

  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let started!: (url: string) => void;
  const serving = new Promise<string>((resolve) => {
    started = resolve;
  });
  // The server lives as long as this test function runs: until close().
  const run = last!.executeTest(async (server) => {
    started(server.url);
    await released;
  });
  // `run` settles only after release() (or if the server never started): this handles it meanwhile.
  const ended = run.then(
    () => null,
    (err: unknown) => err,
  );
  const origin = await Promise.race([serving, ended.then(() => null)]);
  if (origin === null) {
    await rm(scratch, { recursive: true, force: true });
    throw new UsageError(`Failed to start the Pact mock server: ${String(await ended)}`);
  }

  return {
    url: `${origin}${API_BASE_PATH}`,
    served: served.map((i) => i.description),
    skipped: skipped.map((i) => i.description),
    async close() {
      // Pact records matches on its own thread, after answering: let the last ones land.
      await new Promise((resolve) => setTimeout(resolve, 50));
      release();
      const err = await ended;
      await rm(scratch, { recursive: true, force: true });
      // Pact also reports the interactions the load never used; only requests outside the contract count.
      return err === null ? [] : uncoveredRequests((err as Error)?.message ?? String(err));
    },
  };
}
