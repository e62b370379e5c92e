import { resolve } from 'node:path';
import { PUBLIC_DEMO_KEY } from '../../../mock-server/core/keys.js';
import type { Scenario } from '../../../scenarios/model/scenario.js';
import type { RunResult } from '../../engine/result/types.js';
import { applyOverrides } from '../../engine/run/overrides.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { parseDurationArg } from '../../util/duration.js';
import { UsageError } from '../../util/errors.js';
import { createRedactor, secretsFromEnv } from '../../util/redact.js';
import { type CommandContext, onInterrupt } from '../command-context.js';
import { exitCodeOfResult } from '../exit-codes.js';
import { formatRunSummary } from '../run-summary.js';
import { resolveScenario } from '../scenario-ref.js';
import { styleFor } from '../terminal-style.js';
import type { K6ExportArgs, K6OperatorArgs, K6RunArgs } from './k6-args.js';
import { checkK8sFlags, idleSegmentProblem } from './k8s-flags.js';
import { writeManifests } from './k8s-write.js';
import type { RunArgs } from './run-args.js';
import { checkFlags, parseThresholdFlags } from './run-checks.js';

/**
 * The scenario with `--vus`/`--rate`/`--duration` applied, each flag checked as `run` checks it.
 *
 * @example
 * const scenario = await scenarioWithOverrides({ scenario: 'steady', duration: '30s' });
 */
export async function scenarioWithOverrides(
  argv: Pick<K6ExportArgs, 'scenario' | 'vus' | 'rate' | 'duration'>,
): Promise<Scenario> {
  // `run`'s checks of the shared flags (not of --out: here it is a file, not a folder).
  checkFlags({ ...argv, out: undefined, 'allow-remote': true, quiet: true } as unknown as RunArgs);
  const scenario = await resolveScenario(argv.scenario);
  const arrival = Object.values(scenario.executors).some((e) => e.executor.endsWith('arrival-rate'));
  if (argv.rate !== undefined && !arrival) {
    throw new UsageError(
      `--rate applies to arrival-rate executors, and scenario ${scenario.name} has none; use --vus to change its load.`,
    );
  }
  if (argv.vus === undefined && argv.rate === undefined && argv.duration === undefined) return scenario;
  return applyOverrides(scenario, {
    vus: argv.vus,
    rate: argv.rate,
    durationMs: argv.duration === undefined ? undefined : parseDurationArg(argv.duration),
  });
}

/**
 * `nexus-harness k6 export <scenario>`: the k6 script to `--out` (atomically) or stdout.
 *
 * @example
 * await k6ExportHandler({ scenario: 'steady', out: 'steady.js' }, ctx);
 */
export async function k6ExportHandler(argv: K6ExportArgs, ctx: CommandContext): Promise<void> {
  const scenario = await scenarioWithOverrides(argv);
  const { exportK6Script } = await import('../../runners/k6/index.js');
  const script = exportK6Script(scenario);
  if (argv.out === undefined) {
    ctx.stdout.write(script);
    return;
  }
  const path = resolve(argv.out);
  await writeFileAtomic(path, script);
  ctx.stderr.write(`Wrote the k6 script of ${scenario.name} to ${path}\n`);
}

/**
 * `nexus-harness k6 run <scenario>`: finds k6 (exit 2 with how to get one when there is none),
 * opens the target (the mock, or a loopback `--url` unless `--allow-remote`), runs the
 * exported script with `--out json`, imports and judges the points; 0, 99 as `run`.
 *
 * @example
 * await k6RunHandler({ scenario: 'smoke', 'allow-remote': false, quiet: true }, ctx); // ctx.exitCode: 0 or 99
 */
export async function k6RunHandler(argv: K6RunArgs, ctx: CommandContext): Promise<void> {
  const scenario = await scenarioWithOverrides(argv);
  const thresholds = parseThresholdFlags(argv.threshold);
  const { exportK6Script, findK6, noK6Error, runK6 } = await import('../../runners/k6/index.js');
  const k6 = await findK6(ctx.env);
  if (k6 === null) throw noK6Error();
  exportK6Script(scenario); // refused before anything starts when k6 cannot express it
  const { mockTarget } = await import('../../targets/mock.js');
  const { urlTarget } = await import('../../targets/url.js');
  const target =
    argv.url === undefined ? mockTarget() : urlTarget({ url: argv.url, allowRemote: argv['allow-remote'] });
  const opened = await target.open({ mock: scenario.mock, env: ctx.env });
  ctx.addSecret(opened.apiKey);
  const stop = new AbortController();
  const stopListening = onInterrupt(ctx, () => stop.abort());
  let result: RunResult;
  try {
    result = await runK6(scenario, {
      k6,
      baseUrl: opened.baseUrl,
      apiKey: opened.apiKey,
      env: ctx.env,
      thresholds,
      signal: stop.signal,
      onOutput: argv.quiet ? undefined : (chunk) => ctx.stderr.write(chunk),
    });
  } finally {
    stopListening();
    await opened.close();
  }
  result.target = { ...(result.target as object), baseUrl: opened.describe().baseUrl };
  let path: string | null = null;
  if (argv.out !== undefined) {
    path = resolve(argv.out);
    // The key the run used too (the scenario's mock key, say), unless it is the public demo key.
    const secrets = [
      ...secretsFromEnv(ctx.env),
      ...(opened.apiKey === PUBLIC_DEMO_KEY ? [] : [opened.apiKey]),
    ];
    const text = createRedactor(secrets).redact(`${JSON.stringify(result, null, 2)}\n`);
    await writeFileAtomic(path, text);
  }
  ctx.stdout.write(formatRunSummary(result, path, { style: styleFor(ctx.stdout, ctx.env) }));
  ctx.exitCode = exitCodeOfResult(result);
}

/**
 * `nexus-harness k6 operator <scenario>`: the k6 script in a ConfigMap and a k6-operator
 * TestRun running it in `--parallelism` pods, as YAML to `--out` (atomically) or stdout.
 * Exit 2 for bad flags, a scenario k6 cannot express, or a script above the ConfigMap limit.
 *
 * @example
 * await k6OperatorHandler({ scenario: 'steady', parallelism: 4, 'base-url': url, secret: 'nexus-api-key' }, ctx);
 */
export async function k6OperatorHandler(argv: K6OperatorArgs, ctx: CommandContext): Promise<void> {
  checkK8sFlags(argv, ctx, ['arguments']);
  if (argv.arguments !== undefined && /[\r\n]/.test(argv.arguments)) {
    throw new UsageError('--arguments must be one line of k6 run arguments (it has a line break).');
  }
  const scenario = await scenarioWithOverrides(argv);
  // Not an error: k6 runs it, but the idle runners load nothing and hold a pod each.
  if (idleSegmentProblem(scenario, argv.parallelism) !== null) {
    ctx.stderr.write(
      `! --parallelism ${argv.parallelism}: some runners would get no VUs of scenario ${scenario.name} (an executor runs in at most as many segments as it has VUs). Use fewer runners, or --vus.\n`,
    );
  }
  const { exportK6Script } = await import('../../runners/k6/index.js');
  const { k6OperatorYaml, nameFromScenario, testRunNameRule } = await import('../../runners/k8s/index.js');
  const name = argv.name ?? nameFromScenario(scenario.name, testRunNameRule(argv.parallelism).maxLength);
  const yaml = k6OperatorYaml({
    scenarioName: scenario.name,
    script: exportK6Script(scenario),
    parallelism: argv.parallelism,
    name,
    namespace: argv.namespace,
    baseUrl: argv['base-url'],
    secretName: argv.secret,
    extraArguments: argv.arguments,
  });
  await writeManifests(
    yaml,
    argv.out,
    ctx,
    `the k6-operator TestRun ${name} and its ConfigMap (${scenario.name})`,
  );
}
