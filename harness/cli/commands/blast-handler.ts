import { join } from 'node:path';
import { OP_NAMES, type Workload, workloadSchema } from '../../../scenarios/model/workload.js';
import { newRunId } from '../../engine/run/run-id.js';
import { blast, planBlast } from '../../runners/autocannon/blast.js';
import { targetFor } from '../../targets/index.js';
import { parseDurationArg } from '../../util/duration.js';
import { UsageError } from '../../util/errors.js';
import { formatNumber } from '../../util/format-number.js';
import { isLoopbackHost } from '../../util/loopback.js';
import { lockOutDir } from '../../util/out-dir.js';
import { secretsFromEnv } from '../../util/redact.js';
import { redactUrl } from '../../util/url.js';
import { type CommandContext, onInterrupt } from '../command-context.js';
import { exitCodeOfResult } from '../exit-codes.js';
import { writeResultFile } from '../result-file.js';
import { formatRunSummary } from '../run-summary.js';
import { resolveScenario } from '../scenario-ref.js';
import { styleFor } from '../terminal-style.js';

/** The flags of `nexus-harness blast`, as yargs parses them. */
export interface BlastArgs {
  scenario: string;
  target?: 'mock' | 'url' | 'app';
  url?: string;
  'app-url'?: string;
  'allow-remote': boolean;
  connections?: number;
  rate?: number;
  duration?: string;
  mix?: string;
  threads?: number;
  timeout?: string;
  out?: string | false;
}

/**
 * `--mix 'getSession=1,sendMessage=3'` as a workload mix, checked by the scenario model (so an
 * unknown op gets its "did you mean"). Throws a `UsageError` naming every bad part.
 *
 * @example
 * parseMixFlag('getSession=1,sendMessage=3') // { getSession: 1, sendMessage: 3 }
 */
export function parseMixFlag(text: string): Workload['mix'] {
  const mix: Record<string, number> = {};
  const bad: string[] = [];
  for (const part of text.split(',')) {
    const m = /^\s*([A-Za-z]+)\s*(?:=\s*([0-9.]+)\s*)?$/.exec(part);
    if (m === null || (m[2] !== undefined && !Number.isFinite(Number(m[2])))) bad.push(`'${part}'`);
    else mix[m[1]!] = m[2] === undefined ? 1 : Number(m[2]);
  }
  if (bad.length > 0) {
    throw new UsageError(
      `--mix ${bad.join(', ')}: expected OP=WEIGHT pairs separated by commas, e.g. 'getSession=1,sendMessage=3' (ops: ${OP_NAMES.join(', ')}).`,
    );
  }
  const parsed = workloadSchema.shape.mix.safeParse(mix);
  if (!parsed.success) {
    const why = parsed.error.issues.map(
      (i) => `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`,
    );
    throw new UsageError(`--mix '${text}': ${why.join('; ')}.`);
  }
  return parsed.data;
}

/** A duration flag in ms, or a `UsageError` naming the flag. */
function durationFlag(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseDurationArg(text);
  if (ms === undefined || !(ms > 0)) {
    throw new UsageError(
      `--${name} '${text}': expected a duration such as 10s, 1m30s, 500ms or a number of ms.`,
    );
  }
  return ms;
}

/**
 * `--app-url`: only with target app (and no `--url`), an http(s) URL, loopback unless
 * `--allow-remote` — checked here, before the out-dir is made, so a refusal leaves no folder.
 */
function checkAppUrl(argv: BlastArgs, kind: string): void {
  const appUrl = argv['app-url'];
  if (argv.url !== undefined && kind === 'app') {
    throw new UsageError(
      '--url goes with --target url; the chat app is --app-url (or none: the harness starts it). Drop --url.',
    );
  }
  if (appUrl === undefined) return;
  if (typeof appUrl !== 'string') {
    // Given twice, yargs makes a list: which app would get the load is a guess.
    throw new UsageError('--app-url was given more than once: give one chat app URL.');
  }
  if (kind !== 'app') {
    throw new UsageError(
      `--app-url is only used with --target app, and the target is ${kind}: add --target app, or drop --app-url.`,
    );
  }
  if (!(/^https?:\/\/[^/\s]+/.test(appUrl) && URL.canParse(appUrl))) {
    throw new UsageError(
      `--app-url "${redactUrl(appUrl)}" is not an http(s) URL; give one such as http://127.0.0.1:3000.`,
    );
  }
  const url = new URL(appUrl);
  if (!isLoopbackHost(url.hostname) && !argv['allow-remote']) {
    throw new UsageError(
      `Refusing to send load to ${url.host}: it is not a loopback address. Pass --allow-remote if you mean it (and have the right to load that host).`,
    );
  }
}

/**
 * Runs `nexus-harness blast`: resolves the scenario, blasts it, writes `result.json`, prints the
 * summary and autocannon's own raw count beside ours, and leaves the verdict's exit code in
 * `ctx.exitCode` (0, 99, 105). A first interrupt stops the load and keeps the partial result;
 * a second exits at once (130, the bin only).
 *
 * @example
 * await blastHandler({ scenario: 'steady', mix: 'getSession=1', duration: '2s', 'allow-remote': false }, ctx);
 */
export async function blastHandler(argv: BlastArgs, ctx: CommandContext): Promise<void> {
  const stop = new AbortController();
  let interrupts = 0;
  const stopListening = onInterrupt(ctx, (why) => {
    if (++interrupts > 1) return ctx.host?.exit(130);
    ctx.stderr.write(
      `\n${why === 'abort' ? 'Aborted' : why}: stopping the load and writing the partial result...\n`,
    );
    stop.abort(new Error(`interrupted by ${why}`));
  });
  try {
    const scenario = await resolveScenario(argv.scenario);
    const mix = argv.mix === undefined ? undefined : parseMixFlag(argv.mix);
    if (argv.url !== undefined && argv.target === 'mock') {
      throw new UsageError(
        '--url goes with --target url; the mock target starts its own server. Drop one of them.',
      );
    }
    const kind = argv.target ?? (argv.url === undefined ? scenario.target : 'url');
    checkAppUrl(argv, kind);
    const target = targetFor(kind, {
      url: argv.url ?? scenario.url,
      appUrl: argv['app-url'],
      allowRemote: argv['allow-remote'],
    });
    const options = {
      target,
      mix,
      connections: argv.connections,
      rate: argv.rate === 0 ? null : argv.rate,
      durationMs: durationFlag('duration', argv.duration),
      threads: argv.threads,
      timeoutMs: durationFlag('timeout', argv.timeout),
      env: ctx.env,
      signal: stop.signal,
    };
    // Checked before the out-dir is made: a refused op or flag leaves no empty folder behind.
    planBlast(scenario, options);
    const runId = newRunId();
    const out =
      argv.out === false ? null : await lockOutDir(argv.out ?? join('reports', 'out', runId), '--out');
    try {
      ctx.stderr.write(`Blasting ${scenario.name} through autocannon...\n`);
      const { result, autocannon, load } = await blast(scenario, { ...options, runId });
      const resultPath =
        out === null ? null : await writeResultFile(result, out.dir, secretsFromEnv(ctx.env));
      ctx.stdout.write(formatRunSummary(result, resultPath, { style: styleFor(ctx.stdout, ctx.env) }));
      ctx.stdout.write(
        `  autocannon ${load.connections} connection(s)${load.ratePerSec === null ? '' : ` at ${load.ratePerSec}/s`}: ` +
          `its own count ${formatNumber(autocannon.responses)} responses, ${autocannon.meanRps.toFixed(1)} req/s ` +
          `(its corrected percentiles are not used)\n`,
      );
      ctx.exitCode = exitCodeOfResult(result);
    } finally {
      await out?.release();
    }
  } finally {
    stopListening();
  }
}
