import { describe, expect, it } from 'vitest';
import { isConfigError } from '../../util/validation.js';
import {
  encryptionKeyProblem,
  generateEncryptionKey,
  openSecret,
  parseEncryptionKey,
  sealSecret,
} from './secret-box.js';

const HEX = '0f'.repeat(32);
const OTHER_HEX = 'a1'.repeat(32);
const SECRET = 'nx-live-9b1e77c0d2';

/** The error `fn` throws (it must throw). */
function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

describe('secret box', () => {
  it('seals and opens; a fresh IV each time', () => {
    const key = parseEncryptionKey(HEX);
    const a = sealSecret(SECRET, key);
    const b = sealSecret(SECRET, key);
    expect(a).toMatch(/^v1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a.split(':')[1]).not.toBe(b.split(':')[1]);
    expect(openSecret(a, key)).toBe(SECRET);
    expect(openSecret(b, key)).toBe(SECRET);
    expect(openSecret(sealSecret('', key), key)).toBe('');
    expect(openSecret(sealSecret('ünï 👍', key), key)).toBe('ünï 👍');
  });

  it('a wrong key: a clear ConfigError that echoes neither the secret, the key nor the text', () => {
    const sealed = sealSecret(SECRET, parseEncryptionKey(HEX));
    const err = thrown(() => openSecret(sealed, parseEncryptionKey(OTHER_HEX), 'NEXUS_API_KEY_ENCRYPTED'));
    expect(isConfigError(err)).toBe(true);
    expect(err.message).toContain('NEXUS_API_KEY_ENCRYPTED');
    expect(err.message).toContain('cannot be decrypted');
    for (const leak of [SECRET, HEX, OTHER_HEX, sealed, sealed.split(':')[3]!])
      expect(err.message).not.toContain(leak);
    expect(err.cause).toBeUndefined();
  });

  it('any changed part fails the auth tag', () => {
    const key = parseEncryptionKey(HEX);
    const sealed = sealSecret(SECRET, key);
    const parts = sealed.split(':');
    for (const i of [1, 2, 3]) {
      const p = parts[i]!;
      const flipped = (p[0] === 'A' ? 'B' : 'A') + p.slice(1);
      const tampered = parts.map((q, j) => (j === i ? flipped : q)).join(':');
      expect(thrown(() => openSecret(tampered, key)).message).toMatch(/cannot be decrypted|malformed/);
    }
    // Base64url that decodes to the same bytes but is not the text written (an extra character,
    // padding, an ignored low bit of the last character): refused, so one value has one spelling.
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const [, iv, tag, data] = parts as [string, string, string, string];
    const lowBit = ALPHABET[ALPHABET.indexOf(tag.at(-1)!) ^ 1]!; // a 22-character tag ignores 4 bits
    expect(Buffer.from(`${tag.slice(0, -1)}${lowBit}`, 'base64url')).toEqual(Buffer.from(tag, 'base64url'));
    for (const respelled of [
      `v1:${iv}A:${tag}:${data}`,
      `v1:${iv}:${tag.slice(0, -1)}${lowBit}:${data}`,
      `v1:${iv}:${tag}:${data}==`,
    ]) {
      expect(thrown(() => openSecret(respelled, key)).message).toContain('is malformed');
    }
    // Relabelled as another version: refused before decrypting.
    expect(thrown(() => openSecret(`v2${sealed.slice(2)}`, key)).message).toContain('not sealed text');
  });

  it('malformed text is named as such', () => {
    const key = parseEncryptionKey(HEX);
    for (const bad of ['', 'plain-api-key', 'v1:abc', 'v1:a:b:c:d', 'v1:***:***:***']) {
      const err = thrown(() => openSecret(bad, key, 'X'));
      expect(isConfigError(err)).toBe(true);
      expect(err.message).toMatch(/X: is (not sealed text|malformed)/);
    }
  });

  it('keys: 64 hex digits; anything else is a clear error without the value', () => {
    expect(parseEncryptionKey(HEX)).toHaveLength(32);
    expect(generateEncryptionKey()).toMatch(/^[0-9a-f]{64}$/);
    expect(generateEncryptionKey()).not.toBe(generateEncryptionKey());
    expect(encryptionKeyProblem(undefined)).toContain('is not set');
    expect(encryptionKeyProblem('abc')).toContain('got 3 characters');
    const notHex = `${'z'.repeat(63)}q`;
    const err = thrown(() => parseEncryptionKey(notHex));
    expect(err.message).toContain('ENCRYPTION_KEY: must be hex digits');
    expect(err.message).not.toContain(notHex);
    expect(thrown(() => sealSecret('x', Buffer.alloc(16))).message).toContain('must be 32 bytes');
  });
});
