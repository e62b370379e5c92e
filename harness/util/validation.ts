import type { z } from 'zod';
import { HarnessError } from './errors.js';

/** One problem found in user input: where, what was there, what was expected. */
export interface ValidationProblem {
  /** Dotted field path, e.g. `limits.perMinute.limit` or `faults[2].probability`. */
  path: string;
  message: string;
}

/**
 * Thrown when a configuration, scenario or flag set is invalid. It lists *every* problem,
 * not just the first, so a user fixes their file in one pass.
 */
export class ConfigError extends HarnessError {
  readonly problems: readonly ValidationProblem[];

  constructor(what: string, problems: readonly ValidationProblem[]) {
    const lines = problems.map((p) => `  - ${p.path || '(root)'}: ${p.message}`).join('\n');
    super('NH_CONFIG_INVALID', `Invalid ${what}: ${problems.length} problem(s).\n${lines}`);
    this.problems = problems;
  }
}

/** Keys that would make a dotted path ambiguous are quoted: `executors["my executor"]`. */
const PLAIN_KEY = /^[^\s.[\]"]+$/;

/** Renders a zod path as `a.b[2].c` (`a["odd key"]` for keys with spaces, dots or brackets). */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (!PLAIN_KEY.test(String(part))) out += `[${JSON.stringify(String(part))}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The value found at `path` in `input`, or undefined when the path does not exist. */
function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const part of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

/**
 * Parses `input` with `schema`; on failure throws a {@link ConfigError} naming every bad
 * field, the value found there and what was expected.
 *
 * @example
 * const config = parseWithSchema(mockConfigSchema, JSON.parse(text), 'mock configuration');
 */
export function parseWithSchema<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems: ValidationProblem[] = [];
  for (const issue of result.error.issues) collectProblems(issue, [], input, problems);
  throw new ConfigError(what, problems);
}

/** A zod issue as far as the formatter needs it (unions nest the issues of each branch). */
interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  keys?: string[];
  errors?: Issue[][];
  /** `invalid_key`: what was wrong with the record's key. */
  issues?: Issue[];
}

/**
 * Turns one zod issue into problems. For a union that failed every branch, reports the
 * branch that got furthest into the value (so `limits.perMinute.limit` is named, not just
 * `limits`); unknown keys are reported one by one with their own path.
 */
function collectProblems(
  issue: Issue,
  prefix: PropertyKey[],
  input: unknown,
  out: ValidationProblem[],
): void {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors && issue.errors.length > 0) {
    const depth = (branch: Issue[]) => Math.max(...branch.map((i) => i.path.length));
    const best = issue.errors.reduce((a, b) => (depth(b) > depth(a) ? b : a));
    if (depth(best) > 0) {
      for (const inner of best) collectProblems(inner, path, input, out);
      return;
    }
  }
  if (issue.code === 'invalid_key' && issue.issues && issue.issues.length > 0) {
    const key = path.at(-1);
    for (const inner of issue.issues) {
      push(out, { path: formatPath(path), message: `${inner.message} (got key ${describeValue(key)})` });
    }
    return;
  }
  if (issue.code === 'unrecognized_keys' && issue.keys) {
    for (const key of issue.keys) push(out, { path: formatPath([...path, key]), message: 'unknown field' });
    return;
  }
  push(out, {
    path: formatPath(path),
    message: `${plain(issue.message)} (got ${describeValue(valueAt(input, path))})`,
  });
}

/** Adds a problem unless the same one is already listed (two failed checks of one field often say the same). */
function push(out: ValidationProblem[], problem: ValidationProblem): void {
  if (!out.some((p) => p.path === problem.path && p.message === problem.message)) out.push(problem);
}

/** zod's stock messages without their headline: `Too big: expected number to be <=1` → `expected number to be <=1`. */
function plain(message: string): string {
  return message.replace(/^(?:Too small|Too big|Invalid input|Invalid option): /, '');
}
