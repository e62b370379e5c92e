import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactor, isSecretEnvName, REDACTED, SECRET_ENV_NAMES, secretsFromEnv } from './redact.js';

const KEY = 'nx_live_0123456789abcdef0123456789abcdef01234567';

async function throughStream(secrets: string[], chunks: (string | Buffer)[]): Promise<string> {
  const source = new PassThrough();
  const out = source.pipe(createRedactor(secrets).stream());
  let text = '';
  out.on('data', (d: Buffer | string) => {
    text += d.toString();
  });
  const ended = new Promise((resolve) => out.on('end', resolve));
  for (const c of chunks) source.write(c);
  source.end();
  await ended;
  return text;
}

describe('createRedactor', () => {
  it('replaces every occurrence of every secret, URL-encoded and JSON-escaped forms too', () => {
    const r = createRedactor([KEY, 'p@ss"word/1', null, undefined, '', 'short']);
    expect(r.redact(`a ${KEY} b ${KEY} c`)).toBe(`a ${REDACTED} b ${REDACTED} c`);
    expect(r.redact('x p%40ss%22word%2F1 y p@ss\\"word/1 z')).toBe(`x ${REDACTED} y ${REDACTED} z`);
    // Values under MIN_SECRET_LENGTH are not searched for (they would eat ordinary words).
    expect(r.redact('a short note')).toBe('a short note');
  });

  it('catches a secret split across stream chunks at any point, and loses no other text', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 40 }),
        fc.string({ maxLength: 40 }),
        fc.array(fc.nat({ max: 200 }), { maxLength: 6 }),
        async (before, after, cuts) => {
          const text = `${before}${KEY}${after}${KEY}`;
          const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const chunks: string[] = [];
          let at = 0;
          for (const p of points) {
            chunks.push(text.slice(at, p));
            at = p;
          }
          chunks.push(text.slice(at));
          const out = await throughStream([KEY], chunks);
          expect(out).not.toContain(KEY);
          expect(out).toBe(createRedactor([KEY]).redact(text));
        },
      ),
      { numRuns: 200, seed: 9 },
    );
  });

  it('decodes UTF-8 split inside a character before searching', async () => {
    const bytes = Buffer.from(`é${KEY}ü`);
    const out = await throughStream([KEY], [bytes.subarray(0, 1), bytes.subarray(1, 20), bytes.subarray(20)]);
    expect(out).toBe(`é${REDACTED}ü`);
  });
});

describe('secretsFromEnv', () => {
  it('takes NEXUS_API_KEY and NEXUS_* keys, tokens, secrets and passwords, nothing else', () => {
    expect(
      secretsFromEnv({
        NEXUS_API_KEY: 'a',
        NEXUS_ADMIN_TOKEN: 'b',
        NEXUS_PROXY_PASSWORD: 'c',
        NEXUS_PACT_FILE: 'd',
        HOME: 'e',
      }).sort(),
    ).toEqual(['a', 'b', 'c']);
  });

  it('takes ENCRYPTION_KEY and the sealed NEXUS_API_KEY_ENCRYPTED too (the chat app reads both)', () => {
    const hex = 'c4'.repeat(32);
    const sealed = 'v1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBBBB:CCCCCCCC';
    expect(
      secretsFromEnv({ ENCRYPTION_KEY: hex, NEXUS_API_KEY_ENCRYPTED: sealed, NEXUS_BASE_URL: 'u' }).sort(),
    ).toEqual([hex, sealed].sort());
    expect(createRedactor(secretsFromEnv({ ENCRYPTION_KEY: hex })).redact(`key=${hex}`)).toBe(
      `key=${REDACTED}`,
    );
    for (const name of SECRET_ENV_NAMES) expect(isSecretEnvName(name)).toBe(true);
    for (const name of [
      'NEXUS_API_KEY',
      'NEXUS_APP_ADMIN_TOKEN',
      'ENCRYPTION_KEY',
      'NEXUS_API_KEY_ENCRYPTED',
    ])
      expect(isSecretEnvName(name)).toBe(true);
    for (const name of ['NEXUS_BASE_URL', 'PORT', 'encryption_key', 'MY_ENCRYPTION_KEY'])
      expect(isSecretEnvName(name)).toBe(false);
  });
});
