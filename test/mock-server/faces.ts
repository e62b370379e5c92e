/**
 * The two faces of the mock, behind one interface, for suites that run the same cases
 * against both: the HTTP server on a real loopback socket, and the MSW handlers in-process.
 */
import { setupServer } from 'msw/node';
import type { Simulator } from '../../mock-server/core/simulator.js';
import type { Clock } from '../../mock-server/core/types.js';
import { startMockServer } from '../../mock-server/http/server.js';
import { createMswMock } from '../../mock-server/msw/index.js';

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
  name: 'http' | 'msw';
  /** Once per suite (MSW: install the interceptor). */
  setup(): void;
  /** Once per suite (MSW: remove the interceptor, so other suites' real sockets are untouched). */
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

export const FACES: readonly Face[] = [httpFace, mswFace];
