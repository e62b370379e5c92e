import type { Argv } from 'yargs';
import { UsageError } from '../../util/errors.js';
import type { CommandBody } from '../command-context.js';
import type { AppArgs } from './app-handler.js';

function builder(y: Argv): Argv<AppArgs> {
  return y
    .option('nexus-url', {
      type: 'string',
      demandOption: true,
      describe:
        'Base URL of the Nexus API the app calls, e.g. http://127.0.0.1:4010/api/public (loopback unless --allow-remote)',
    })
    .option('port', { type: 'number', default: 3000, describe: 'Port to listen on (0 = any free port)' })
    .option('host', {
      type: 'string',
      default: '127.0.0.1',
      describe: 'Interface to listen on; anything but loopback also needs --allow-remote-bind',
    })
    .option('redis', {
      type: 'string',
      describe:
        'Redis for sessions, cache and per-user limits, e.g. redis://127.0.0.1:6379 (default: in memory)',
    })
    .option('key-grace-ms', {
      type: 'number',
      default: 60_000,
      describe: "How long a rotated-out key's client keeps serving the calls it carries, ms",
    })
    .option('allow-remote', {
      type: 'boolean',
      default: false,
      describe: 'Allow a --nexus-url that is not loopback (the real API, a staging host): the key goes there',
    })
    .option('allow-remote-bind', {
      type: 'boolean',
      default: false,
      describe: 'Allow a --host that is not loopback: the chat app becomes reachable from the network',
    })
    .check((argv) => {
      if (!Number.isInteger(argv.port) || argv.port < 0 || argv.port > 65_535) {
        throw new UsageError(`--port must be an integer from 0 to 65535 (got ${argv.port}).`);
      }
      if (!Number.isInteger(argv['key-grace-ms']) || argv['key-grace-ms'] < 0) {
        throw new UsageError(
          `--key-grace-ms must be a whole number of ms, 0 or more (got ${argv['key-grace-ms']}).`,
        );
      }
      return true;
    })
    .example(
      'NEXUS_API_KEY=nexus-mock-key $0 app --nexus-url http://127.0.0.1:4010/api/public',
      'Serve the chat app on http://127.0.0.1:3000 in front of a local mock (nexus-harness mock)',
    )
    .example(
      '$0 app --nexus-url http://127.0.0.1:4010/api/public --port 0 --redis redis://127.0.0.1:6379',
      'Any free port; sessions, cache and limits in Redis',
    )
    .example(
      'NEXUS_API_KEY_ENCRYPTED=v1:... ENCRYPTION_KEY=... $0 app --nexus-url https://api.nexusgpt.io/api/public --allow-remote',
      'The real API, with the key sealed by `nexus-harness secrets encrypt`',
    )
    .example(
      "curl -H 'x-user-id: u1' -H 'content-type: application/json' -d '{\"message\":\"What is 2+2?\"}' http://127.0.0.1:3000/chat",
      'Chat through it (then GET /health, GET /metrics)',
    )
    .epilogue(
      [
        'Routes: POST /chat {"message": "..."} (header x-user-id; x-harness-op is forwarded to the Nexus calls),',
        '        GET /health (200 or 503), GET /metrics (Prometheus), POST /admin/rotate-key {"apiKey": "..."}',
        '        (only with NEXUS_APP_ADMIN_TOKEN set; header x-admin-token).',
        'Key: NEXUS_API_KEY, or NEXUS_API_KEY_ENCRYPTED with ENCRYPTION_KEY. Limits: USER_MESSAGES_PER_MINUTE,',
        'USER_MESSAGES_PER_HOUR, USER_SESSIONS_PER_DAY; LOG_LEVEL. Ctrl-C (SIGINT/SIGTERM) stops it gracefully.',
      ].join('\n'),
    ) as unknown as Argv<AppArgs>;
}

/**
 * `nexus-harness app`: serve the chat app. fastify, pino, prom-client and the client load
 * only when the command runs (`list` and `app --help` load none of them).
 */
export const appCommand: CommandBody<AppArgs> = (ctx) => ({
  builder,
  async handler(argv) {
    const { appHandler } = await import('./app-handler.js');
    await appHandler(argv, ctx);
  },
});
