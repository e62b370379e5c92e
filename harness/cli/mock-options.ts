import { readFileSync } from 'node:fs';
import type { MockConfig } from '../../mock-server/core/config.js';
import { resolveMockConfig } from '../../mock-server/core/config.js';
import { ROUTE_NAMES } from '../../mock-server/core/types.js';
import { UsageError } from '../util/errors.js';

/** The `mock` command's flags that shape the simulator, as yargs parsed them. */
export interface MockFlags {
  config?: string;
  limits?: string;
  faults?: string;
  fault?: string[];
  seed?: number;
  'api-key'?: string[];
  /** yargs turns `--no-limits` into `limits-enabled: false`; see the command builder. */
  'limits-enabled'?: boolean;
  rpm?: number;
  rph?: number;
  'minute-window-ms'?: number;
  'hour-window-ms'?: number;
  'max-sessions'?: number;
  'max-messages'?: number;
  'retry-after'?: boolean;
  'reply-delay-ms'?: string;
}

/** Reads a JSON value given inline (`{...}`, `[...]`, `false`) or as a file path. */
export function readJsonArgument(flag: string, value: string): unknown {
  const text = /^\s*[[{]|^\s*(false|true)\s*$/.test(value) ? value : readFile(flag, value);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(
      `Failed to read ${flag}: ${(error as Error).message}. Give inline JSON or a path to a JSON file.`,
    );
  }
}

function readFile(flag: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `Failed to read ${flag} ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}. Give inline JSON or a path to a JSON file.`,
    );
  }
}

const FAULT_SHORTHAND = /^([a-z-]+|500|502|503)(?::(0|1|0?\.\d+))?(?:@([A-Za-z]+))?$/;

/**
 * Parses the `--fault` shorthand `TYPE[:PROBABILITY][@ROUTE]`, e.g. `reset:0.05`,
 * `503:0.1@sendMessage`, `stall:0.01`. A bare status (500/502/503) means an `error` fault with
 * that status. Anything richer goes in `--faults` as JSON.
 */
export function parseFaultShorthand(spec: string): Record<string, unknown> {
  const match = FAULT_SHORTHAND.exec(spec.trim());
  if (!match) {
    throw new UsageError(
      `Invalid --fault "${spec}": expected TYPE[:PROBABILITY][@ROUTE], e.g. reset:0.05 or 503:0.1@sendMessage. ` +
        `Routes: ${ROUTE_NAMES.join(', ')}.`,
    );
  }
  const [, type, probability, route] = match as unknown as [string, string, string?, string?];
  const rule: Record<string, unknown> = /^\d+$/.test(type)
    ? { type: 'error', status: Number(type) }
    : { type };
  if (probability !== undefined) rule.probability = Number(probability);
  if (route !== undefined) rule.route = route;
  return rule;
}

function parseDelay(value: string): Record<string, unknown> {
  const range = /^(\d+)-(\d+)$/.exec(value);
  if (range) return { type: 'uniform', minMs: Number(range[1]), maxMs: Number(range[2]) };
  if (/^\d+$/.test(value)) return { type: 'fixed', ms: Number(value) };
  throw new UsageError(
    `Invalid --reply-delay-ms "${value}": expected N or MIN-MAX in milliseconds, e.g. 50 or 1000-3000.`,
  );
}

type Json = Record<string, unknown>;

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

/**
 * Builds the simulator configuration from the flags: defaults, then `--config`, then
 * `--limits`/`--faults`, then the single-value flags. Validated as a whole, so every bad
 * field is reported at once.
 */
export function mockConfigFromFlags(flags: MockFlags): MockConfig {
  const config: Json = flags.config ? { ...asObject(readJsonArgument('--config', flags.config)) } : {};
  if (flags.limits !== undefined) config.limits = readJsonArgument('--limits', flags.limits);
  if (flags.faults !== undefined) config.faults = readJsonArgument('--faults', flags.faults);
  if (flags.fault && flags.fault.length > 0) {
    const existing = Array.isArray(config.faults) ? config.faults : [];
    config.faults = [...existing, ...flags.fault.map(parseFaultShorthand)];
  }
  if (flags.seed !== undefined) config.seed = flags.seed;
  if (flags['api-key'] && flags['api-key'].length > 0) config.apiKeys = flags['api-key'];
  if (flags['retry-after'] === false) config.retryAfterHeader = false;
  if (flags['reply-delay-ms'] !== undefined)
    config.assistant = { delay: parseDelay(flags['reply-delay-ms']) };

  if (flags['limits-enabled'] === false) config.limits = false;
  else if (hasLimitFlags(flags)) config.limits = applyLimitFlags(config.limits, flags);
  return resolveMockConfig(config);
}

function hasLimitFlags(flags: MockFlags): boolean {
  return [
    flags.rpm,
    flags.rph,
    flags['minute-window-ms'],
    flags['hour-window-ms'],
    flags['max-sessions'],
    flags['max-messages'],
  ].some((v) => v !== undefined);
}

/** Lays the single-value limit flags over limits from a file (or over the defaults). */
function applyLimitFlags(base: unknown, flags: MockFlags): Json {
  const limits = { ...asObject(base) };
  const perMinute = { ...asObject(limits.perMinute) };
  const perHour = { ...asObject(limits.perHour) };
  if (flags.rpm !== undefined) perMinute.limit = flags.rpm;
  if (flags['minute-window-ms'] !== undefined) perMinute.windowMs = flags['minute-window-ms'];
  if (flags.rph !== undefined) perHour.limit = flags.rph;
  if (flags['hour-window-ms'] !== undefined) perHour.windowMs = flags['hour-window-ms'];
  limits.perMinute = perMinute;
  limits.perHour = perHour;
  if (flags['max-sessions'] !== undefined) limits.concurrentSessions = flags['max-sessions'];
  if (flags['max-messages'] !== undefined) limits.messagesPerSession = flags['max-messages'];
  return limits;
}
