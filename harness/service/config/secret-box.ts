import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ConfigError } from '../../util/validation.js';

/**
 * Secrets at rest: AES-256-GCM, so a value is both hidden and sealed (a changed byte, or the
 * wrong key, fails the auth tag instead of decrypting to garbage). The guide's `decrypt()` had
 * no body; this is the whole of it. Sealed text is versioned, so the scheme can change later
 * without guessing what an old value is:
 *
 *     v1:<iv, base64url>:<auth tag, base64url>:<ciphertext, base64url>
 *
 * The IV is 12 random bytes per seal (GCM's size; never reused with one key), the tag 16 bytes.
 * The version prefix is bound in as additional data, so a value cannot be relabelled.
 */

/** The format prefix of sealed text. */
export const SEALED_PREFIX = 'v1';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const AAD = Buffer.from(`nexus-harness:${SEALED_PREFIX}`);
const B64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Reads an encryption key given as 64 hex digits (32 bytes). Throws a `ConfigError` naming
 * `name` and what is wrong (length, non-hex), never the value.
 *
 * @example
 * const key = parseEncryptionKey(process.env.ENCRYPTION_KEY); // Buffer of 32 bytes
 */
export function parseEncryptionKey(hex: string | undefined, name = 'ENCRYPTION_KEY'): Buffer {
  const problem = encryptionKeyProblem(hex);
  if (problem !== null) throw new ConfigError('encryption key', [{ path: name, message: problem }]);
  return Buffer.from(hex as string, 'hex');
}

/**
 * What is wrong with an encryption key given as hex, or `null` when it is a good one. The
 * message says how long it was, never what it was.
 *
 * @example
 * encryptionKeyProblem('abc') // 'must be 64 hex digits (32 bytes); got 3 characters. …'
 */
export function encryptionKeyProblem(hex: string | undefined): string | null {
  const remedy = 'Make one with: nexus-harness secrets keygen';
  if (hex === undefined || hex === '') return `is not set. ${remedy}`;
  if (hex.length !== KEY_BYTES * 2) {
    return `must be ${KEY_BYTES * 2} hex digits (${KEY_BYTES} bytes); got ${hex.length} characters. ${remedy}`;
  }
  if (!/^[0-9a-fA-F]+$/.test(hex)) return `must be hex digits only (0-9, a-f). ${remedy}`;
  return null;
}

/**
 * A fresh random encryption key, as 64 hex digits.
 *
 * @example
 * generateEncryptionKey() // e.g. '9f86d081884c7d65…' (64 characters)
 */
export function generateEncryptionKey(): string {
  return randomBytes(KEY_BYTES).toString('hex');
}

/**
 * Encrypts `plaintext` with `key` (32 bytes, see {@link parseEncryptionKey}) under a fresh IV:
 * sealing one value twice gives two different texts, both of which open.
 *
 * @example
 * const sealed = sealSecret('nx-live-…', key); // 'v1:…:…:…'
 */
export function sealSecret(plaintext: string, key: Buffer): string {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(AAD);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [SEALED_PREFIX, iv, tag, ciphertext]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join(':');
}

/**
 * Decrypts text made by {@link sealSecret}. A malformed text, the wrong key, or any changed
 * character throws a `ConfigError` under `name` that says which and what to do; it never
 * quotes the text, the key or anything decrypted.
 *
 * @example
 * const apiKey = openSecret(process.env.NEXUS_API_KEY_ENCRYPTED!, key, 'NEXUS_API_KEY_ENCRYPTED');
 */
export function openSecret(sealed: string, key: Buffer, name = 'sealed value'): string {
  checkKey(key);
  const fail = (message: string): never => {
    throw new ConfigError('encrypted secret', [{ path: name, message }]);
  };
  const parts = sealed.trim().split(':');
  if (parts[0] !== SEALED_PREFIX) {
    fail(
      `is not sealed text (expected it to start with "${SEALED_PREFIX}:"). Make it with: nexus-harness secrets encrypt`,
    );
  }
  // Canonical base64url only: Buffer's decoder skips an extra character, padding and the unused
  // low bits of the last one, which would give one sealed value many spellings.
  const canonical = (p: string) => B64URL.test(p) && Buffer.from(p, 'base64url').toString('base64url') === p;
  if (parts.length !== 4 || !parts.slice(1).every(canonical)) {
    fail(
      `is malformed: expected ${SEALED_PREFIX}:<iv>:<tag>:<ciphertext> in base64url. Copy the whole text again.`,
    );
  }
  const [, ivText, tagText, dataText] = parts as [string, string, string, string];
  const iv = Buffer.from(ivText, 'base64url');
  const tag = Buffer.from(tagText, 'base64url');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) {
    fail(
      `is malformed: its IV must be ${IV_BYTES} bytes and its tag ${TAG_BYTES}. Copy the whole text again.`,
    );
  }
  try {
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(AAD);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(dataText, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    // Node's own message ("Unsupported state or unable to authenticate data") says neither which
    // nor what to do; the cause is left off so nothing of the attempt travels with the error.
    return fail(
      'cannot be decrypted: the encryption key is not the one it was sealed with, or the text was changed ' +
        '(its auth tag does not match). Check ENCRYPTION_KEY, or seal the secret again with: nexus-harness secrets encrypt',
    );
  }
}

function checkKey(key: Buffer): void {
  if (key.length !== KEY_BYTES) {
    throw new ConfigError('encryption key', [
      {
        path: 'key',
        message: `must be ${KEY_BYTES} bytes; got ${key.length}. Read it with parseEncryptionKey().`,
      },
    ]);
  }
}
