/**
 * The API key in a pod: always from a Kubernetes Secret (`valueFrom.secretKeyRef`), never a
 * value in the manifest, which ends up in Git, in `kubectl get -o yaml` and in CI logs.
 */

/** The key inside the Secret that holds the API key. */
export const API_KEY_SECRET_KEY = 'api-key';

/** The Secret's name when `--secret` is not given. */
export const DEFAULT_API_KEY_SECRET = 'nexus-api-key';

/** An `EnvVar` of a container (the fields we write). */
export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}

/**
 * `NEXUS_API_KEY` from key `api-key` of Secret `secretName`.
 *
 * @example
 * apiKeyEnv('nexus-api-key')
 * // { name: 'NEXUS_API_KEY', valueFrom: { secretKeyRef: { name: 'nexus-api-key', key: 'api-key' } } }
 */
export function apiKeyEnv(secretName: string): EnvVar {
  return {
    name: 'NEXUS_API_KEY',
    valueFrom: { secretKeyRef: { name: secretName, key: API_KEY_SECRET_KEY } },
  };
}

/**
 * How to create the Secret, for the manifest's comments and the help: from a file, so the key
 * is in neither the shell's history nor the process list.
 *
 * @example
 * createSecretCommand('nexus-api-key', 'load') // 'kubectl create secret generic nexus-api-key -n load --from-file=api-key=./api-key.txt'
 */
export function createSecretCommand(secretName: string, namespace?: string): string {
  const ns = namespace === undefined ? '' : ` -n ${namespace}`;
  return `kubectl create secret generic ${secretName}${ns} --from-file=${API_KEY_SECRET_KEY}=./api-key.txt`;
}
