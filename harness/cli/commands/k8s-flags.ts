/**
 * The flags `k6 operator` and `k8s job` share (where the load goes, how many pods, what the
 * objects are called), their help lines, and their checks: every malformed value is exit 2,
 * naming its flag, before anything is written.
 */
import type { Argv } from 'yargs';
import type { Scenario } from '../../../scenarios/model/scenario.js';
import { MAX_SEGMENTS, segmentOf } from '../../../scenarios/model/segments.js';
import { DEFAULT_API_KEY_SECRET } from '../../runners/k8s/api-key-env.js';
import { checkName, DNS_LABEL_MAX, DNS_SUBDOMAIN_MAX } from '../../runners/k8s/dns-names.js';
import { REAL_BASE_URL } from '../../targets/real.js';
import { UsageError } from '../../util/errors.js';
import { isLoopbackHost } from '../../util/loopback.js';
import { hasUrlCredentials, redactUrl } from '../../util/url.js';
import type { CommandContext } from '../command-context.js';
import type { K8sCommonArgs } from './k8s-args.js';
import { fmt } from './run-args.js';

/** The most pods one manifest asks for: as many segments as `run --segments` splits a run into. */
export const MAX_PARALLELISM = MAX_SEGMENTS;

/**
 * `--parallelism`, `--namespace`, `--name`, `--base-url`, `--secret` with their help lines;
 * `pods` says what the N pods are (`runner pods`, `pods`).
 *
 * @example
 * k8sFlags(y, 'runner pods (spec.parallelism)')
 */
export function k8sFlags(y: Argv, pods: string): Argv {
  return y
    .option('parallelism', {
      type: 'number',
      demandOption: true,
      describe: `How many ${pods} share the load; an integer, 1 to ${fmt(MAX_PARALLELISM)}`,
    })
    .option('out', { alias: 'o', type: 'string', describe: 'Write the YAML here (default: stdout)' })
    .option('namespace', {
      type: 'string',
      describe: "The objects' namespace, a DNS-1123 label (default: none written; kubectl apply's own)",
    })
    .option('name', {
      type: 'string',
      describe: 'Name of the objects (default: nexus-<scenario>); lower-case letters, digits and -',
    })
    .option('base-url', {
      type: 'string',
      demandOption: true,
      // No default: load off the machine is the user's explicit choice, never one made for them.
      describe: `Required: the Nexus API the pods load, as the cluster reaches it, e.g. your mock's Service or ${REAL_BASE_URL} (the real API: its quota applies, see below)`,
    })
    .option('secret', {
      type: 'string',
      default: DEFAULT_API_KEY_SECRET,
      describe:
        'The Secret with the API key under the key api-key (the key is never written into the manifest)',
    });
}

/** Flags that take one value: given twice, yargs makes a list, and which one wins would be a guess. */
function checkGivenOnce(argv: object, names: readonly string[]): void {
  for (const name of names) {
    const value = (argv as Record<string, unknown>)[name];
    if (Array.isArray(value)) {
      const shown = value.map((v) => (typeof v === 'string' ? redactUrl(v) : String(v)));
      throw new UsageError(`--${name} was given ${value.length} times (${shown.join(', ')}); give it once.`);
    }
  }
}

/**
 * Checks the shared flags (and each of `alsoOnce` given at most once); warns on stderr about a
 * loopback `--base-url`, which in a pod is the pod itself.
 *
 * @example
 * checkK8sFlags(argv, ctx, ['image', 'pvc']); // throws UsageError('--parallelism must be an integer from 1 to 1,000 …')
 */
export function checkK8sFlags(
  argv: K8sCommonArgs,
  ctx: CommandContext,
  alsoOnce: readonly string[] = [],
): void {
  checkGivenOnce(argv, [
    'parallelism',
    'out',
    'namespace',
    'name',
    'base-url',
    'secret',
    'vus',
    'rate',
    'duration',
    ...alsoOnce,
  ]);
  const n = argv.parallelism;
  if (!Number.isInteger(n) || n < 1 || n > MAX_PARALLELISM) {
    throw new UsageError(
      `--parallelism must be an integer from 1 to ${fmt(MAX_PARALLELISM)} (how many pods share the load); got ${String(n)}.`,
    );
  }
  if (argv.namespace !== undefined) {
    checkName('--namespace', argv.namespace, { kind: 'label', maxLength: DNS_LABEL_MAX });
  }
  checkName('--secret', argv.secret, { kind: 'subdomain', maxLength: DNS_SUBDOMAIN_MAX });
  checkBaseUrl(argv['base-url']);
  if (isLoopbackHost(new URL(argv['base-url']).hostname)) {
    ctx.stderr.write(
      `! --base-url ${argv['base-url']} is loopback: in a pod that is the pod itself, so only a sidecar in the same pod would answer there. Give the API's address as the cluster reaches it.\n`,
    );
  }
}

/** `--base-url`: an http(s) URL with a host, no user:password, no query or fragment. */
function checkBaseUrl(value: string): void {
  if (!(/^https?:\/\/[^/\s]+/.test(value) && URL.canParse(value))) {
    throw new UsageError(
      `--base-url "${redactUrl(value)}" is not an http(s) URL; give the API's base URL, e.g. http://nexus-mock.load.svc:4010/api/public.`,
    );
  }
  if (hasUrlCredentials(value)) {
    throw new UsageError(
      `--base-url ${redactUrl(value)} has credentials (user:password@) in it: the manifest would carry them in plain text. ` +
        'Remove them; the API key comes from the Secret (--secret).',
    );
  }
  const url = new URL(value);
  if (url.search !== '' || url.hash !== '') {
    throw new UsageError(
      `--base-url ${url.origin}${url.pathname} has a query or fragment: give the API's base URL only (the key comes from the Secret).`,
    );
  }
}

/**
 * Why the last of `parallelism` segments of `scenario` would run nothing, or null when every
 * segment has something: an executor runs in at most as many segments as it has VUs (as
 * `run --segments` and k6's execution segments split it), and the last segment is the emptiest.
 *
 * @example
 * idleSegmentProblem(smoke, 3) // UsageError('Segment 2 of 3 of scenario smoke would run nothing: …')
 */
export function idleSegmentProblem(scenario: Scenario, parallelism: number): UsageError | null {
  try {
    segmentOf(scenario, parallelism - 1, parallelism);
    return null;
  } catch (err) {
    if (UsageError.is(err)) return err;
    throw err;
  }
}

/** The epilogue lines both commands share: the quota, and what was and was not checked. */
export const K8S_EPILOGUE = [
  "The real API's quota (60 requests per minute, 1,000 per hour) is per key, and every pod uses the",
  "same key: size the scenario's rate for all of them together; beyond the quota the API answers 429",
  '(counted in rate_limited). Nothing is applied: the YAML is written for you to review and kubectl',
  "apply. Its objects are checked against the Kubernetes API schemas and the k6-operator's TestRun CRD",
  "in nexus-harness's tests; no cluster has run them there.",
];
