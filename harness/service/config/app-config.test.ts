import { describe, expect, it } from 'vitest';
import { DEFAULT_BASE_URL } from '../../client/options.js';
import { type ConfigError, isConfigError } from '../../util/validation.js';
import { DEFAULT_USER_LIMITS } from '../types.js';
import { loadAppConfig } from './app-config.js';
import { parseEncryptionKey, sealSecret } from './secret-box.js';

const KEY = 'nx-live-3c1d9e0f7a';
const HEX = '5e'.repeat(32);

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (isConfigError(err)) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadAppConfig', () => {
  it('a plain key and defaults for the rest', () => {
    const config = loadAppConfig({ NEXUS_API_KEY: KEY });
    expect(config).toEqual({
      nexus: { apiKey: KEY, apiKeyWasEncrypted: false, baseUrl: DEFAULT_BASE_URL },
      port: 3000,
      redisUrl: null,
      logLevel: 'info',
      userLimits: DEFAULT_USER_LIMITS,
      secrets: [KEY],
    });
  });

  it('a sealed key is decrypted at load; every variable read', () => {
    const sealed = sealSecret(KEY, parseEncryptionKey(HEX));
    const config = loadAppConfig({
      NEXUS_API_KEY_ENCRYPTED: sealed,
      ENCRYPTION_KEY: HEX,
      NEXUS_BASE_URL: 'http://127.0.0.1:4010/api/public',
      PORT: '8080',
      REDIS_URL: 'redis://:hunter22@127.0.0.1:6379',
      LOG_LEVEL: 'debug',
      USER_MESSAGES_PER_MINUTE: '3',
      USER_SESSIONS_PER_DAY: '2',
    });
    expect(config.nexus).toEqual({
      apiKey: KEY,
      apiKeyWasEncrypted: true,
      baseUrl: 'http://127.0.0.1:4010/api/public',
    });
    expect(config).toMatchObject({
      port: 8080,
      redisUrl: 'redis://:hunter22@127.0.0.1:6379',
      logLevel: 'debug',
    });
    expect(config.userLimits).toEqual({ messagesPerMinute: 3, messagesPerHour: 100, sessionsPerDay: 2 });
    expect(config.secrets).toEqual([KEY, HEX, 'hunter22']);
  });

  it('overrides win over the environment', () => {
    const config = loadAppConfig(
      { NEXUS_API_KEY: 'from-env-key', NEXUS_BASE_URL: 'http://127.0.0.1:1/api/public', PORT: '1' },
      {
        apiKey: KEY,
        baseUrl: 'http://127.0.0.1:4010/api/public',
        port: 0,
        userLimits: { messagesPerHour: 7 },
      },
    );
    expect(config.nexus.apiKey).toBe(KEY);
    expect(config.nexus.baseUrl).toBe('http://127.0.0.1:4010/api/public');
    expect(config.port).toBe(0);
    expect(config.userLimits.messagesPerHour).toBe(7);
  });

  it('one error naming everything missing or invalid, and no secret', () => {
    const err = configError(() =>
      loadAppConfig({
        NEXUS_BASE_URL: 'ftp://x',
        PORT: 'eighty',
        REDIS_URL: 'http://:pw-secret@h',
        LOG_LEVEL: 'loud',
        USER_MESSAGES_PER_HOUR: '0',
      }),
    );
    expect(err.problems.map((p) => p.path)).toEqual([
      'NEXUS_API_KEY',
      'NEXUS_BASE_URL',
      'PORT',
      'REDIS_URL',
      'LOG_LEVEL',
      'USER_MESSAGES_PER_HOUR',
    ]);
    expect(err.message).toContain('6 problem(s)');
    expect(err.message).not.toContain('pw-secret');
  });

  it('a sealed key without a good ENCRYPTION_KEY, or with the wrong one: named, never echoed', () => {
    const sealed = sealSecret(KEY, parseEncryptionKey(HEX));
    const missing = configError(() => loadAppConfig({ NEXUS_API_KEY_ENCRYPTED: sealed }));
    expect(missing.problems.map((p) => p.path)).toEqual(['ENCRYPTION_KEY']);
    const short = configError(() =>
      loadAppConfig({ NEXUS_API_KEY_ENCRYPTED: sealed, ENCRYPTION_KEY: 'abcd' }),
    );
    expect(short.problems[0]!.message).toContain('64 hex digits');
    const wrong = configError(() =>
      loadAppConfig({ NEXUS_API_KEY_ENCRYPTED: sealed, ENCRYPTION_KEY: '6f'.repeat(32), PORT: '-1' }),
    );
    expect(wrong.problems.map((p) => p.path)).toEqual(['NEXUS_API_KEY_ENCRYPTED', 'PORT']);
    expect(wrong.message).toContain('cannot be decrypted');
    for (const leak of [KEY, HEX, '6f'.repeat(32), sealed]) expect(wrong.message).not.toContain(leak);
  });

  it('both a plain and a sealed key: refused, not guessed', () => {
    const err = configError(() =>
      loadAppConfig({ NEXUS_API_KEY: KEY, NEXUS_API_KEY_ENCRYPTED: 'v1:a:b:c', ENCRYPTION_KEY: HEX }),
    );
    expect(err.problems).toHaveLength(1);
    expect(err.message).toContain('both set');
    expect(err.message).not.toContain(KEY);
  });

  it('a URL that does not parse is quoted without the password it may hold', () => {
    const err = configError(() =>
      loadAppConfig({
        NEXUS_API_KEY: KEY,
        REDIS_URL: 'redis://:pa/ss-secret@h:99999',
        NEXUS_BASE_URL: 'https://u:p/w-secret@host:70000/x',
      }),
    );
    expect(err.problems.map((p) => p.path)).toEqual(['NEXUS_BASE_URL', 'REDIS_URL']);
    expect(err.message).not.toContain('secret');
    expect(err.message).toContain('host:70000/x');
  });

  it('a key that cannot be a header value (a space, a CR from a pasted file) fails at load, not at the first call', () => {
    const plain = configError(() => loadAppConfig({ NEXUS_API_KEY: `${KEY}\r\nx` }));
    expect(plain.problems.map((p) => p.path)).toEqual(['NEXUS_API_KEY']);
    expect(plain.message).toContain('spaces or control characters');
    expect(plain.message).not.toContain(KEY);
    const sealed = sealSecret(`${KEY} \r`, parseEncryptionKey(HEX));
    const opened = configError(() => loadAppConfig({ NEXUS_API_KEY_ENCRYPTED: sealed, ENCRYPTION_KEY: HEX }));
    expect(opened.problems.map((p) => p.path)).toEqual(['NEXUS_API_KEY_ENCRYPTED']);
    expect(opened.message).not.toContain(KEY);
  });

  it('an empty environment: the one required variable named, with both ways to set it', () => {
    const err = configError(() => loadAppConfig({}));
    expect(err.problems.map((p) => p.path)).toEqual(['NEXUS_API_KEY']);
    expect(err.message).toContain('NEXUS_API_KEY_ENCRYPTED');
    expect(err.message).toContain('ENCRYPTION_KEY');
  });

  it('plain http only to loopback: the key would cross the network in clear', () => {
    const err = configError(() =>
      loadAppConfig({ NEXUS_API_KEY: KEY, NEXUS_BASE_URL: 'http://api.example.test/api' }),
    );
    expect(err.problems.map((p) => p.path)).toEqual(['NEXUS_BASE_URL']);
    expect(err.message).toContain('https');
    for (const ok of [
      'http://127.0.0.1:4010/api/public',
      'http://localhost:1/x',
      'http://[::1]:2/x',
      'https://h.test/x',
    ])
      expect(loadAppConfig({ NEXUS_API_KEY: KEY, NEXUS_BASE_URL: ok }).nexus.baseUrl).toBe(ok);
  });

  it('a base URL with credentials is refused', () => {
    const err = configError(() =>
      loadAppConfig({ NEXUS_API_KEY: KEY, NEXUS_BASE_URL: 'https://u:pass-word@h.test/api' }),
    );
    expect(err.message).toContain('must not carry a user name or password');
    expect(err.message).not.toContain('pass-word');
  });
});
