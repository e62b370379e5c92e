import type { Argv } from 'yargs';
import type { CommandBody } from '../command-context.js';
import type { BlastArgs } from './blast-handler.js';

function builder(y: Argv): Argv<BlastArgs> {
  return y
    .positional('scenario', {
      type: 'string',
      describe:
        'A built-in scenario (see list) or a .json/.ts scenario file whose op mix autocannon can send',
    })
    .option('target', {
      choices: ['mock', 'url', 'app'] as const,
      describe:
        "Where the load goes (default: the scenario's target): mock, the harness's own mock (started with the scenario's limits); url, --url; app, the chat app for the chat op (the harness starts its mock and the app with the scenario's app block, or uses --app-url)",
    })
    .option('url', {
      type: 'string',
      describe:
        'Base URL of the API for --target url, e.g. http://127.0.0.1:4010/api/public (loopback unless --allow-remote)',
    })
    .option('app-url', {
      type: 'string',
      describe:
        'Base URL of a chat app already running, for --target app, e.g. http://127.0.0.1:3000 (loopback unless --allow-remote); the harness then starts nothing',
    })
    .option('allow-remote', {
      type: 'boolean',
      default: false,
      describe: 'Allow a --url or --app-url that is not loopback (off: refused)',
    })
    .option('connections', {
      alias: 'vus',
      type: 'number',
      describe: "Connections, one request in flight each (default: the scenario's VUs; at most 1,000)",
    })
    .option('rate', {
      type: 'number',
      describe:
        "Requests/s over all connections (default: the scenario's arrival rate, if any); 0: as fast as answered. At a rate, latency counts from each request's intended start",
    })
    .option('duration', {
      type: 'string',
      describe: "Length of the load, e.g. 10s or 1500 (ms) (default: the scenario's)",
    })
    .option('threads', {
      type: 'number',
      describe:
        'Threads made before the clock, shared by the connections (default one per connection, at most 50)',
    })
    .option('mix', {
      type: 'string',
      describe: "The op mix instead of the scenario's, e.g. 'getSession=1,sendMessage=3'",
    })
    .option('timeout', {
      type: 'string',
      describe: 'A request unanswered this long is lost and its connection remade (default 10s)',
    })
    .option('out', {
      type: 'string',
      describe: 'Folder for result.json (default reports/out/<run-id>); --no-out for none',
    })
    .example(
      '$0 blast steady --mix getSession=1 --duration 10s',
      'Raw GET throughput of one thread, 200 connections at 50/s',
    )
    .example(
      '$0 blast steady --mix getSession=1 --connections 50 --rate 0',
      'As fast as the mock answers (closed model)',
    )
    .example(
      '$0 blast ./my-scenario.json --target url --url http://127.0.0.1:4010/api/public --rate 500',
      'A mock or server already running, at a fixed 500 requests/s',
    )
    .example(
      '$0 blast chat-app --duration 5s --rate 20',
      'POST /chat to the chat app (started with its mock) at 20/s, one user per connection',
    )
    .example(
      '$0 blast chat-app --target app --app-url http://127.0.0.1:3000 --rate 20',
      'The same against a chat app already running',
    )
    .epilogue(
      [
        'blast sends createSession, getSession, sendMessage and listMessages as fixed autocannon requests (threads',
        'made first, through the client, before the clock); poll, waitForReply, conversation and scripted',
        'iterations are refused (exit 2): use run. The chat op goes to the chat app (--target app): POST /chat',
        "with the chat op's headers and body, one user (x-user-id: user-<n>) per connection, one chat in flight",
        "each; app_5xx and reply_latency{op:chat} are recorded, and result.target.app has the app's own count.",
        'chat beside API ops in one mix is refused (exit 2): they go to two origins. Latency is ours (from the',
        "intended start at a rate), never autocannon's corrected percentiles. Thresholds on metrics a blast",
        'records apply; the others (the audit, completion) are named in a notice, not judged.',
        'Exit codes: 0 passed; 99 a threshold failed; 105 interrupted; 2 bad scenario, op or flags; 1 unexpected.',
      ].join('\n'),
    ) as unknown as Argv<BlastArgs>;
}

/**
 * `nexus-harness blast <scenario>`: the scenario's HTTP workload through autocannon, recorded
 * and judged by the harness. autocannon, the targets and the engine load when it runs.
 */
export const blastCommand: CommandBody<BlastArgs> = (ctx) => ({
  builder,
  async handler(argv) {
    const { blastHandler } = await import('./blast-handler.js');
    await blastHandler(argv, ctx);
  },
});
