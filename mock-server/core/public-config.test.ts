import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../harness/util/validation.js';
import { resolveMockConfig } from './config.js';
import { fingerprintKey, PUBLIC_DEMO_KEY } from './keys.js';
import { publicConfig, resolveKeyRefs } from './public-config.js';
import { createSimulator } from './simulator.js';

describe('publicConfig', () => {
  it('shows the public demo key as is and every other key as its fingerprint, leaving the rest alone', () => {
    const config = resolveMockConfig({ seed: 4, apiKeys: [PUBLIC_DEMO_KEY, 'secret-one'] });
    const view = publicConfig(config);
    expect(view.apiKeys).toEqual([PUBLIC_DEMO_KEY, fingerprintKey('secret-one')]);
    expect(JSON.stringify(view)).not.toContain('secret-one');
    expect({ ...view, apiKeys: config.apiKeys }).toEqual(config);
  });
});

describe('resolveKeyRefs', () => {
  it('turns fingerprints of current keys back into the keys, so the view round-trips through reset', () => {
    const sim = createSimulator({ apiKeys: ['secret-one', 'secret-two'], seed: 5 });
    const view = publicConfig(sim.config);
    sim.reset(view);
    expect(sim.config.apiKeys).toEqual(['secret-one', 'secret-two']);
    expect(sim.config.seed).toBe(5);
  });

  it('refuses a fingerprint of no current key, and names neither key', () => {
    const stranger = fingerprintKey('somebody-else');
    const attempt = () => resolveKeyRefs({ apiKeys: ['new-key', stranger] }, ['secret-one']);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/apiKeys\[1\].*fingerprint of no key/);
    expect(() => attempt()).not.toThrow(/secret-one/);
  });

  it('leaves input without an apiKeys array for the schema to judge', () => {
    expect(resolveKeyRefs(undefined, ['k'])).toBeUndefined();
    expect(resolveKeyRefs({ apiKeys: 'x' }, ['k'])).toEqual({ apiKeys: 'x' });
  });
});

describe('resolveMockConfig', () => {
  it('reports a bad apiKeys value without quoting it', () => {
    expect(() => resolveMockConfig({ apiKeys: 'secret-as-string' })).toThrow(
      /apiKeys: expected a non-empty array/,
    );
    expect(() => resolveMockConfig({ apiKeys: 'secret-as-string' })).not.toThrow(/secret-as-string/);
  });
});
