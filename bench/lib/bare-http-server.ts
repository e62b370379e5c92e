/**
 * The baseline for HTTP benches: a bare `node:http` server that answers every request with
 * the same bytes, taken from BENCH_BODY (default `{}`) with BENCH_CONTENT_TYPE (default
 * `application/json`). No routing, no parsing, no state: the fastest a Node HTTP server can
 * be, so a ratio against it shows what our own work costs.
 *
 * Run as a script (`node --import tsx bench/lib/bare-http-server.ts`): listens on 127.0.0.1,
 * port 0, prints `{"port": N}` and stops on SIGTERM/SIGINT.
 */
import { createServer } from 'node:http';

// Built once: per-request work here would be measured as the baseline's cost.
const body = Buffer.from(process.env.BENCH_BODY ?? '{}', 'utf8');
const headers = {
  'content-type': process.env.BENCH_CONTENT_TYPE ?? 'application/json',
  'content-length': String(body.length),
};

const server = createServer((req, res) => {
  // Drain any request body so keep-alive connections stay usable.
  req.resume();
  res.writeHead(200, headers);
  res.end(body);
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('Failed to listen: no TCP address.');
  process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);
});

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
