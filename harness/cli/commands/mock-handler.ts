import { randomBytes } from 'node:crypto';
import { ADMIN_TOKEN_ENV, ADMIN_TOKEN_HEADER } from '../../../mock-server/core/admin-token.js';
import { publicConfig } from '../../../mock-server/core/public-config.js';
import { startMockServer } from '../../../mock-server/http/server.js';
import { UsageError } from '../../util/errors.js';
import { isLoopbackHost } from '../../util/loopback.js';
import { type CommandContext, untilInterrupted } from '../command-context.js';
import { exerciseMock } from '../mock-exercise.js';
import { type MockFlags, mockConfigFromFlags } from '../mock-options.js';

/** The flags of `nexus-harness mock`, as yargs parses them. */
export interface MockArgs extends MockFlags {
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

/** The admin token to require: the flag, else the environment; on a non-loopback bind, a generated one if neither. */
function adminTokenFor(
  argv: MockArgs,
  env: NodeJS.ProcessEnv,
  remote: boolean,
): { token: string | undefined; generated: boolean } {
  const given = argv['admin-token'] ?? env[ADMIN_TOKEN_ENV];
  if (given !== undefined && given !== '') return { token: given, generated: false };
  if (argv['admin-token'] === '')
    throw new UsageError('--admin-token is empty. Give a token, or leave the flag out.');
  return remote
    ? { token: randomBytes(24).toString('base64url'), generated: true }
    : { token: undefined, generated: false };
}

/**
 * Serves the mock for `nexus-harness mock` until interrupted (the bin's SIGINT/SIGTERM, or
 * the abort of `ctx.signal` in process), or takes the `--exercise` tour and stops.
 *
 * @example
 * await mockHandler({ ...argv, exercise: true }, ctx);
 */
export async function mockHandler(argv: MockArgs, ctx: CommandContext): Promise<void> {
  const remote = !isLoopbackHost(argv.host);
  if (remote && !argv['allow-remote-bind']) {
    throw new UsageError(
      `Refusing to listen on ${argv.host}: it is not a loopback address, so the mock's API, its keys and its admin API ` +
        'would be reachable from the network. Pass --allow-remote-bind to do it on purpose, or leave --host out (127.0.0.1).',
    );
  }
  const config = mockConfigFromFlags(argv);
  const { token, generated } = adminTokenFor(argv, ctx.env, remote);
  const print = (line: string) => ctx.stdout.write(`${line}\n`);
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
    ctx.stderr.write(
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
  const signal = await untilInterrupted(ctx);
  print(`${signal === 'abort' ? 'Aborted' : signal}: stopping (in-flight requests get up to 2 s)...`);
  await mock.close();
  print('Stopped.');
}
