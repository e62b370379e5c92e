/**
 * The ConfigMap size limit. The API server refuses a ConfigMap whose data exceeds 1 MiB
 * (1,048,576 bytes; the k6-operator's docs repeat it for the script's ConfigMap:
 * https://grafana.com/docs/k6/latest/set-up/set-up-distributed-k6/usage/executing-k6-scripts-with-testrun-crd/).
 * We count keys and values in UTF-8 bytes, a little stricter than the server's count of the
 * values alone, so what passes here passes there.
 */
import { UsageError } from '../../util/errors.js';

/** The most data one ConfigMap may hold, bytes. */
export const CONFIGMAP_MAX_BYTES = 1_048_576;

/**
 * The bytes a ConfigMap's `data` counts against {@link CONFIGMAP_MAX_BYTES}: each key and value in UTF-8.
 *
 * @example
 * configMapDataBytes({ 'steady.js': 'é' }) // 9 + 2
 */
export function configMapDataBytes(data: Readonly<Record<string, string>>): number {
  let bytes = 0;
  for (const [key, value] of Object.entries(data)) bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  return bytes;
}

/**
 * Throws a `UsageError` when `data` would not fit in one ConfigMap, saying by how much and
 * `whatToDo` instead.
 *
 * @example
 * checkConfigMapSize('steady-script', { 'steady.js': script }, 'Serve the script from a volume instead.');
 */
export function checkConfigMapSize(
  configMapName: string,
  data: Readonly<Record<string, string>>,
  whatToDo: string,
): void {
  const bytes = configMapDataBytes(data);
  if (bytes <= CONFIGMAP_MAX_BYTES) return;
  throw new UsageError(
    `Refusing to write ConfigMap ${configMapName}: its data is ${bytes.toLocaleString('en-US')} bytes, above ` +
      `Kubernetes' limit of ${CONFIGMAP_MAX_BYTES.toLocaleString('en-US')} bytes (1 MiB) for one ConfigMap; ` +
      `the API server would reject it. ${whatToDo}`,
  );
}
