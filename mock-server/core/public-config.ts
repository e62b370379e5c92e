import { ConfigError } from '../../harness/util/validation.js';
import type { MockConfig } from './config.js';
import { fingerprintKey, isFingerprint, shownKey } from './keys.js';

/** A configuration as the admin API and the CLI show it: {@link MockConfig} with `apiKeys` shown by {@link shownKey}. */
export type PublicMockConfig = Omit<MockConfig, 'apiKeys'> & { apiKeys: string[] };

/**
 * The one public view of a configuration, used by every admin response that echoes one and
 * by the `mock` command's banner: no key leaves the mock, only fingerprints (and the public
 * demo key). The view can be posted back to `POST /__admin/reset`: {@link resolveKeyRefs}
 * turns the fingerprints back into the keys they stand for.
 *
 * @example
 * publicConfig(resolveMockConfig({ apiKeys: ['nexus-mock-key', 'secret'] })).apiKeys; // ['nexus-mock-key', 'k_…']
 */
export function publicConfig(config: MockConfig): PublicMockConfig {
  return { ...config, apiKeys: config.apiKeys.map(shownKey) };
}

/**
 * Replaces each fingerprint in a candidate configuration's `apiKeys` by the key it stands for
 * among `currentKeys`, so the public view round-trips through `POST /__admin/reset` without a
 * key ever being sent out. A fingerprint of no current key is refused (it would otherwise
 * silently become a key named `k_…`). Anything that is not an object with an `apiKeys` array
 * is returned as is, for the schema to judge.
 *
 * @example
 * resolveKeyRefs({ apiKeys: [fingerprintKey('secret')] }, ['secret']); // { apiKeys: ['secret'] }
 */
export function resolveKeyRefs(input: unknown, currentKeys: readonly string[]): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const keys = (input as { apiKeys?: unknown }).apiKeys;
  if (!Array.isArray(keys)) return input;
  const byFingerprint = new Map(currentKeys.map((key) => [fingerprintKey(key), key]));
  const problems: { path: string; message: string }[] = [];
  const resolved = keys.map((key, i) => {
    if (typeof key !== 'string' || !isFingerprint(key)) return key;
    const known = byFingerprint.get(key);
    if (known === undefined) {
      problems.push({
        path: `apiKeys[${i}]`,
        message: `${key} is the fingerprint of no key this mock accepts; give the key itself`,
      });
    }
    return known ?? key;
  });
  if (problems.length > 0) throw new ConfigError('mock configuration', problems);
  return { ...input, apiKeys: resolved };
}
