/**
 * The mock's HTTP face as a bench target: limits off, no faults, default API key
 * `nexus-mock-key`. Run as a script (`node --import tsx bench/lib/mock-http-server.ts`):
 * listens on 127.0.0.1, port 0, prints `{"port": N}` and closes gracefully on SIGTERM/SIGINT.
 */
import { startMockServer } from '../../mock-server/http/server.js';

const mock = await startMockServer({ host: '127.0.0.1', port: 0, config: { limits: false, faults: [] } });
process.stdout.write(`${JSON.stringify({ port: mock.port })}\n`);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    // Bound the graceful close: autocannon has already stopped, but don't let a stuck socket hang the bench.
    const force = setTimeout(() => process.exit(0), 2_000);
    force.unref();
    mock.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
