import { didYouMean } from '../../util/did-you-mean.js';
import { ConfigError, type ValidationProblem } from '../../util/validation.js';
import { DEFAULT_USER_LIMITS, type UserLimitName, type UserLimits } from '../types.js';

/** The windows' names, in the order a message is counted against them (the tighter first). */
export const USER_LIMIT_NAMES: readonly UserLimitName[] = [
  'messagesPerMinute',
  'messagesPerHour',
  'sessionsPerDay',
];

/** How long each window lasts, s: a minute, an hour, a day. */
export const USER_LIMIT_WINDOW_S: Readonly<Record<UserLimitName, number>> = {
  messagesPerMinute: 60,
  messagesPerHour: 60 * 60,
  sessionsPerDay: 24 * 60 * 60,
};

/**
 * `limits` over {@link DEFAULT_USER_LIMITS}, checked: every value a positive integer, no
 * unknown field. Throws a {@link ConfigError} naming every bad field and its value at once.
 *
 * @example
 * resolveUserLimits({ messagesPerMinute: 20 }); // { messagesPerMinute: 20, messagesPerHour: 100, sessionsPerDay: 5 }
 * resolveUserLimits({ messagesPerHour: 0 });    // throws: limits.messagesPerHour: must be a positive integer, got 0
 */
export function resolveUserLimits(limits: Partial<UserLimits> = {}): UserLimits {
  return resolveCounts('user limits', 'limits', limits, DEFAULT_USER_LIMITS);
}

/**
 * Window lengths, s, over {@link USER_LIMIT_WINDOW_S}, checked as {@link resolveUserLimits}
 * checks limits. Shorter windows are for tests; a deployment keeps the defaults.
 *
 * @example
 * resolveWindowSeconds({ messagesPerMinute: 1 }).messagesPerMinute; // 1
 */
export function resolveWindowSeconds(
  windows: Partial<Record<UserLimitName, number>> = {},
): Record<UserLimitName, number> {
  return resolveCounts('user limit windows', 'windowSeconds', windows, USER_LIMIT_WINDOW_S);
}

function resolveCounts(
  what: string,
  path: string,
  given: Partial<Record<UserLimitName, number>>,
  defaults: Readonly<Record<UserLimitName, number>>,
): Record<UserLimitName, number> {
  const problems: ValidationProblem[] = [];
  if (typeof given !== 'object' || given === null || Array.isArray(given)) {
    throw new ConfigError(what, [{ path, message: `must be an object, got ${JSON.stringify(given)}` }]);
  }
  for (const key of Object.keys(given)) {
    if ((USER_LIMIT_NAMES as readonly string[]).includes(key)) continue;
    const near = didYouMean(key, USER_LIMIT_NAMES);
    problems.push({
      path: `${path}.${key}`,
      message: 'is not a known field',
      hint: `${near ? ` (did you mean "${near}"?)` : ''}; expected one of ${USER_LIMIT_NAMES.join(', ')}`,
    });
  }
  const resolved = { ...defaults };
  for (const name of USER_LIMIT_NAMES) {
    const value = given[name];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
      problems.push({
        path: `${path}.${name}`,
        message: `must be a positive integer, got ${describe(value)}`,
      });
    } else {
      resolved[name] = value;
    }
  }
  if (problems.length > 0) throw new ConfigError(what, problems);
  return resolved;
}

/** `NaN`, `Infinity` and `-1` as themselves (JSON would say `null` for the first two). */
function describe(value: unknown): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}
