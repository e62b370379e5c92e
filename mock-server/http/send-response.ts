import type { ServerResponse } from 'node:http';
import { errorBody } from '../core/error-body.js';
import type { ConnectionFault, SimResponse } from '../core/types.js';

/** Timers and stalled responses a server must clean up when it stops. */
export interface PendingWork {
  timers: Set<NodeJS.Timeout>;
  stalled: Set<ServerResponse>;
}

/**
 * Writes a response the normal way: headers, body, done. `Content-Length` is set so Node
 * sends the head and body in one write instead of chunked framing.
 */
function writeWhole(res: ServerResponse, response: SimResponse): void {
  const body = response.body;
  // One flat list for writeHead: a header set before it (setHeader) sends Node down its slow
  // path, which sets every other header one by one, validating each, on every response.
  const headers: string[] = [];
  for (const name in response.headers) headers.push(name, response.headers[name]!);
  headers.push('content-length', String(body === undefined ? 0 : Buffer.byteLength(body)));
  res.writeHead(response.status, headers);
  res.end(body);
}

/** Carries out a connection-level fault on the real socket. */
function carryOutFault(
  res: ServerResponse,
  response: SimResponse,
  fault: ConnectionFault,
  work: PendingWork,
): void {
  const socket = res.socket;
  switch (fault.kind) {
    case 'reset':
      // A TCP RST: the client sees ECONNRESET.
      if (socket) socket.resetAndDestroy();
      return;
    case 'empty':
      // A clean close with no response at all: the client sees the socket close before any header.
      if (socket) socket.destroy();
      return;
    case 'stall':
      // Keep the connection open and silent until the client gives up or the server stops.
      work.stalled.add(res);
      res.on('close', () => work.stalled.delete(res));
      return;
    case 'truncate': {
      const body = Buffer.from(response.body ?? '');
      res.writeHead(response.status, { ...response.headers, 'content-length': String(body.length) });
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => socket?.destroy());
      return;
    }
    case 'dribble': {
      const body = Buffer.from(response.body ?? '');
      res.writeHead(response.status, { ...response.headers, 'content-length': String(body.length) });
      let offset = 0;
      const timer = setInterval(() => {
        if (res.destroyed) {
          clearInterval(timer);
          work.timers.delete(timer);
          return;
        }
        const next = Math.min(offset + fault.chunkBytes, body.length);
        const piece = body.subarray(offset, next);
        offset = next;
        if (offset >= body.length) {
          clearInterval(timer);
          work.timers.delete(timer);
          res.end(piece);
        } else {
          res.write(piece);
        }
      }, fault.intervalMs);
      work.timers.add(timer);
      return;
    }
  }
}

function sendNow(res: ServerResponse, response: SimResponse, work: PendingWork): void {
  if (res.destroyed) return;
  if (response.fault === undefined) writeWhole(res, response);
  else carryOutFault(res, response, response.fault, work);
}

/**
 * Sends the simulator's answer on a real socket: after any injected delay, either the
 * response as is, or the connection-level fault it carries.
 */
export function sendResponse(res: ServerResponse, response: SimResponse, work: PendingWork): void {
  if (response.delayMs <= 0) {
    sendNow(res, response, work);
    return;
  }
  const timer = setTimeout(() => {
    work.timers.delete(timer);
    sendNow(res, response, work);
  }, response.delayMs);
  work.timers.add(timer);
}

/**
 * Answers with the API's JSON error body and closes the connection after it: for requests the
 * face refuses before the simulator sees them (guard, limits, protocol errors).
 */
export function sendJsonError(res: ServerResponse, status: number, message: string): void {
  const body = errorBody(status, message);
  res.shouldKeepAlive = false;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
  });
  res.end(body);
}
