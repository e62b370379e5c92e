import { UsageError } from '../../harness/util/errors.js';
import { isLoopbackHost } from '../../harness/util/loopback.js';
import type { NockModule } from './load-nock.js';

/**
 * True for a `host:port` (as nock hands it to a net-connect matcher) on loopback.
 *
 * @example
 * allowsLoopbackOnly('127.0.0.1:4010'); // true
 * allowsLoopbackOnly('nexus.mock.local:80'); // false
 */
export function allowsLoopbackOnly(hostAndPort: string): boolean {
  return isLoopbackHost(hostAndPort.replace(/:\d+$/, ''));
}

/** What the open nock mocks of this process hold, shared because nock's state is process-wide. */
const held: { origins: Set<string>; activatedHere: boolean } = { origins: new Set(), activatedHere: false };

/**
 * Takes `origin` for a new nock mock. The first open mock makes nock refuse every request it
 * has no interceptor for, except to loopback (`disableNetConnect` + `enableNetConnect` for
 * loopback), so a request the mock does not serve is refused, never sent to the network; it
 * also activates nock if the suite had restored it (nock intercepts nothing while inactive).
 * Refuses `NOCK_OFF=true` (nock then sends every request to the network) and a second open
 * mock on the same origin (nock would answer its requests from the first).
 *
 * @example
 * holdNetPolicy(nock, 'http://nexus.mock.local');
 * // … requests are served by the mock's interceptors; any other non-loopback one is refused
 * releaseNetPolicy(nock, 'http://nexus.mock.local');
 */
export function holdNetPolicy(nock: NockModule, origin: string): void {
  if (process.env.NOCK_OFF === 'true') {
    throw new UsageError(
      'Failed to create the nock mock: NOCK_OFF=true turns nock off, so its requests would go to the network instead of the mock. Unset NOCK_OFF, or use the HTTP mock (nexus-harness/mock).',
    );
  }
  if (held.origins.has(origin)) {
    throw new UsageError(
      `Failed to create the nock mock: ${origin} is already served by another open nock mock. Close that one first, or pass another baseUrl (e.g. http://nexus-2.mock.local).`,
    );
  }
  if (held.origins.size === 0) {
    if (!nock.isActive()) {
      nock.activate();
      held.activatedHere = true;
    }
    nock.disableNetConnect();
    nock.enableNetConnect(allowsLoopbackOnly);
  }
  held.origins.add(origin);
}

/**
 * Gives `origin` back. When the last open mock closes, net connect returns to nock's default
 * (every host allowed: nock cannot tell what a suite had set before, so a suite with its own
 * `disableNetConnect()` sets it again after closing the mock), and nock is restored if
 * {@link holdNetPolicy} had activated it.
 *
 * @example
 * releaseNetPolicy(nock, mock.origin);
 */
export function releaseNetPolicy(nock: NockModule, origin: string): void {
  if (!held.origins.delete(origin) || held.origins.size > 0) return;
  nock.enableNetConnect();
  if (held.activatedHere) {
    held.activatedHere = false;
    nock.restore();
  }
}
