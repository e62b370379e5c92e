/**
 * Kubernetes manifests for runs beyond one machine, on engines that exist: a k6-operator
 * `TestRun` with its script's `ConfigMap` (`nexus-harness k6 operator`), and an Indexed `Job`
 * running the harness's own engine in N pods (`nexus-harness k8s job`). They are written, never
 * applied: nothing here talks to a cluster.
 */
export { API_KEY_SECRET_KEY, apiKeyEnv, createSecretCommand, DEFAULT_API_KEY_SECRET } from './api-key-env.js';
export { CONFIGMAP_MAX_BYTES, checkConfigMapSize, configMapDataBytes } from './configmap-size.js';
export { checkName, DNS_LABEL_MAX, DNS_SUBDOMAIN_MAX, type NameRule, nameFromScenario } from './dns-names.js';
export { harnessTargetArgs } from './harness-target-args.js';
export {
  HARNESS_CONTAINER,
  type IndexedJobOptions,
  indexedJobManifests,
  indexedJobYaml,
  jobNameRule,
  podArgs,
  RESULTS_DIR,
  type ResultsVolume,
  SCENARIO_MOUNT,
} from './indexed-job-manifest.js';
export {
  K6_SCRIPT_FILE,
  type K6OperatorOptions,
  k6OperatorManifests,
  k6OperatorYaml,
  testRunNameRule,
} from './k6-operator-manifests.js';
export { LOAD_POD_RESOURCES } from './load-pod.js';
export {
  harnessLabels,
  type KubernetesObject,
  type ManifestDocument,
  manifestsYaml,
} from './manifest-yaml.js';
export { baseUrlNote, quotaNote } from './quota-note.js';
export { jobDeadlineSeconds, scenarioEndMs } from './run-deadline.js';
