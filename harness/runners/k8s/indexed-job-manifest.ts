/**
 * The harness's own engine on Kubernetes: an Indexed `Job` (batch/v1) of N pods, pod i
 * running segment i of N of the scenario and writing its result to the results volume, so
 * that `nexus-harness merge` joins the N results into one, judged as one run.
 *
 * Two Kubernetes facts this rests on:
 * - the Job controller gives each pod of an Indexed Job its index in the environment
 *   variable JOB_COMPLETION_INDEX ("the control plane automatically sets the downward API to
 *   expose the index in the JOB_COMPLETION_INDEX environment variable":
 *   https://kubernetes.io/docs/tasks/job/indexed-parallel-processing-static/);
 * - a `$(VAR)` in a container's `args` is expanded from the container's environment ("The
 *   environment variable appears in parentheses, "$(VAR)". This is required for the variable
 *   to be expanded in the command or args field":
 *   https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/),
 *   so `--out /results/$(JOB_COMPLETION_INDEX)` is `/results/0`, `/results/1`, … with no shell.
 */

import { isLoopbackHost } from '../../util/loopback.js';
import { apiKeyEnv, createSecretCommand } from './api-key-env.js';
import { checkConfigMapSize } from './configmap-size.js';
import { checkName, DNS_LABEL_MAX, DNS_SUBDOMAIN_MAX, type NameRule } from './dns-names.js';
import { harnessTargetArgs } from './harness-target-args.js';
import {
  HARNESS_CONTAINER_SECURITY,
  HARNESS_POD_SECURITY,
  HARNESS_UID,
  LOAD_POD_RESOURCES,
} from './load-pod.js';
import {
  harnessLabels,
  type KubernetesObject,
  type ManifestDocument,
  manifestsYaml,
} from './manifest-yaml.js';
import { baseUrlNote, quotaNote } from './quota-note.js';

/** Where each pod's results volume is mounted; pod i writes `<RESULTS_DIR>/i/result.json`. */
export const RESULTS_DIR = '/results';
/** What a results claim must allow, said wherever one is named. */
const CLAIM_NOTES = [
  `The pods write ${RESULTS_DIR}/<index>/ at its root as uid and gid ${HARNESS_UID} (fsGroup ${HARNESS_UID}); a volume that ignores`,
  `fsGroup (NFS, say) must let uid ${HARNESS_UID} write there. Use one claim per Job: a second Job on it overwrites the results.`,
];

/** Where a scenario file shipped in a ConfigMap is mounted, and its name there. */
export const SCENARIO_MOUNT = { dir: '/scenario', file: 'scenario.json' } as const;
/** The container's name (the pod failure policy names it). */
export const HARNESS_CONTAINER = 'nexus-harness';
/** `nexus-harness run`'s exit code for bad usage or an invalid scenario: the same in every pod. */
const USAGE_EXIT_CODE = 2;

/** Where the results go: a PersistentVolumeClaim, or (none given) an emptyDir that dies with each pod. */
export interface ResultsVolume {
  /** The claim's name. */
  readonly claimName: string;
  /** Also write the claim itself (ReadWriteMany) with this storage request, e.g. `1Gi`. */
  readonly createWithSize?: string;
}

/** Options of {@link indexedJobManifests}. */
export interface IndexedJobOptions {
  /** The scenario's name (labels, comments). */
  readonly scenarioName: string;
  /** The built-in scenario's name, or a JSON scenario file's text to ship in a ConfigMap. */
  readonly scenario: { readonly builtin: string } | { readonly json: string };
  /** `run` flags of the load (`--duration 30s`, `--rate 200`, `--vus 40`), passed on as they are. */
  readonly loadArgs: readonly string[];
  /** Pods, and segments: `completions` and `parallelism`, an integer ≥ 1. */
  readonly parallelism: number;
  /** The Job's name (see {@link jobNameRule}). */
  readonly name: string;
  /** The namespace of every object; none: the one `kubectl apply` uses. */
  readonly namespace?: string;
  /** The container image, with `nexus-harness` on its PATH. */
  readonly image: string;
  /** The API's base URL the pods load. */
  readonly baseUrl: string;
  /** The Secret holding the API key under `api-key`. */
  readonly secretName: string;
  /** The results volume; none: an emptyDir (the results are lost with the pods). */
  readonly results?: ResultsVolume;
  /** The Job's `activeDeadlineSeconds` (`jobDeadlineSeconds(scenario)`). */
  readonly deadlineSeconds: number;
  /** A Redis the pods share the client's budget through (`run --redis`), as the cluster reaches it. */
  readonly redisUrl?: string;
}

/**
 * What a Job's name must be for `parallelism` pods: a DNS-1123 label short enough that the
 * pods' hostnames, `<name>-<index>`, are labels too.
 *
 * @example
 * jobNameRule(3).maxLength // 61
 */
export function jobNameRule(parallelism: number): NameRule {
  const suffix = `-${parallelism - 1}`;
  return {
    kind: 'label',
    maxLength: DNS_LABEL_MAX - suffix.length,
    why: `the pods' hostnames are <name>${suffix}, at most ${DNS_LABEL_MAX} characters`,
  };
}

/**
 * The `nexus-harness run` arguments of every pod: the contract with `run --segments` (segment
 * index from JOB_COMPLETION_INDEX) and `merge` (one result.json per index folder).
 *
 * @example
 * podArgs({ builtin: 'steady' }, 3, ['--target', 'real', '--allow-remote'], [])
 * // ['run', 'steady', '--segments', '3', '--out', '/results/$(JOB_COMPLETION_INDEX)', '--target', 'real', '--allow-remote']
 */
export function podArgs(
  scenario: IndexedJobOptions['scenario'],
  parallelism: number,
  targetArgs: readonly string[],
  loadArgs: readonly string[],
): string[] {
  const ref = 'builtin' in scenario ? scenario.builtin : `${SCENARIO_MOUNT.dir}/${SCENARIO_MOUNT.file}`;
  return [
    'run',
    ref,
    '--segments',
    String(parallelism),
    '--out',
    `${RESULTS_DIR}/$(JOB_COMPLETION_INDEX)`,
    ...targetArgs,
    ...loadArgs,
  ];
}

/**
 * The Job (and, as needed, the ConfigMap with a scenario file and the PersistentVolumeClaim),
 * as documents for {@link manifestsYaml}. Throws a `UsageError` (naming the CLI's flags) for a
 * bad name and for a scenario file above the ConfigMap limit.
 *
 * @example
 * const docs = indexedJobManifests({ scenarioName: 'steady', scenario: { builtin: 'steady' }, loadArgs: [],
 *   parallelism: 3, name: 'nexus-steady', image: 'nexus-harness:0.1.0', baseUrl, secretName: 'nexus-api-key',
 *   results: { claimName: 'nexus-results' }, deadlineSeconds: 690 });
 */
export function indexedJobManifests(options: IndexedJobOptions): ManifestDocument[] {
  const { name, namespace, parallelism, results } = options;
  checkName('--name', name, jobNameRule(parallelism));
  if (results !== undefined)
    checkName('--pvc', results.claimName, { kind: 'subdomain', maxLength: DNS_SUBDOMAIN_MAX });
  const labels = harnessLabels(options.scenarioName, 'load');
  const meta = (objectName: string) => ({
    name: objectName,
    ...(namespace === undefined ? {} : { namespace }),
    labels,
  });
  const documents: ManifestDocument[] = [];

  const volumes: Record<string, unknown>[] = [
    results === undefined
      ? { name: 'results', emptyDir: {} }
      : { name: 'results', persistentVolumeClaim: { claimName: results.claimName } },
  ];
  // The claim's root is /results: the contract is --out /results/<index>. No subPath: the
  // kubelet would create that folder as root, where a non-root pod may not write.
  const volumeMounts: Record<string, unknown>[] = [{ name: 'results', mountPath: RESULTS_DIR }];
  if ('json' in options.scenario) {
    const configMapName = `${name}-scenario`;
    const data = { [SCENARIO_MOUNT.file]: options.scenario.json };
    checkConfigMapSize(
      configMapName,
      data,
      'Build an image that holds the scenario file instead (FROM your nexus-harness image, COPY it in) and run it by its path there.',
    );
    documents.push({
      object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(configMapName), data },
      comment: [
        `The scenario file, mounted read-only at ${SCENARIO_MOUNT.dir}/${SCENARIO_MOUNT.file} in every pod.`,
      ],
    });
    volumes.push({ name: 'scenario', configMap: { name: configMapName } });
    volumeMounts.push({ name: 'scenario', mountPath: SCENARIO_MOUNT.dir, readOnly: true });
  }
  if (results?.createWithSize !== undefined) {
    documents.push({
      object: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        metadata: meta(results.claimName),
        spec: {
          accessModes: ['ReadWriteMany'],
          resources: { requests: { storage: results.createWithSize } },
        },
      },
      comment: [
        `The claim the ${parallelism} pods write their results to. ReadWriteMany: they write at once, from any node.`,
        "Your cluster's default StorageClass must offer ReadWriteMany (NFS, CephFS, EFS, Filestore, Azure Files …);",
        'if it does not, set spec.storageClassName to one that does.',
        ...CLAIM_NOTES,
      ],
    });
  }

  const job: KubernetesObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta(name),
    spec: {
      completionMode: 'Indexed',
      completions: parallelism,
      parallelism,
      // A segment is never run again: a second try would load the target later than the
      // others, and the merged run would be neither the scenario's timeline nor its load. A
      // failed index stays failed (its result, if written, says what happened), the others
      // go on; bad usage, the same in every pod, fails the whole Job at once.
      backoffLimitPerIndex: 0,
      // Every index fails at most once (backoffLimitPerIndex: 0), so this never ends the Job
      // before each segment has had its one try.
      backoffLimit: parallelism,
      podFailurePolicy: {
        rules: [
          {
            action: 'FailJob',
            onExitCodes: { containerName: HARNESS_CONTAINER, operator: 'In', values: [USAGE_EXIT_CODE] },
          },
        ],
      },
      activeDeadlineSeconds: options.deadlineSeconds,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          securityContext: HARNESS_POD_SECURITY,
          containers: [
            {
              name: HARNESS_CONTAINER,
              image: options.image,
              imagePullPolicy: 'IfNotPresent',
              command: ['nexus-harness'],
              args: podArgs(options.scenario, parallelism, podTargetArgs(options), options.loadArgs),
              env: [apiKeyEnv(options.secretName)],
              resources: LOAD_POD_RESOURCES,
              securityContext: HARNESS_CONTAINER_SECURITY,
              volumeMounts,
            },
          ],
          volumes,
        },
      },
    },
  };
  documents.push({ object: job, comment: jobComment(options) });
  // The header goes on the first document of the file.
  const [first, ...rest] = documents;
  return [{ object: first!.object, comment: [...header(options), '', ...(first!.comment ?? [])] }, ...rest];
}

/**
 * The target flags, and `--redis` when the pods share a budget; `--allow-remote` once, when the
 * API or the Redis is not on loopback (run refuses either without it).
 */
function podTargetArgs(options: IndexedJobOptions): string[] {
  const args = harnessTargetArgs(options.baseUrl);
  if (options.redisUrl === undefined) return args;
  const remote = !isLoopbackHost(new URL(options.redisUrl).hostname);
  return [
    ...args,
    '--redis',
    options.redisUrl,
    ...(remote && !args.includes('--allow-remote') ? ['--allow-remote'] : []),
  ];
}

/** The file's header: what it is, what to do before and after applying it. */
function header(options: IndexedJobOptions): string[] {
  const { name, namespace, parallelism, results, image } = options;
  const ns = namespace === undefined ? '' : ` -n ${namespace}`;
  const collect =
    results === undefined
      ? [
          `  The results volume is an emptyDir: each pod's result.json is lost with the pod. To collect them, give a`,
          '  PersistentVolumeClaim (nexus-harness k8s job --pvc NAME, and --pvc-size SIZE to write the claim too).',
        ]
      : [
          `  A pod that mounts the claim, to copy the ${parallelism} results out (kubectl cp needs tar in the image):`,
          `    kubectl run ${name}-results${ns} --image=${image} --restart=Never --command --overrides='${readerOverrides(options)}' -- sleep 3600`,
          `    kubectl cp${ns} ${name}-results:${RESULTS_DIR} ./${name}-results && kubectl delete pod${ns} ${name}-results`,
          `  Then join them into one result, judged as one run: nexus-harness merge ./${name}-results/*/result.json -o merged.json`,
        ];
  return [
    `The nexus-harness scenario "${options.scenarioName}" in ${parallelism} pod(s) of an Indexed Job: pod i runs segment i of ${parallelism}`,
    `(its index from JOB_COMPLETION_INDEX, set by the Job controller) and writes ${RESULTS_DIR}/i/result.json.`,
    'Written by nexus-harness k8s job; nothing here has been applied to a cluster by it.',
    '',
    'Before applying (Kubernetes 1.29 or later: backoffLimitPerIndex):',
    `  1. the image ${image}, with nexus-harness on its PATH, pullable by the cluster (nexus-harness k8s job --help says how to build it);`,
    `  2. the API key in Secret ${options.secretName}, under the key api-key: ${createSecretCommand(options.secretName, namespace)}`,
    ...(results === undefined || results.createWithSize !== undefined
      ? []
      : [
          `  3. PersistentVolumeClaim ${results.claimName}, ReadWriteMany (the pods write to it at once, from any node).`,
          ...CLAIM_NOTES.map((line) => `     ${line}`),
        ]),
    'Then:',
    `  kubectl apply -f <this file>; kubectl wait${ns} --for=condition=complete --timeout=${options.deadlineSeconds}s job/${name}`,
    `  (a segment that failed is not retried; kubectl describe job${ns} ${name} lists failed indexes. A pod that exited 99`,
    "  had its own share's thresholds fail: its result is complete, and only the merged result's verdict counts.)",
    ...collect,
  ];
}

/** The Job's own comment: the load it makes and the quota it shares. */
function jobComment(options: IndexedJobOptions): string[] {
  return [
    `The Job. The pods load ${options.baseUrl}${baseUrlNote(options.baseUrl)}; NEXUS_API_KEY comes from Secret ${options.secretName} (never inline).`,
    "The segments split the scenario's VUs, rates and iterations: together the pods make its load, not N times it.",
    ...quotaNote(options.baseUrl, 'every pod', options.redisUrl === undefined),
    ...(options.redisUrl === undefined
      ? []
      : [
          `The pods share one client budget through Redis (${options.redisUrl}): together they keep the quota.`,
        ]),
  ];
}

/** `kubectl run --overrides` for a pod that mounts the results claim and sleeps (JSON, one line). */
function readerOverrides(options: IndexedJobOptions): string {
  return JSON.stringify({
    spec: {
      securityContext: HARNESS_POD_SECURITY,
      volumes: [{ name: 'results', persistentVolumeClaim: { claimName: options.results!.claimName } }],
      containers: [
        {
          name: `${options.name}-results`,
          image: options.image,
          command: ['sleep', '3600'],
          securityContext: HARNESS_CONTAINER_SECURITY,
          volumeMounts: [{ name: 'results', mountPath: RESULTS_DIR }],
        },
      ],
    },
  });
}

/**
 * {@link indexedJobManifests} as YAML text.
 *
 * @example
 * writeFileSync('steady.job.yaml', indexedJobYaml(options));
 */
export function indexedJobYaml(options: IndexedJobOptions): string {
  return manifestsYaml(indexedJobManifests(options));
}
