import { randomBytes } from 'node:crypto';
import type { Argv, CommandModule } from 'yargs';
import { ADMIN_ROUTES } from '../../../mock-server/core/admin.js';
import { ADMIN_TOKEN_ENV, ADMIN_TOKEN_HEADER } from '../../../mock-server/core/admin-token.js';
import { publicConfig } from '../../../mock-server/core/public-config.js';
import { HTTP_LIMIT_DEFAULTS } from '../../../mock-server/http/connections.js';
import { startMockServer } from '../../../mock-server/http/server.js';
import { UsageError } from '../../util/errors.js';
import { isLoopbackHost } from '../../util/loopback.js';
import { exerciseMock } from '../mock-exercise.js';
import { type MockFlags, mockConfigFromFlags } from '../mock-options.js';

interface MockArgs extends MockFlags {
  port: number;
  host: string;
  'allow-remote-bind': boolean;
  'admin-token'?: string;
  'headers-timeout-ms'?: number;
  'request-timeout-ms'?: number;
  'keep-alive-timeout-ms'?: number;
  'max-connections'?: number;
  'max-pipelined'?: number;
  exercise: boolean;
}

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

/** Resolves on the first SIGINT or SIGTERM. */
function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** The admin token to require: the flag, else the environment; on a non-loopback bind, a generated one if neither. */
function adminTokenFor(argv: MockArgs, remote: boolean): { token: string | undefined; generated: boolean } {
  const given = argv['admin-token'] ?? process.env[ADMIN_TOKEN_ENV];
  if (given !== undefined && given !== '') return { token: given, generated: false };
  if (argv['admin-token'] === '')
    throw new UsageError('--admin-token is empty. Give a token, or leave the flag out.');
  return remote
    ? { token: randomBytes(24).toString('base64url'), generated: true }
    : { token: undefined, generated: false };
}

async function handler(argv: MockArgs): Promise<void> {
  const remote = !isLoopbackHost(argv.host);
  if (remote && !argv['allow-remote-bind']) {
    throw new UsageError(
      `Refusing to listen on ${argv.host}: it is not a loopback address, so the mock's API, its keys and its admin API ` +
        'would be reachable from the network. Pass --allow-remote-bind to do it on purpose, or leave --host out (127.0.0.1).',
    );
  }
  const config = mockConfigFromFlags(argv);
  const { token, generated } = adminTokenFor(argv, remote);
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const mock = await startMockServer({
    host: argv.host,
    port: argv.exercise ? 0 : argv.port,
    config,
    adminToken: token,
    http: {
      headersTimeoutMs: argv['headers-timeout-ms'],
      requestTimeoutMs: argv['request-timeout-ms'],
      keepAliveTimeoutMs: argv['keep-alive-timeout-ms'],
      maxConnections: argv['max-connections'],
      maxPipelinedRequests: argv['max-pipelined'],
    },
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE')
      throw new UsageError(`Port ${argv.port} is in use. Pass --port 0 for any free port.`);
    throw error;
  });
  if (remote) {
    process.stderr.write(
      `Warning: listening on ${argv.host}, not loopback: the API (with its accepted keys) and the admin API ` +
        `(reset, faults, ledger) are reachable from the network. Admin calls need header ${ADMIN_TOKEN_HEADER}.\n`,
    );
  }
  print(`Nexus mock API listening on ${mock.url}`);
  print(`Admin API: ${mock.origin}/__admin  (GET /__admin/ledger, PUT /__admin/faults, ...)`);
  if (generated) {
    // Shown once, here: it was made for this process and is needed to use the admin API.
    print(
      `Admin token (generated for this run; send as header ${ADMIN_TOKEN_HEADER}, or set ${ADMIN_TOKEN_ENV}): ${token}`,
    );
  } else if (token !== undefined) {
    print(`Admin API needs header ${ADMIN_TOKEN_HEADER} (the token you gave; not shown)`);
  }
  // The public view: fingerprints, never keys (only the public demo key is shown as is).
  const shown = publicConfig(mock.simulator.config);
  print(`Accepted API keys (header api-key): ${shown.apiKeys.join(', ')}`);
  const limits = shown.limits;
  print(
    limits === false
      ? 'Limits: off'
      : `Limits: ${limits.perMinute.limit}/${limits.perMinute.windowMs} ms, ${limits.perHour.limit}/${limits.perHour.windowMs} ms, ` +
          `${limits.concurrentSessions} open sessions, ${limits.messagesPerSession} messages/session`,
  );
  if (shown.faults.length > 0)
    print(`Faults: ${shown.faults.map((f) => `${f.type}:${f.probability}@${f.route}`).join(', ')}`);
  if (argv.exercise) {
    try {
      await exerciseMock(mock, print, token === undefined ? {} : { [ADMIN_TOKEN_HEADER]: token });
    } finally {
      await mock.close();
    }
    return;
  }
  print('Press Ctrl-C to stop.');
  const signal = await untilSignal();
  print(`${signal}: stopping (in-flight requests get up to 2 s)...`);
  await mock.close();
  print('Stopped.');
}

/** `nexus-harness mock`: serve the Nexus API simulator over HTTP. */
export const mockCommand: CommandModule<object, MockArgs> = {
  command: 'mock',
  describe: 'Serve the Nexus API mock (limits, assistant, faults, ledger, admin API) on loopback',
  builder,
  handler,
};
