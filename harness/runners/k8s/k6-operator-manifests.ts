/**
 * A scenario's k6 script as a distributed k6 run on Kubernetes, through the k6-operator
 * (https://github.com/grafana/k6-operator): a `ConfigMap` holding the script and a `TestRun`
 * (k6.io/v1alpha1) that runs it in `parallelism` runner pods. The operator hands each runner
 * an equal execution segment, so together they make the scenario's load, not N times it
 * (https://grafana.com/docs/k6/latest/set-up/set-up-distributed-k6/usage/configure-testrun-crd/).
 * Fields as in the operator's CRD (config/crd/bases/k6.io_testruns.yaml; the tests validate
 * against a copy of its schema).
 */
import { apiKeyEnv, createSecretCommand } from './api-key-env.js';
import { checkConfigMapSize } from './configmap-size.js';
import { checkName, DNS_LABEL_MAX, type NameRule } from './dns-names.js';
import { LOAD_POD_RESOURCES } from './load-pod.js';
import { harnessLabels, type ManifestDocument, manifestsYaml } from './manifest-yaml.js';
import { baseUrlNote, quotaNote } from './quota-note.js';

/** Options of {@link k6OperatorManifests}. */
export interface K6OperatorOptions {
  /** The scenario's name (labels, the runners' `nexus_scenario` tag, comments). */
  readonly scenarioName: string;
  /** The k6 script (`exportK6Script`), with its load overrides already applied. */
  readonly script: string;
  /** Runner pods (`spec.parallelism`), an integer ≥ 1. */
  readonly parallelism: number;
  /** The TestRun's name (see {@link testRunNameRule}); the ConfigMap is `<name>-script`. */
  readonly name: string;
  /** The namespace of both objects; none: the one `kubectl apply` uses. */
  readonly namespace?: string;
  /** The API's base URL, `NEXUS_BASE_URL` of the runners. */
  readonly baseUrl: string;
  /** The Secret holding the API key under `api-key`. */
  readonly secretName: string;
  /** More `k6 run` arguments for every runner (`spec.arguments`), e.g. an output. */
  readonly extraArguments?: string;
}

/** The script's file name inside the ConfigMap (and the runners' /test folder). */
export const K6_SCRIPT_FILE = 'script.js';

const INITIALIZER_SUFFIX = '-initializer';

/**
 * What a TestRun's name must be for `parallelism` runners: the operator names its runner Jobs
 * `<name>-<i>`, its Services `<name>-service-<i>` (a Service name is a DNS-1035 label: a letter
 * first) and its initializer `<name>-initializer`, each at most 63 characters.
 *
 * @example
 * testRunNameRule(4).maxLength // 51
 */
export function testRunNameRule(parallelism: number): NameRule {
  const longestSuffix = Math.max(INITIALIZER_SUFFIX.length, `-service-${parallelism}`.length);
  return {
    kind: 'letter-label',
    maxLength: DNS_LABEL_MAX - longestSuffix,
    why: `the k6-operator names its objects <name>${INITIALIZER_SUFFIX} and <name>-service-<n>, at most ${DNS_LABEL_MAX} characters`,
  };
}

/**
 * The ConfigMap with the script and the TestRun that runs it, as documents for
 * {@link manifestsYaml}. Throws a `UsageError` (naming the CLI's flags) for a bad name, and
 * when the script would not fit in one ConfigMap (1 MiB), saying what to do instead.
 *
 * @example
 * const docs = k6OperatorManifests({ scenarioName: 'steady', script, parallelism: 4, name: 'nexus-steady',
 *   baseUrl: 'http://nexus-mock.load.svc:4010/api/public', secretName: 'nexus-api-key' });
 * writeFileSync('steady.k8s.yaml', manifestsYaml(docs));
 */
export function k6OperatorManifests(options: K6OperatorOptions): ManifestDocument[] {
  const { name, namespace, parallelism, scenarioName } = options;
  checkName('--name', name, testRunNameRule(parallelism));
  const configMapName = `${name}-script`;
  const data = { [K6_SCRIPT_FILE]: options.script };
  checkConfigMapSize(
    configMapName,
    data,
    'Serve the script from a volume instead: write it with `nexus-harness k6 export <scenario> -o script.js`, ' +
      'copy it to a PersistentVolumeClaim and point the TestRun at it with spec.script.volumeClaim ' +
      '(https://grafana.com/docs/k6/latest/set-up/set-up-distributed-k6/usage/executing-k6-scripts-with-testrun-crd/); ' +
      'or shorten the scenario (its description and op mix are in the script).',
  );
  const labels = harnessLabels(scenarioName, 'k6-operator');
  const meta = (objectName: string) => ({
    name: objectName,
    ...(namespace === undefined ? {} : { namespace }),
    labels,
  });
  const tag = `--tag nexus_scenario=${labels['nexus-harness/scenario'] ?? 'unnamed'}`;
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(configMapName), data };
  const testRun = {
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: meta(name),
    spec: {
      parallelism,
      script: { configMap: { name: configMapName, file: K6_SCRIPT_FILE } },
      arguments: options.extraArguments ? `${tag} ${options.extraArguments}` : tag,
      runner: {
        metadata: { labels },
        env: [{ name: 'NEXUS_BASE_URL', value: options.baseUrl }, apiKeyEnv(options.secretName)],
        resources: LOAD_POD_RESOURCES,
      },
    },
  };
  const ns = namespace === undefined ? '' : ` -n ${namespace}`;
  return [
    {
      object: configMap,
      comment: [
        `The nexus-harness scenario "${scenarioName}" as a distributed k6 run on Kubernetes (k6-operator), in ${parallelism} runner pod(s).`,
        'Written by nexus-harness k6 operator; nothing here has been applied to a cluster by it.',
        '',
        'Before applying:',
        '  1. the k6-operator installed in the cluster (it brings the TestRun CRD, testruns.k6.io):',
        '     https://grafana.com/docs/k6/latest/set-up/set-up-distributed-k6/install-k6-operator/',
        `  2. the API key in Secret ${options.secretName}, under the key api-key:`,
        `     ${createSecretCommand(options.secretName, namespace)}`,
        'Then:',
        `  kubectl apply -f <this file>; kubectl get testrun ${name}${ns} -w   (stage: finished)`,
        `  kubectl logs${ns} -l k6_cr=${name},runner=true   (each runner's k6 summary)`,
        '',
        `The runners share the scenario's load by execution segment: together they make its VUs and rates, not ${parallelism} times them.`,
        ...quotaNote(options.baseUrl, 'every runner'),
        '',
        `This ConfigMap holds the k6 script (nexus-harness k6 export ${scenarioName}); the runners read it as /test/${K6_SCRIPT_FILE}.`,
      ],
    },
    {
      object: testRun,
      comment: [
        `The TestRun: ${parallelism} runner(s) of the script above. NEXUS_BASE_URL is ${options.baseUrl}${baseUrlNote(options.baseUrl)};`,
        `NEXUS_API_KEY comes from Secret ${options.secretName} (never inline). Results: add a k6 output to spec.arguments`,
        "(nexus-harness k6 operator --arguments), e.g. --out experimental-prometheus-rw; the runners' pods keep only their logs.",
        "The runners use the operator's default k6 image (set spec.runner.image for another); the script needs k6 v0.48 or later.",
      ],
    },
  ];
}

/**
 * {@link k6OperatorManifests} as YAML text.
 *
 * @example
 * process.stdout.write(k6OperatorYaml({ scenarioName: 'smoke', script, parallelism: 2, name: 'nexus-smoke', baseUrl, secretName: 'nexus-api-key' }));
 */
export function k6OperatorYaml(options: K6OperatorOptions): string {
  return manifestsYaml(k6OperatorManifests(options));
}
