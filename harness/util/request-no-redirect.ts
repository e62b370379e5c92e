import type { IncomingMessage, RequestOptions } from 'node:http';
import { ERROR_CODES, HarnessError } from './errors.js';
import { redactUrl } from './url.js';

/**
 * The harness's own small requests (the ledger probe and pages, the limits question, the
 * provider-state admin calls, the mock self-check): over `node:http`, never following a redirect.
 *
 * Why not `fetch`: it follows 3xx by default, and a loopback server answering
 * `302 Location: http://10.0.0.1/` would take the harness off loopback (and make it trust that
 * host's answers); and its first call loads Node's bundled undici, which costs a cold CLI about
 * 55 ms of CPU before the run starts. A 3xx is a {@link RedirectRefusedError} naming the Location.
 */

/**
 * Thrown for a response that redirects; code `NH_REDIRECT`. Its message names the request and
 * the Location (both without credentials).
 *
 * @example
 * catch (err) { if (isRedirectRefusedError(err)) console.error(err.message) }
 */
export class RedirectRefusedError extends HarnessError {
  /** The status of the redirect, e.g. 302. */
  readonly status: number;
  /** Its `Location` header (`''` if none), credentials removed. */
  readonly location: string;

  constructor(method: string, url: string, status: number, location: string) {
    const where = location === '' ? 'no Location' : `Location ${redactUrl(location)}`;
    super(
      ERROR_CODES.redirect,
      `Refused to follow a redirect: ${method} ${redactUrl(url)} answered ${status} with ${where}. ` +
        'The harness follows no redirect (it could lead off loopback); point it at the server that answers.',
    );
    this.status = status;
    this.location = redactUrl(location);
  }
}

/**
 * Type guard for {@link RedirectRefusedError} (code `NH_REDIRECT`), from any copy of the package.
 *
 * @example
 * catch (err) { if (isRedirectRefusedError(err)) console.error(`not followed: ${err.location}`); }
 */
export function isRedirectRefusedError(value: unknown): value is RedirectRefusedError {
  return HarnessError.is(value) && value.code === ERROR_CODES.redirect;
}

/** What {@link requestNoRedirect} sends. */
export interface SmallRequest {
  method?: string;
  headers?: Record<string, string>;
  /** A JSON or text body; its `content-length` is set. */
  body?: string;
  signal?: AbortSignal;
}

/** A whole response, read into memory (these answers are small: admin JSON, ledger pages). */
export interface SmallResponse {
  status: number;
  /** True for a 2xx. */
  ok: boolean;
  /** A response header by its name (any case); `null` when absent. */
  header(name: string): string | null;
  /** The body as UTF-8 text. */
  text: string;
  /** The body parsed as JSON; throws a SyntaxError when it is not JSON. */
  json(): unknown;
}

/** The largest body read, bytes: far above any ledger page, well below what hurts. */
const MAX_BODY_BYTES = 256 * 1024 * 1024;

function toResponse(res: IncomingMessage, text: string): SmallResponse {
  const status = res.statusCode ?? 0;
  return {
    status,
    ok: status >= 200 && status < 300,
    header(name) {
      const value = res.headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
    text,
    json: () => JSON.parse(text) as unknown,
  };
}

/**
 * One request over `node:http` (or `node:https`, loaded only for an `https:` URL), its whole
 * body read; a 3xx answer rejects with {@link RedirectRefusedError} (its body discarded), a
 * network failure with Node's own error (`ECONNREFUSED`, …), an aborted signal with its reason.
 *
 * @example
 * const res = await requestNoRedirect(`${origin}/__admin/health`, { signal: AbortSignal.timeout(2_000) });
 * if (res.ok) console.log(res.json());
 */
export async function requestNoRedirect(url: string, request: SmallRequest = {}): Promise<SmallResponse> {
  const target = new URL(url);
  const method = request.method ?? 'GET';
  const { request: send } =
    target.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const headers: Record<string, string> = { ...request.headers };
  if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
  const options: RequestOptions = { method, headers, signal: request.signal, agent: false };
  return new Promise<SmallResponse>((resolve, reject) => {
    const req = send(target, options, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        res.resume();
        reject(new RedirectRefusedError(method, url, status, String(res.headers.location ?? '')));
        return;
      }
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes > MAX_BODY_BYTES) {
          req.destroy(
            new Error(
              `Failed to read ${method} ${redactUrl(url)}: the body exceeds ${MAX_BODY_BYTES} bytes.`,
            ),
          );
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => resolve(toResponse(res, Buffer.concat(chunks).toString('utf8'))));
      res.on('error', reject);
      // A connection cut mid-body: no 'end' comes (a later resolve or reject is a no-op).
      res.on('close', () => {
        if (!res.complete)
          reject(
            new Error(`Failed to read ${method} ${redactUrl(url)}: the connection closed mid-response.`),
          );
      });
    });
    req.on('error', reject);
    req.end(request.body);
  });
}
