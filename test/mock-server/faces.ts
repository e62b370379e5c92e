/**
 * The three faces of the mock, behind one interface, for suites that run the same cases
 * against each: the HTTP server on a real loopback socket, and the MSW handlers and the nock
 * interceptors in-process.
 */
import { setupServer } from 'msw/node';
import type { Simulator } from '../../mock-server/core/simulator.js';
import type { Clock } from '../../mock-server/core/types.js';
import { startMockServer } from '../../mock-server/http/server.js';
import { createMswMock } from '../../mock-server/msw/index.js';
import { createNockMock } from '../../mock-server/nock/index.js';

/** One running mock, whichever face serves it. */
export interface FaceInstance {
  /** Base URL of the public API (`…/api/public`). */
  url: string;
  /** Origin; the admin API is at `${origin}/__admin`. */
  origin: string;
  simulator: Simulator;
  close(): Promise<void>;
}

export interface Face {
  name: 'http' | 'msw' | 'nock';
  /** Once per suite (MSW: install the interceptor). */
  setup(): void;
  /** Once per suite (MSW, nock: remove the interceptor, so other suites' real sockets are untouched). */
  teardown(): void;
  /** A fresh simulator with `config`, on `clock`, served by this face. */
  start(config: unknown, clock: Clock): Promise<FaceInstance>;
}

export const httpFace: Face = {
  name: 'http',
  setup() {},
  teardown() {},
  async start(config, clock) {
    const server = await startMockServer({ config, clock, shutdownGraceMs: 200 });
    return { url: server.url, origin: server.origin, simulator: server.simulator, close: server.close };
  },
};

export const MSW_BASE_URL = 'http://nexus.mock.local';

function createMswFace(): Face {
  let server: ReturnType<typeof setupServer> | null = null;
  return {
    name: 'msw',
    setup() {
      const created = setupServer();
      created.listen({ onUnhandledRequest: 'error' });
      server = created;
    },
    teardown() {
      server?.close();
      server = null;
    },
    async start(config, clock) {
      if (server === null) throw new Error('Failed to start the MSW face: setup() was not called.');
      const mock = createMswMock(config, { baseUrl: MSW_BASE_URL, clock });
      // Runtime handlers on a server with none of its own: resetHandlers() removes them all.
      server.use(...mock.handlers);
      const active = server;
      return {
        url: mock.url,
        origin: MSW_BASE_URL,
        simulator: mock.simulator,
        close: async () => active.resetHandlers(),
      };
    },
  };
}

export const mswFace: Face = createMswFace();

export const NOCK_BASE_URL = 'http://nexus.mock.local';

function createNockFace(): Face {
  let nock: typeof import('nock') | undefined;
  return {
    name: 'nock',
    setup() {},
    teardown() {
      // Importing nock activated it (its own side effect); deactivate it so the suites that
      // follow in this file send on real sockets, as before. The next start activates it again.
      if (nock?.isActive()) nock.restore();
    },
    async start(config, clock) {
      nock = (await import('nock')).default;
      const mock = await createNockMock({ config, clock, baseUrl: NOCK_BASE_URL });
      return { url: mock.url, origin: mock.origin, simulator: mock.simulator, close: mock.close };
    },
  };
}

export const nockFace: Face = createNockFace();

export const FACES: readonly Face[] = [httpFace, mswFace, nockFace];
