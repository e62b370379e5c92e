import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../../util/errors.js';
import { packageRoot } from '../../util/package-root.js';
import { hasUrlCredentials, redactUrl } from '../../util/url.js';
import type { CommandContext } from '../command-context.js';
import { scenarioWithOverrides } from './k6-handlers.js';
import type { K8sJobArgs } from './k8s-args.js';
import { checkK8sFlags, idleSegmentProblem } from './k8s-flags.js';
import { writeManifests } from './k8s-write.js';

/** A Kubernetes quantity such as `1Gi`, `500Mi` or `2G`. */
const QUANTITY = /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

/** The default image: the one the help says to build, tagged with this package's version. */
async function defaultImage(): Promise<string> {
  const pkg = JSON.parse(await readFile(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return `nexus-harness:${pkg.version}`;
}

/** `--redis`: a redis:// or rediss:// URL with a host and no password (the manifest is plain text). */
function checkRedisUrl(value: string): void {
  if (!(/^rediss?:\/\/[^/\s]+/.test(value) && URL.canParse(value))) {
    throw new UsageError(
      `--redis "${redactUrl(value)}" is not a Redis URL: expected redis://HOST[:PORT][/DB] or rediss://…`,
    );
  }
  if (hasUrlCredentials(value)) {
    throw new UsageError(
      `--redis ${redactUrl(value)} has a password in it: the manifest would carry it in plain text. Give a Redis the pods reach without one (a NetworkPolicy can keep others out).`,
    );
  }
}

/** The `run` flags of the load, as given (checked by `scenarioWithOverrides`), for the pods. */
function loadArgs(argv: K8sJobArgs): string[] {
  return [
    ...(argv.duration === undefined ? [] : ['--duration', argv.duration]),
    ...(argv.rate === undefined ? [] : ['--rate', String(argv.rate)]),
    ...(argv.vus === undefined ? [] : ['--vus', String(argv.vus)]),
  ];
}

/**
 * `nexus-harness k8s job <scenario>`: the Indexed Job (with the scenario file's ConfigMap and
 * the results claim as asked), as YAML to `--out` (atomically) or stdout. The scenario is
 * resolved and checked here, with its overrides, so a bad one is exit 2 now and not N failed pods.
 *
 * @example
 * await k8sJobHandler({ scenario: 'steady', parallelism: 3, 'base-url': url, secret: 'nexus-api-key', pvc: 'nexus-results' }, ctx);
 */
export async function k8sJobHandler(argv: K8sJobArgs, ctx: CommandContext): Promise<void> {
  checkK8sFlags(argv, ctx, ['image', 'pvc', 'pvc-size', 'redis']);
  if (argv.redis !== undefined) checkRedisUrl(argv.redis);
  const size = argv['pvc-size'];
  if (size !== undefined && !QUANTITY.test(size)) {
    throw new UsageError(
      `--pvc-size "${size}" is not a storage size: expected a Kubernetes quantity such as 1Gi or 500Mi.`,
    );
  }
  if (argv.image !== undefined && !/^[^\s]+$/.test(argv.image)) {
    throw new UsageError(
      `--image "${argv.image}" is not an image reference: no spaces, e.g. registry.example/nexus-harness:0.1.0.`,
    );
  }
  const scenario = await scenarioWithOverrides(argv);
  // Every pod must have something to run: a pod that runs nothing exits 2, and fails the Job.
  const idle = idleSegmentProblem(scenario, argv.parallelism);
  if (idle !== null) {
    throw new UsageError(
      `--parallelism ${argv.parallelism} is more pods than scenario ${scenario.name} can use: ${idle.message}`,
      { cause: idle },
    );
  }
  const { BUILTIN_SCENARIOS } = await import('../../../scenarios/builtin/index.js');
  const builtin = Object.hasOwn(BUILTIN_SCENARIOS, argv.scenario);
  if (!builtin && !/\.json$/i.test(argv.scenario)) {
    throw new UsageError(
      `Scenario file ${argv.scenario} cannot travel to the pods: only a built-in scenario or a .json file can (a .json goes in a ConfigMap; ` +
        "a TypeScript file's imports would not resolve there). Write the scenario as JSON, or build it into your image.",
    );
  }
  const { indexedJobYaml, jobDeadlineSeconds, jobNameRule, nameFromScenario } = await import(
    '../../runners/k8s/index.js'
  );
  const name = argv.name ?? nameFromScenario(scenario.name, jobNameRule(argv.parallelism).maxLength);
  const claimName = argv.pvc ?? (size === undefined ? undefined : `${name}-results`);
  const yaml = indexedJobYaml({
    scenarioName: scenario.name,
    scenario: builtin ? { builtin: argv.scenario } : { json: await readFile(argv.scenario, 'utf8') },
    loadArgs: loadArgs(argv),
    parallelism: argv.parallelism,
    name,
    namespace: argv.namespace,
    image: argv.image ?? (await defaultImage()),
    baseUrl: argv['base-url'],
    secretName: argv.secret,
    results: claimName === undefined ? undefined : { claimName, createWithSize: size },
    deadlineSeconds: jobDeadlineSeconds(scenario),
    redisUrl: argv.redis,
  });
  await writeManifests(
    yaml,
    argv.out,
    ctx,
    `the Indexed Job ${name} (${scenario.name}, ${argv.parallelism} pods)`,
  );
}
