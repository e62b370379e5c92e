import { LIMITS } from '../../../scenarios/model/limits.js';
import type { Scenario } from '../../../scenarios/model/scenario.js';
import { formatDurationMs, parseDurationArg } from '../../util/duration.js';
import { UsageError } from '../../util/errors.js';
import { checkOutDir } from '../../util/out-dir.js';
import { redactUrl } from '../../util/url.js';
import { ConfigError } from '../../util/validation.js';
import type { CommandContext } from '../command-context.js';
import { DURATION_FLAG_HINT, fmt, type RunArgs } from './run-args.js';

/**
 * Parses `--threshold KEY=EXPR` (split at the first `=`, so `count==0` survives). The result
 * has no prototype, so a key such as `toString` or `constructor` is a key like any other (and
 * then refused as an unknown metric), never a property every object has.
 *
 * @example
 * parseThresholdFlags(['op_failed=rate<0.01']) // { op_failed: ['rate<0.01'] }
 */
export function parseThresholdFlags(flags: readonly string[] = []): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null);
  for (const flag of flags) {
    const at = flag.indexOf('=');
    if (at <= 0 || at === flag.length - 1) {
      throw new UsageError(
        `Invalid --threshold "${flag}": expected METRIC[{tag:value}]=EXPRESSION, e.g. 'op_duration{op:send_message}=p(99)<500'.`,
      );
    }
    const key = flag.slice(0, at).trim();
    out[key] = [...(Object.hasOwn(out, key) ? out[key]! : []), flag.slice(at + 1).trim()];
  }
  return out;
}

/** Flags that take one value: given twice, yargs makes a list, and which one wins would be a guess. */
const SINGLE_VALUED = [
  'target',
  'url',
  'app-url',
  'pact-file',
  'vus',
  'rate',
  'duration',
  'seed',
  'out',
] as const;

/** `--vus`/`--rate`: a positive number (an integer for VUs) up to the limit of one process. */
function checkSize(name: string, value: number | undefined, limit: number, integer: boolean): void {
  if (value === undefined) return;
  if (!(Number.isFinite(value) && value > 0) || (integer && !Number.isInteger(value))) {
    throw new UsageError(`--${name} must be a positive ${integer ? 'integer' : 'number'} (got ${value}).`);
  }
  if (value > limit) {
    throw new UsageError(`--${name} ${value} is above the limit of ${fmt(limit)} for one process.`);
  }
}

/**
 * Checks of the flags alone, before anything is loaded: every malformed value is exit 2,
 * naming its flag.
 *
 * @example
 * checkFlags(argv); // throws UsageError('--vus 1000000000 is above the limit of 20,000 …')
 */
export function checkFlags(argv: RunArgs): void {
  for (const name of SINGLE_VALUED) {
    const value = (argv as unknown as Record<string, unknown>)[name];
    if (Array.isArray(value)) {
      // URLs without their user:password part: a message ends up in CI logs.
      const shown = value.map((v) => (typeof v === 'string' ? redactUrl(v) : String(v)));
      throw new UsageError(`--${name} was given ${value.length} times (${shown.join(', ')}); give it once.`);
    }
  }
  checkSize('vus', argv.vus, LIMITS.vus, true);
  checkSize('rate', argv.rate, LIMITS.ratePerSecond, false);
  if (argv.duration !== undefined) {
    const ms = parseDurationArg(argv.duration);
    if (ms === undefined || !(ms > 0)) {
      throw new UsageError(
        `--duration "${argv.duration}" is not a duration: expected ${DURATION_FLAG_HINT}.`,
      );
    }
    if (ms > LIMITS.durationMs) {
      throw new UsageError(
        `--duration ${argv.duration} is above the limit of ${formatDurationMs(LIMITS.durationMs)} for one run.`,
      );
    }
  }
  if (argv.seed !== undefined && !Number.isSafeInteger(argv.seed)) {
    throw new UsageError(`--seed must be an integer (got ${argv.seed}).`);
  }
  const appUrl = argv['app-url'];
  if (appUrl !== undefined && !(/^https?:\/\/[^/\s]+/.test(appUrl) && URL.canParse(appUrl))) {
    throw new UsageError(
      `--app-url "${redactUrl(withoutQuery(appUrl))}" is not an http(s) URL; give one such as http://127.0.0.1:3000.`,
    );
  }
  if (argv.url !== undefined) {
    const ok = /^https?:\/\/[^/\s]+/.test(argv.url) && URL.canParse(argv.url);
    if (!ok) {
      throw new UsageError(
        `--url "${redactUrl(withoutQuery(argv.url))}" is not an http(s) URL; give one such as http://127.0.0.1:4010/api/public.`,
      );
    }
    const url = new URL(argv.url);
    if (url.search !== '' || url.hash !== '') {
      // Not echoed: a query is where people put keys (`?api_key=…`), and this message reaches CI logs.
      throw new UsageError(
        `--url ${url.origin}${url.pathname} has a query or fragment: give the API's base URL only (the client adds paths to it, and the key goes in NEXUS_API_KEY).`,
      );
    }
  }
  if (typeof argv.out === 'string') checkOutDir(argv.out, '--out');
}

/**
 * Flags the scenario would ignore. An ignored `--url` or `--pact-file` is an error: the user
 * believes the load goes somewhere it does not, and the result would say otherwise only in
 * small print. `--rate` with no arrival-rate executor is an error too: the run would not be
 * the load that was asked for. `--vus` always changes something, but on arrival-rate
 * executors only their pre-allocated VUs, not the load: that is a warning.
 *
 * @example
 * const { errors, warnings } = ignoredFlags(argv, scenario);
 */
function ignoredFlags(argv: RunArgs, scenario: Scenario): { errors: string[]; warnings: string[] } {
  const errors: string[] = [];
  const warnings: string[] = [];
  const target = argv.target ?? scenario.target;
  const from =
    argv.target === undefined ? `scenario ${scenario.name}'s target is ${target}` : `--target ${target}`;
  if (argv.url !== undefined && target !== 'url' && target !== 'pact') {
    errors.push(
      `--url is only used with --target url or pact, and ${from}: add --target url, or drop --url.`,
    );
  }
  if (target === 'url' && argv.url === undefined && scenario.url === undefined) {
    errors.push(
      `--target url needs --url (scenario ${scenario.name} has no url), e.g. --url http://127.0.0.1:4010/api/public.`,
    );
  }
  if (argv['app-url'] !== undefined && target !== 'app') {
    errors.push(
      `--app-url is only used with --target app, and ${from}: add --target app, or drop --app-url.`,
    );
  }
  if ((scenario.workload?.mix.chat ?? 0) > 0 && target !== 'app') {
    errors.push(
      `scenario ${scenario.name}'s mix has the chat op, which posts to the chat app, and ${from}: use --target app.`,
    );
  }
  if (argv['pact-file'] !== undefined && target !== 'pact') {
    errors.push(
      `--pact-file is only used with --target pact, and ${from}: add --target pact, or drop --pact-file.`,
    );
  }
  const executors = Object.entries(scenario.executors);
  const arrival = executors.filter(([, e]) => e.executor.endsWith('arrival-rate')).map(([name]) => name);
  const list = executors.map(([name, e]) => `${name} (${e.executor})`).join(', ');
  if (argv.rate !== undefined && arrival.length === 0) {
    errors.push(
      `--rate has no effect on scenario ${scenario.name}: it has no arrival-rate executor (${list}); use --vus to change its load.`,
    );
  }
  if (argv.vus !== undefined && arrival.length === executors.length) {
    warnings.push(
      `--vus ${argv.vus} only sets the pre-allocated VUs of ${arrival.join(', ')}; an arrival-rate executor's load is its rate (--rate).`,
    );
  }
  return { errors, warnings };
}

/** `text` without what follows a `?` or `#`: where people put keys, never echoed (parsable or not). */
function withoutQuery(text: string): string {
  const cut = text.search(/[?#]/);
  return cut === -1 ? text : `${text.slice(0, cut)}?…`;
}

/**
 * `--threshold` flags, parsed as the run will parse them: over the built-in metrics and the
 * scenario's declared custom ones (`metrics`), so `--threshold ask_time=p(95)<300` is fine for
 * a scenario that declares `ask_time` and an unknown name is refused before the run.
 */
async function checkThresholdFlags(flags: readonly string[], scenario: Scenario): Promise<void> {
  const { parseThresholds } = await import('../../engine/thresholds/index.js');
  const { metricCatalogue } = await import('../../../scenarios/model/metrics.js');
  try {
    parseThresholds(parseThresholdFlags(flags), metricCatalogue(scenario.metrics));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const lines = err.problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n');
    throw new UsageError(`Invalid --threshold: ${err.problems.length} problem(s).\n${lines}`, { cause: err });
  }
}

/**
 * Checks that need the scenario; resolving it reports its own problems (exit 2) first.
 * Warnings go to the invocation's stderr.
 *
 * @example
 * await checkAgainstScenario(argv, ctx); // throws UsageError('--rate has no effect on scenario smoke …')
 */
export async function checkAgainstScenario(argv: RunArgs, ctx: CommandContext): Promise<void> {
  const given = [
    argv.target,
    argv.url,
    argv['app-url'],
    argv['pact-file'],
    argv.rate,
    argv.vus,
    argv.threshold,
  ];
  if (given.every((flag) => flag === undefined)) return;
  const { resolveScenarioOnce } = await import('../scenario-ref.js');
  const scenario = await resolveScenarioOnce(argv.scenario, ctx);
  if (argv.threshold !== undefined) await checkThresholdFlags(argv.threshold, scenario);
  const { errors, warnings } = ignoredFlags(argv, scenario);
  for (const warning of warnings) ctx.stderr.write(`warning: ${warning}\n`);
  if (errors.length > 0) throw new UsageError(errors.join('\n'));
}
