import type { Argv } from 'yargs';
import { ADMIN_ROUTES } from '../../../mock-server/core/admin.js';
import { ADMIN_TOKEN_ENV, ADMIN_TOKEN_HEADER } from '../../../mock-server/core/admin-token.js';
import { HTTP_LIMIT_DEFAULTS } from '../../../mock-server/http/connections.js';
import { UsageError } from '../../util/errors.js';
import type { CommandBody } from '../command-context.js';
import type { MockArgs } from './mock-handler.js';

function builder(y: Argv): Argv<MockArgs> {
  return y
    .option('port', { type: 'number', default: 4010, describe: 'Port to listen on (0 = any free port)' })
    .option('host', {
      type: 'string',
      default: '127.0.0.1',
      describe: 'Interface to listen on; anything but loopback also needs --allow-remote-bind',
    })
    .option('allow-remote-bind', {
      type: 'boolean',
      default: false,
      describe:
        'Allow a --host that is not loopback (e.g. 0.0.0.0): the API, its keys and the admin API become reachable from the network, so the admin API then needs a token (--admin-token, else one is generated and printed once)',
    })
    .option('admin-token', {
      type: 'string',
      describe: `Require this token in header ${ADMIN_TOKEN_HEADER} on every admin request but health (default: $${ADMIN_TOKEN_ENV}; never printed)`,
    })
    .option('seed', { type: 'number', describe: 'Seed for the assistant and the fault dice (default 1)' })
    .option('config', { type: 'string', describe: 'Whole mock configuration: JSON file or inline JSON' })
    .option('limits', {
      type: 'string',
      describe: 'Limits: JSON file or inline JSON, e.g. \'{"perMinute":{"limit":10,"windowMs":2000}}\'',
    })
    .option('limits-enabled', {
      type: 'boolean',
      describe: 'Enforce request limits; --no-limits turns them off for raw throughput runs',
    })
    .option('rpm', { type: 'number', describe: 'Requests per minute window (real: 60)' })
    .option('minute-window-ms', {
      type: 'number',
      describe: 'Length of the "minute" window, ms (shorten for fast tests)',
    })
    .option('rph', { type: 'number', describe: 'Requests per hour window (real: 1000)' })
    .option('hour-window-ms', { type: 'number', describe: 'Length of the "hour" window, ms' })
    .option('max-sessions', { type: 'number', describe: 'Concurrently open sessions per key (real: 100)' })
    .option('max-messages', { type: 'number', describe: 'User messages per session (real: 10000)' })
    .option('retry-after', {
      type: 'boolean',
      describe: 'Send Retry-After on 429 (default on; --no-retry-after as the real docs)',
    })
    .option('faults', { type: 'string', describe: 'Fault rules: JSON file or inline JSON array' })
    .option('fault', {
      type: 'string',
      array: true,
      describe: 'Add a fault: TYPE[:PROBABILITY][@ROUTE], e.g. reset:0.05, 503:0.1@sendMessage, stall:0.01',
    })
    .option('reply-delay-ms', {
      type: 'string',
      describe: 'Assistant reply delay: N or MIN-MAX ms (default 1000-3000)',
    })
    .option('api-key', {
      type: 'string',
      array: true,
      describe:
        'An API key to accept (repeatable; default nexus-mock-key); shown only as its fingerprint k_…',
    })
    .option('headers-timeout-ms', {
      type: 'number',
      describe: `Time a client has to send a request's headers, ms; then a JSON 408 (default ${HTTP_LIMIT_DEFAULTS.headersTimeoutMs})`,
    })
    .option('request-timeout-ms', {
      type: 'number',
      describe: `Time a client has to send a whole request, ms (default ${HTTP_LIMIT_DEFAULTS.requestTimeoutMs})`,
    })
    .option('keep-alive-timeout-ms', {
      type: 'number',
      describe: `How long an idle keep-alive connection is kept, ms (default ${HTTP_LIMIT_DEFAULTS.keepAliveTimeoutMs})`,
    })
    .option('max-connections', {
      type: 'number',
      describe: `Open connections at most; one more gets a JSON 503 (default ${HTTP_LIMIT_DEFAULTS.maxConnections})`,
    })
    .option('max-pipelined', {
      type: 'number',
      describe: `Pipelined requests waiting on one connection at most; one more gets a JSON 503 (default ${HTTP_LIMIT_DEFAULTS.maxPipelinedRequests})`,
    })
    .option('exercise', {
      type: 'boolean',
      default: false,
      describe:
        'Start on a free port, take a short tour of the API (conversation, 429s, faults, ledger), then stop',
    })
    .check((argv) => {
      if (!Number.isInteger(argv.port) || argv.port < 0 || argv.port > 65_535) {
        throw new UsageError(`--port must be an integer from 0 to 65535 (got ${argv.port}).`);
      }
      return true;
    })
    .example('$0 mock', 'Serve the mock on http://127.0.0.1:4010/api/public with the real limits')
    .example('$0 mock --rpm 10 --minute-window-ms 2000', 'A 10-per-2-seconds limit, for fast 429 tests')
    .example('$0 mock --no-limits --fault reset:0.05 --fault 503:0.05', '5% resets and 5% 503s, no limits')
    .example('$0 mock --exercise', 'A 5-second tour of the mock, then exit')
    .example(
      '$0 mock --host 0.0.0.0 --allow-remote-bind --admin-token "$TOKEN"',
      'Serve other machines (e.g. a k6 cluster); admin calls need header x-admin-token',
    )
    .epilogue(
      [
        'Fault types: latency error reset empty stall dribble truncate malformed outage rate-limit (details: README).',
        'Admin API (same port):',
        ...ADMIN_ROUTES.map((route) => `  ${route}`),
        'Requests must be addressed to a loopback name (Host: localhost, 127.x.x.x, [::1]) unless bound elsewhere;',
        'cross-origin browser requests to the admin API get 403. Keys are shown only as fingerprints (k_...).',
        `The harness's own admin clients send $${ADMIN_TOKEN_ENV} as ${ADMIN_TOKEN_HEADER} when it is set.`,
      ].join('\n'),
    ) as unknown as Argv<MockArgs>;
}

/**
 * `nexus-harness mock`: serve the Nexus API simulator over HTTP. The server loads when the
 * command runs (`mock --help` loads only the flags' definitions).
 */
export const mockCommand: CommandBody<MockArgs> = (ctx) => ({
  builder,
  async handler(argv) {
    const { mockHandler } = await import('./mock-handler.js');
    await mockHandler(argv, ctx);
  },
});
