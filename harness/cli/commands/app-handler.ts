import { startChatApp } from '../../app/index.js';
import { loadAppConfig } from '../../service/config/app-config.js';
import { isStoreError } from '../../service/store-errors.js';
import { UsageError } from '../../util/errors.js';
import { isLoopbackHost } from '../../util/loopback.js';
import { redactUrl } from '../../util/url.js';
import { type CommandContext, untilInterrupted } from '../command-context.js';

/** The flags of `nexus-harness app`, as yargs parses them. */
export interface AppArgs {
  'nexus-url': string;
  port: number;
  host: string;
  redis?: string;
  'key-grace-ms': number;
  'allow-remote': boolean;
  'allow-remote-bind': boolean;
}

/** The environment variable holding the admin token (never a flag: argv shows in process lists). */
export const APP_ADMIN_TOKEN_ENV = 'NEXUS_APP_ADMIN_TOKEN';

/**
 * What the app failing to start is told as: the user's to fix (a port taken, an address not of
 * this machine, a Redis that does not answer) as one line and exit 2, anything else as it is.
 */
function startFailure(error: unknown, argv: AppArgs): unknown {
  if (isStoreError(error)) return new UsageError(error.message, { cause: error });
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EADDRINUSE':
      return new UsageError(`Port ${argv.port} is in use. Pass --port 0 for any free port.`, {
        cause: error,
      });
    case 'EACCES':
      return new UsageError(
        `Not allowed to listen on port ${argv.port} (ports below 1024 need privileges). Pass --port 0 for any free port.`,
        { cause: error },
      );
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new UsageError(
        `Cannot listen on --host ${argv.host}: ${code === 'EADDRNOTAVAIL' ? 'no interface of this machine has that address' : 'the name does not resolve'}. Leave --host out for 127.0.0.1.`,
        { cause: error },
      );
    default:
      return error;
  }
}

/**
 * Serves the chat app for `nexus-harness app` until interrupted (SIGINT/SIGTERM for the bin,
 * the abort of `ctx.signal` in process), then closes it gracefully.
 *
 * @example
 * await appHandler({ 'nexus-url': mock.url, port: 0, host: '127.0.0.1', 'key-grace-ms': 60_000,
 *   'allow-remote': false, 'allow-remote-bind': false }, ctx);
 */
export async function appHandler(argv: AppArgs, ctx: CommandContext): Promise<void> {
  if (!URL.canParse(argv['nexus-url'])) {
    throw new UsageError(
      `--nexus-url ${JSON.stringify(redactUrl(argv['nexus-url']))} is not a URL (e.g. http://127.0.0.1:4010/api/public).`,
    );
  }
  const nexusHost = new URL(argv['nexus-url']).hostname;
  if (!isLoopbackHost(nexusHost) && !argv['allow-remote']) {
    throw new UsageError(
      `Refusing --nexus-url on ${nexusHost}: it is not a loopback address, and the app would send the API key and ` +
        "its users' load there. Pass --allow-remote if you mean it (and have the right to load that host).",
    );
  }
  if (!isLoopbackHost(argv.host) && !argv['allow-remote-bind']) {
    throw new UsageError(
      `Refusing to listen on ${argv.host}: it is not a loopback address, so the chat app would be reachable from the ` +
        'network. Pass --allow-remote-bind to do it on purpose, or leave --host out (127.0.0.1).',
    );
  }
  // One ConfigError naming everything missing (the key above all); the CLI exits 2 on it.
  const config = loadAppConfig(ctx.env, {
    baseUrl: argv['nexus-url'],
    port: argv.port,
    ...(argv.redis === undefined ? {} : { redisUrl: argv.redis }),
  });
  ctx.addSecret(...config.secrets);
  const adminToken = ctx.env[APP_ADMIN_TOKEN_ENV] || undefined;
  ctx.addSecret(adminToken);
  const print = (line: string) => ctx.stdout.write(`${line}\n`);
  const app = await startChatApp({
    nexusUrl: config.nexus.baseUrl,
    apiKey: config.nexus.apiKey,
    host: argv.host,
    port: config.port,
    redisUrl: config.redisUrl ?? undefined,
    limits: config.userLimits,
    keyGraceMs: argv['key-grace-ms'],
    adminToken,
    logLevel: config.logLevel,
    logDestination: ctx.stdout,
  }).catch((error: unknown) => {
    throw startFailure(error, argv);
  });
  print(`Chat app listening on ${app.url}`);
  print(`  POST ${app.url}/chat   GET ${app.url}/health   GET ${app.url}/metrics`);
  print(
    `  Nexus API: ${redactUrl(config.nexus.baseUrl)}; store: ${config.redisUrl === null ? 'memory' : 'redis'}`,
  );
  if (adminToken !== undefined) print(`  POST ${app.url}/admin/rotate-key (header x-admin-token)`);
  print('Press Ctrl-C to stop.');
  const signal = await untilInterrupted(ctx);
  print(`${signal === 'abort' ? 'Aborted' : signal}: stopping (requests in flight may finish)...`);
  await app.close();
  print('Stopped.');
}
