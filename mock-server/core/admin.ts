import { ConfigError } from '../../harness/util/validation.js';
import { auditedColumns } from './audit-columns.js';
import { errorBody } from './error-body.js';
import { bodyErrorAnswer } from './json-body.js';
import { PUBLIC_DEMO_KEY, shownKey } from './keys.js';
import { publicConfig } from './public-config.js';
import { ADMIN_PREFIX } from './router.js';
import type { Simulator } from './simulator.js';
import type { AuditedLedgerRequest, LedgerRequest, SimRequest, SimResponse } from './types.js';

const HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'application/json; charset=utf-8',
});

function ok(value: unknown): SimResponse {
  return { status: 200, headers: HEADERS, body: JSON.stringify(value), delayMs: 0 };
}

function fail(status: number, message: string, extra?: Record<string, unknown>): SimResponse {
  const body = extra
    ? JSON.stringify({ ...JSON.parse(errorBody(status, message)), ...extra })
    : errorBody(status, message);
  return { status, headers: HEADERS, body, delayMs: 0 };
}

/** True when a path belongs to the admin API. */
export function isAdminPath(path: string): boolean {
  return path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`);
}

/** A ledger request cut to what an audit reads (`?fields=audit`). */
function auditedFields(request: LedgerRequest): AuditedLedgerRequest {
  const { seq, at, keyId, opId, status, retryAfterUntil, resetAt } = request;
  return { seq, at, keyId, opId, status, retryAfterUntil, resetAt };
}

/** The admin routes, for `--help` texts and the 404 message. */
export const ADMIN_ROUTES = [
  'GET  /__admin/health',
  'GET  /__admin/config',
  'POST /__admin/reset          [mock configuration]',
  'PUT  /__admin/faults         [fault rules]',
  'PUT  /__admin/limits         {limits} | false',
  'POST /__admin/time           {"advanceMs": N}  (integer ms, at most 10 years)',
  'POST /__admin/threads        {apiKey?, id?, status?, topic?, messages?}',
  'GET  /__admin/ledger?since=N[&fields=audit|audit-columns]  (of each request only what an audit reads; audit-columns: as one array per field)',
  'POST /__admin/ledger/compact?through=N[&instance=ID]  (release entries with seq ≤ N, for every reader; 409 if ID is not this mock)',
] as const;

/**
 * The admin API, shared by both faces: reset state, change faults and limits at run time,
 * move time, seed provider states, and read the ledger. Never rate-limited, never recorded.
 * Invalid input gets a 400 listing every problem; nothing here throws.
 *
 * @example
 * handleAdmin(sim, { method: 'PUT', path: '/__admin/faults', body: [{ type: 'reset', probability: 0.05 }], ... });
 */
export function handleAdmin(sim: Simulator, req: SimRequest): SimResponse {
  const response = answerAdmin(sim, req);
  return response.status >= 400 ? withoutKeys(response, sim.config.apiKeys) : response;
}

/**
 * An error answer with every configured key (but the public demo key) shown as its
 * fingerprint: a problem's path or `got` value may quote a key sent in the wrong place.
 */
function withoutKeys(response: SimResponse, keys: readonly string[]): SimResponse {
  let body = response.body;
  for (const key of keys) {
    if (body !== undefined && key !== PUBLIC_DEMO_KEY && body.includes(key))
      body = body.split(key).join(shownKey(key));
  }
  return body === response.body ? response : { ...response, body };
}

function answerAdmin(sim: Simulator, req: SimRequest): SimResponse {
  // As on the public routes: the body cap first, then the media type, then the JSON. A JSON
  // media type also means a browser cannot send an admin body cross-origin without a CORS
  // preflight (which the mock never grants).
  const hasBody = req.body !== undefined || req.bodyError !== undefined;
  const mediaType = (req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  // The media type's essence, not a substring: `text/plain; x=application/json` is a
  // CORS-safelisted type a browser sends without a preflight. A body-less POST that names a
  // media type must name JSON too.
  const namesType = req.header('content-type') !== undefined;
  if (
    (hasBody || (namesType && req.method !== 'GET')) &&
    req.bodyError !== 'too-large' &&
    mediaType !== 'application/json'
  ) {
    return fail(415, 'Content-Type must be application/json');
  }
  if (req.bodyError !== undefined) {
    const { status, message } = bodyErrorAnswer(req.bodyError, sim.config.maxBodyBytes);
    return fail(status, message);
  }
  const route = `${req.method} ${req.path.replace(/\/$/, '')}`;
  try {
    switch (route) {
      case 'GET /__admin/health':
        return ok({ status: 'ok', now: new Date(sim.now()).toISOString(), instanceId: sim.instanceId });
      case 'GET /__admin/config':
        return ok(publicConfig(sim.config));
      case 'POST /__admin/reset':
        sim.reset(req.body);
        return ok({ reset: true, config: publicConfig(sim.config) });
      case 'PUT /__admin/faults':
        sim.setFaults(req.body);
        return ok({ faults: sim.config.faults });
      case 'PUT /__admin/limits':
        sim.setLimits(req.body);
        return ok({ limits: sim.config.limits });
      case 'POST /__admin/time':
        // advanceTime validates (an integer 0–MAX_SPAN_MS, a bounded total) and throws a ConfigError.
        sim.advanceTime((req.body as { advanceMs?: unknown } | undefined)?.advanceMs);
        return ok({ now: new Date(sim.now()).toISOString() });
      case 'POST /__admin/threads':
        return ok(sim.seedThread((req.body ?? {}) as never));
      case 'GET /__admin/ledger': {
        const query = new URLSearchParams(req.query);
        const since = query.get('since') ?? '0';
        if (!/^\d+$/.test(since)) return fail(400, `since must be a non-negative integer (got "${since}")`);
        const fields = query.get('fields');
        if (fields !== null && fields !== 'audit' && fields !== 'audit-columns') {
          return fail(
            400,
            `fields must be audit or audit-columns, or absent for every field (got "${fields}")`,
          );
        }
        const page = sim.ledger(Number(since));
        if (fields === 'audit') return ok({ ...page, requests: page.requests.map(auditedFields) });
        if (fields === 'audit-columns') return ok({ ...page, requests: auditedColumns(page.requests) });
        return ok(page);
      }
      case 'POST /__admin/ledger/compact': {
        // Opt-in by whoever reads: a run that has read its pages releases them so a long run's
        // ledger stays small. Any other reader of this mock loses what was released, and sees
        // it: every read carries `compactedThrough`. `instance` (the `instanceId` of the read
        // the seq came from) guards against a restart: another mock's seq means nothing here.
        const query = new URLSearchParams(req.query);
        const through = query.get('through');
        if (through === null || !/^\d{1,15}$/.test(through)) {
          return fail(400, `through must be a non-negative integer seq (got ${JSON.stringify(through)})`);
        }
        const instance = query.get('instance');
        if (instance !== null && instance !== sim.instanceId) {
          return fail(
            409,
            `Failed to compact the ledger: instance ${JSON.stringify(instance)} is not this mock's (${sim.instanceId}); it restarted since that ledger was read. Nothing was released: read the ledger again.`,
          );
        }
        const held = sim.compactLedger(Number(through));
        return ok({ compactedThrough: Number(through), held });
      }
      default:
        return fail(404, `No admin route ${route}. Routes: ${ADMIN_ROUTES.join('; ')}`);
    }
  } catch (error) {
    if (error instanceof ConfigError) return fail(400, error.message, { problems: error.problems });
    return fail(500, `Admin operation failed: ${(error as Error).message}`);
  }
}
