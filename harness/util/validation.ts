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

/** Renders a zod path as `a.b[2].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
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

/**
 * Parses `input` with `schema`; on failure throws a {@link ConfigError} naming every bad
 * field, the value found there and what was expected.
 *
 * @example
 * const config = parseWithSchema(mockConfigSchema, JSON.parse(text), 'mock configuration');
 */
export function parseWithSchema<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: `${issue.message} (got ${describeValue(issue.input)})`,
  }));
  throw new ConfigError(what, problems);
}
