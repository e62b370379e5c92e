import { describe, expect, it } from 'vitest';
import { UsageError } from '../../util/errors.js';
import { checkName, nameFromScenario } from './dns-names.js';

describe('checkName', () => {
  it('takes DNS-1123 labels and refuses the rest, naming the flag and the value', () => {
    for (const ok of ['a', 'load', 'nexus-steady-2', '0abc']) {
      expect(() => checkName('--namespace', ok, { kind: 'label', maxLength: 63 }), ok).not.toThrow();
    }
    for (const bad of ['', 'Load', 'a_b', '-a', 'a-', 'a.b']) {
      expect(() => checkName('--namespace', bad, { kind: 'label', maxLength: 63 }), bad).toThrow(UsageError);
    }
    expect(() => checkName('--namespace', 'a_b', { kind: 'label', maxLength: 63 })).toThrow(
      /^--namespace "a_b" is not a valid Kubernetes name: expected lower-case letters, digits and "-"/,
    );
  });

  it('letter-label wants a letter first; subdomain takes dots', () => {
    expect(() => checkName('--name', '0abc', { kind: 'letter-label', maxLength: 51 })).toThrow(
      /starting with a letter/,
    );
    expect(() =>
      checkName('--secret', 'team.nexus-key', { kind: 'subdomain', maxLength: 253 }),
    ).not.toThrow();
    expect(() => checkName('--secret', 'team..key', { kind: 'subdomain', maxLength: 253 })).toThrow(
      UsageError,
    );
  });

  it('says the bound and why when a name is too long', () => {
    expect(() =>
      checkName('--name', 'abcd', { kind: 'label', maxLength: 3, why: 'room for a suffix' }),
    ).toThrow('--name "abcd" is 4 characters long; at most 3 fit (room for a suffix).');
  });
});

describe('nameFromScenario', () => {
  it('lower-cases, joins other characters with "-", prefixes nexus- and cuts without a trailing "-"', () => {
    expect(nameFromScenario('Rate limit storm', 51)).toBe('nexus-rate-limit-storm');
    expect(nameFromScenario('__Über__Test!!', 51)).toBe('nexus-ber-test');
    expect(nameFromScenario('!!!', 51)).toBe('nexus');
    expect(nameFromScenario('steady state', 12)).toBe('nexus-steady');
    const long = nameFromScenario('x'.repeat(100), 51);
    expect(long).toHaveLength(51);
    expect(() => checkName('--name', long, { kind: 'letter-label', maxLength: 51 })).not.toThrow();
  });
});
