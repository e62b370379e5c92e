import { DEFAULT_BASE_URL } from '../../client/options.js';
import { isLoopbackHost } from '../../util/loopback.js';
import { redactUrl, urlSecret } from '../../util/url.js';
import { ConfigError, type ValidationProblem } from '../../util/validation.js';
import { LOG_LEVELS, type LogLevel } from '../logging/logger.js';
import { DEFAULT_USER_LIMITS, type UserLimits } from '../types.js';
import { encryptionKeyProblem, openSecret } from './secret-box.js';

/**
 * The chat app's configuration, read once at start from the environment (and the caller's
 * overrides), checked whole: one `ConfigError` lists everything missing or invalid, by
 * variable name, so an operator fixes the deployment in one pass. The guide's `SecureConfig`
 * required `ENCRYPTION_KEY` and `NEXUS_API_KEY` both, then decrypted a third variable on every
 * read with a `decrypt()` that had no body; here the key comes plain *or* sealed, and a sealed
 * one is opened here, at start, so a wrong key fails the deployment and not the first request.
 */

/** The configuration of the chat app, as {@link loadAppConfig} returns it. */
export interface AppConfig {
  nexus: {
    /** The API key in clear (decrypted at load when it came sealed). Never log it. */
    apiKey: string;
    /** Whether it came sealed (`NEXUS_API_KEY_ENCRYPTED`). */
    apiKeyWasEncrypted: boolean;
    baseUrl: string;
  };
  /** HTTP port of the app; 0 picks a free one. */
  port: number;
  /** Redis for sessions and per-user limits; `null` = in memory (one process only). */
  redisUrl: string | null;
  logLevel: LogLevel;
  userLimits: UserLimits;
  /** Every secret value above (the key, the encryption key, Redis' password): for the logger's scrubbing. */
  secrets: readonly string[];
}

/** What a caller may set in place of the environment (a test, the app target). */
export interface AppConfigOverrides {
  apiKey?: string;
  baseUrl?: string;
  port?: number;
  redisUrl?: string | null;
  logLevel?: LogLevel;
  userLimits?: Partial<UserLimits>;
}

/** Default port of the chat app. */
export const DEFAULT_APP_PORT = 3000;

/** The environment variables of the user limits, per field of {@link UserLimits}. */
const LIMIT_ENV: Readonly<Record<keyof UserLimits, string>> = {
  messagesPerMinute: 'USER_MESSAGES_PER_MINUTE',
  messagesPerHour: 'USER_MESSAGES_PER_HOUR',
  sessionsPerDay: 'USER_SESSIONS_PER_DAY',
};

/** An env value, with an empty string read as unset (what `FOO= node app` means). */
function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** Parses an integer in [min, max]; records a problem under `path` and returns undefined otherwise. */
function integer(
  raw: string | number,
  path: string,
  min: number,
  max: number,
  problems: ValidationProblem[],
): number | undefined {
  const n = typeof raw === 'number' ? raw : /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (Number.isInteger(n) && n >= min && n <= max) return n;
  problems.push({
    path,
    message: `must be a whole number from ${min} to ${max}; got ${JSON.stringify(String(raw))}`,
  });
  return undefined;
}

/**
 * `raw` fit to quote in an error: without its userinfo. A text that does not parse may still
 * hold `user:pass@` (a `/` or `@` in the password is what broke it), so everything from `//` to
 * its last `@` goes.
 */
function quotableUrl(raw: string): string {
  const shown = redactUrl(raw);
  return URL.canParse(raw) ? shown : shown.replace(/\/\/.*@/s, '//');
}

function httpUrl(
  raw: string,
  path: string,
  schemes: readonly string[],
  problems: ValidationProblem[],
): string | undefined {
  if (URL.canParse(raw) && schemes.includes(new URL(raw).protocol)) return raw;
  problems.push({
    path,
    message: `must be a ${schemes.map((s) => s.replace(':', '')).join(' or ')} URL; got ${JSON.stringify(quotableUrl(raw))}`,
  });
  return undefined;
}

/** Visible ASCII only: what an `api-key` header can carry (a space or CR would fail the first request). */
const HEADER_SAFE_KEY = /^[\x21-\x7e]+$/;

/** The key as found under `path`, when it can be sent; else a problem (never the value) and undefined. */
function usableKey(
  key: { apiKey: string; encrypted: boolean; encryptionKey?: string },
  path: string,
  problems: ValidationProblem[],
): { apiKey: string; encrypted: boolean; encryptionKey?: string } | undefined {
  if (HEADER_SAFE_KEY.test(key.apiKey)) return key;
  problems.push({
    path,
    message:
      `${key.encrypted ? 'decrypts to a key that' : ''} contains spaces or control characters (${key.apiKey.length} characters); an API key is visible ASCII. Copy it again${key.encrypted ? ' and seal it with: nexus-harness secrets encrypt' : ''}`.trim(),
  });
  return undefined;
}

/** The API key: plain, or sealed and opened with `ENCRYPTION_KEY`; problems recorded, never values. */
function apiKeyFrom(
  env: NodeJS.ProcessEnv,
  override: string | undefined,
  problems: ValidationProblem[],
): { apiKey: string; encrypted: boolean; encryptionKey?: string } | undefined {
  if (override !== undefined) {
    if (override !== '') return usableKey({ apiKey: override, encrypted: false }, 'apiKey', problems);
    problems.push({ path: 'apiKey', message: 'is empty' });
    return undefined;
  }
  const plain = read(env, 'NEXUS_API_KEY');
  const sealed = read(env, 'NEXUS_API_KEY_ENCRYPTED');
  if (plain !== undefined && sealed !== undefined) {
    problems.push({
      path: 'NEXUS_API_KEY',
      message: 'and NEXUS_API_KEY_ENCRYPTED are both set; set one (which key would be meant is not guessed)',
    });
    return undefined;
  }
  if (plain !== undefined) return usableKey({ apiKey: plain, encrypted: false }, 'NEXUS_API_KEY', problems);
  if (sealed === undefined) {
    problems.push({
      path: 'NEXUS_API_KEY',
      message:
        'is not set: set NEXUS_API_KEY, or NEXUS_API_KEY_ENCRYPTED (from `nexus-harness secrets encrypt`) with ENCRYPTION_KEY',
    });
    return undefined;
  }
  const keyHex = read(env, 'ENCRYPTION_KEY');
  const keyProblem = encryptionKeyProblem(keyHex);
  if (keyProblem !== null) {
    problems.push({ path: 'ENCRYPTION_KEY', message: `${keyProblem} (NEXUS_API_KEY_ENCRYPTED needs it)` });
    return undefined;
  }
  try {
    const apiKey = openSecret(sealed, Buffer.from(keyHex as string, 'hex'), 'NEXUS_API_KEY_ENCRYPTED');
    if (apiKey === '') {
      problems.push({ path: 'NEXUS_API_KEY_ENCRYPTED', message: 'decrypts to an empty key' });
      return undefined;
    }
    return usableKey({ apiKey, encrypted: true, encryptionKey: keyHex }, 'NEXUS_API_KEY_ENCRYPTED', problems);
  } catch (err) {
    problems.push(
      ...((err as ConfigError).problems ?? [
        { path: 'NEXUS_API_KEY_ENCRYPTED', message: 'cannot be decrypted' },
      ]),
    );
    return undefined;
  }
}

/**
 * Reads the chat app's configuration from `env` and `overrides` (which win). Variables:
 * `NEXUS_API_KEY`, or `NEXUS_API_KEY_ENCRYPTED` + `ENCRYPTION_KEY` (required, one way);
 * `NEXUS_BASE_URL` (default the real API), `PORT` (3000), `REDIS_URL` (none: in memory),
 * `LOG_LEVEL` (`info`), `USER_MESSAGES_PER_MINUTE` (10), `USER_MESSAGES_PER_HOUR` (100),
 * `USER_SESSIONS_PER_DAY` (5). Throws one `ConfigError` with every problem; no message quotes
 * a secret.
 *
 * @example
 * const config = loadAppConfig(process.env, { baseUrl: mock.url });
 * const client = createNexusClient({ apiKey: config.nexus.apiKey, baseUrl: config.nexus.baseUrl });
 */
export function loadAppConfig(env: NodeJS.ProcessEnv, overrides: AppConfigOverrides = {}): AppConfig {
  const problems: ValidationProblem[] = [];
  const key = apiKeyFrom(env, overrides.apiKey, problems);

  const baseUrlRaw = overrides.baseUrl ?? read(env, 'NEXUS_BASE_URL') ?? DEFAULT_BASE_URL;
  const baseUrlPath = overrides.baseUrl !== undefined ? 'baseUrl' : 'NEXUS_BASE_URL';
  const baseUrl = httpUrl(baseUrlRaw, baseUrlPath, ['http:', 'https:'], problems);
  if (
    baseUrl !== undefined &&
    new URL(baseUrl).protocol === 'http:' &&
    !isLoopbackHost(new URL(baseUrl).hostname)
  ) {
    problems.push({
      path: baseUrlPath,
      message: `must be https for a host other than loopback (${new URL(baseUrl).hostname}): over http the API key crosses the network in clear`,
    });
  }
  if (baseUrl !== undefined && urlSecret(baseUrl) !== null) {
    problems.push({
      path: baseUrlPath,
      message: 'must not carry a user name or password (the key goes in NEXUS_API_KEY)',
    });
  }

  const portRaw = overrides.port ?? read(env, 'PORT') ?? DEFAULT_APP_PORT;
  const port = integer(portRaw, overrides.port !== undefined ? 'port' : 'PORT', 0, 65_535, problems);

  const redisRaw = overrides.redisUrl !== undefined ? overrides.redisUrl : (read(env, 'REDIS_URL') ?? null);
  const redisUrl =
    redisRaw === null
      ? null
      : httpUrl(
          redisRaw,
          overrides.redisUrl !== undefined ? 'redisUrl' : 'REDIS_URL',
          ['redis:', 'rediss:'],
          problems,
        );

  const levelRaw = overrides.logLevel ?? read(env, 'LOG_LEVEL') ?? 'info';
  const logLevel = (LOG_LEVELS as readonly string[]).includes(levelRaw) ? (levelRaw as LogLevel) : undefined;
  if (logLevel === undefined) {
    problems.push({
      path: overrides.logLevel !== undefined ? 'logLevel' : 'LOG_LEVEL',
      message: `must be one of ${LOG_LEVELS.join(', ')}; got ${JSON.stringify(levelRaw)}`,
    });
  }

  const userLimits = { ...DEFAULT_USER_LIMITS };
  for (const field of Object.keys(LIMIT_ENV) as (keyof UserLimits)[]) {
    const fromOverride = overrides.userLimits?.[field];
    const raw = fromOverride ?? read(env, LIMIT_ENV[field]);
    if (raw === undefined) continue;
    const path = fromOverride !== undefined ? `userLimits.${field}` : LIMIT_ENV[field];
    const n = integer(raw, path, 1, 1_000_000, problems);
    if (n !== undefined) userLimits[field] = n;
  }

  if (problems.length > 0 || key === undefined) throw new ConfigError('chat app configuration', problems);
  const redisPassword = redisUrl === null || redisUrl === undefined ? null : urlSecret(redisUrl);
  return {
    nexus: { apiKey: key.apiKey, apiKeyWasEncrypted: key.encrypted, baseUrl: baseUrl as string },
    port: port as number,
    redisUrl: redisUrl ?? null,
    logLevel: logLevel as LogLevel,
    userLimits,
    secrets: [
      key.apiKey,
      ...(key.encryptionKey ? [key.encryptionKey] : []),
      ...(redisPassword ? [redisPassword] : []),
    ],
  };
}
