import type { RouteName } from './types.js';

/** Where the public API lives on the mock, as on the real service (`…/api/public`). */
export const BASE_PATH = '/api/public';

/** Where the admin API lives; never rate-limited, never in the ledger. */
export const ADMIN_PREFIX = '/__admin';

/** The outcome of matching a path and method. Reused between calls: read it, do not keep it. */
export interface RouteMatch {
  /** `found`: route and thread id set; `method`: path known, method not (see `allow`); `none`: unknown path. */
  kind: 'found' | 'method' | 'none';
  route: RouteName | null;
  threadId: string;
  /** The methods the path does allow, for `Allow` on a 405. */
  allow: string;
}

const THREAD = '/thread';
const MESSAGES = '/messages';

/**
 * Matches a request path (without query) against the four public routes, without
 * allocating: the hot path calls this for every request.
 */
export function createRouter(): (method: string, path: string) => RouteMatch {
  const match: RouteMatch = { kind: 'none', route: null, threadId: '', allow: '' };
  const found = (route: RouteName, threadId: string) => {
    match.kind = 'found';
    match.route = route;
    match.threadId = threadId;
    return match;
  };
  const wrongMethod = (allow: string) => {
    match.kind = 'method';
    match.route = null;
    match.allow = allow;
    return match;
  };
  return (method, rawPath) => {
    match.kind = 'none';
    match.route = null;
    match.threadId = '';
    let end = rawPath.length;
    if (end > 1 && rawPath.charCodeAt(end - 1) === 47 /* / */) end--;
    if (!rawPath.startsWith(BASE_PATH) || !rawPath.startsWith(THREAD, BASE_PATH.length)) return match;
    const afterThread = BASE_PATH.length + THREAD.length;
    if (end === afterThread) return method === 'POST' ? found('createThread', '') : wrongMethod('POST');
    if (rawPath.charCodeAt(afterThread) !== 47) return match;
    const idStart = afterThread + 1;
    const slash = rawPath.indexOf('/', idStart);
    if (slash === -1 || slash >= end) {
      if (end === idStart) return match;
      return method === 'GET' ? found('getThread', rawPath.slice(idStart, end)) : wrongMethod('GET');
    }
    if (slash === idStart || end - slash !== MESSAGES.length || !rawPath.startsWith(MESSAGES, slash))
      return match;
    const threadId = rawPath.slice(idStart, slash);
    if (method === 'POST') return found('sendMessage', threadId);
    if (method === 'GET') return found('listMessages', threadId);
    return wrongMethod('GET, POST');
  };
}
