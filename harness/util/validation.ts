import type { z } from 'zod';
import { didYouMean } from './did-you-mean.js';
import { ERROR_CODES, HarnessError } from './errors.js';

/** One problem found in user input: where, what was there, what was expected. */
export interface ValidationProblem {
  /** Dotted field path, e.g. `limits.perMinute.limit` or `faults[2].probability`. */
  path: string;
  message: string;
  /**
   * What is allowed instead, when known (e.g. for an unknown field: the closest allowed name
   * and the list of them). Shown after `message` in the error text, starting with its own
   * separator (` (did you mean "x"?); expected one of …`).
   */
  hint?: string;
}

/**
 * Thrown when a configuration, scenario or flag set is invalid. It lists *every* problem,
 * not just the first, so a user fixes their file in one pass.
 */
export class ConfigError extends HarnessError {
  readonly problems: readonly ValidationProblem[];

  constructor(what: string, problems: readonly ValidationProblem[]) {
    const lines = problems.map((p) => `  - ${p.path || '(root)'}: ${p.message}${p.hint ?? ''}`).join('\n');
    super(ERROR_CODES.configInvalid, `Invalid ${what}: ${problems.length} problem(s).\n${lines}`);
    this.problems = problems;
  }
}

/**
 * Type guard for {@link ConfigError} (code `NH_CONFIG_INVALID`), from any copy of the package.
 *
 * @example
 * catch (err) { if (isConfigError(err)) for (const p of err.problems) console.error(p.path, p.message); }
 */
export function isConfigError(value: unknown): value is ConfigError {
  return HarnessError.is(value) && value.code === ERROR_CODES.configInvalid;
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

/** Field names whose values are secrets (as the result document's redaction names them). */
const SECRET_FIELD = /^(apiKeys?|.*(token|secret|password))$/i;

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
  const shape = shapeProblems(input);
  // Too deep: the schema must not walk it at all. A reserved key: report it with the rest.
  if (shape.some((p) => p.tooDeep)) throw new ConfigError(what, shape);
  const result = schema.safeParse(input);
  if (result.success && shape.length === 0) return result.data;
  const problems: ValidationProblem[] = shape.map(({ path, message }) => ({ path, message }));
  const found: ValidationProblem[] = [];
  if (!result.success)
    for (const issue of result.error.issues) collectProblems(issue, [], input, found, schema);
  problems.push(...found.filter((p) => !shape.some((s) => s.path === p.path)));
  throw new ConfigError(what, problems);
}

/**
 * How deep objects and arrays may nest in configuration input. A scenario is about 6 levels
 * deep; the bound keeps a hostile or broken file (10,000 nested `[`) from overflowing the
 * stack of the schema walk and of the error formatter.
 *
 * @example
 * if (depth > MAX_INPUT_DEPTH) problems.push({ path, message: `nested deeper than ${MAX_INPUT_DEPTH} levels` });
 */
export const MAX_INPUT_DEPTH = 64;

/**
 * Keys that cannot be stored as plain data: assigning `__proto__` to an object changes its
 * prototype instead of adding a field, so a `thresholds.__proto__` or `mix.__proto__` would
 * vanish silently. They are refused wherever they appear.
 */
const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__']);

/**
 * What is wrong with the shape of `input` before any schema looks at it: nesting deeper than
 * {@link MAX_INPUT_DEPTH}, and {@link RESERVED_KEYS} as own keys anywhere. Iterative, so it
 * cannot overflow the stack itself.
 */
function shapeProblems(input: unknown): (ValidationProblem & { tooDeep?: true })[] {
  const problems: (ValidationProblem & { tooDeep?: true })[] = [];
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value: input, path: [] }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    if (typeof value !== 'object' || value === null) continue;
    if (path.length >= MAX_INPUT_DEPTH) {
      problems.push({
        path: formatPath(path.slice(0, 8)) + (path.length > 8 ? '…' : ''),
        message: `nested deeper than ${MAX_INPUT_DEPTH} levels of objects and arrays; a scenario needs fewer than 10`,
        tooDeep: true,
      });
      break; // one such problem is enough, and the walk below it is what must not happen
    }
    for (const key of Object.keys(value)) {
      const child = Array.isArray(value) ? Number(key) : key;
      if (RESERVED_KEYS.has(key)) {
        problems.push({
          path: formatPath([...path, key]),
          message: `"${key}" is not allowed as a name (it cannot be stored as data); rename or remove it`,
        });
        continue;
      }
      stack.push({ value: (value as Record<string, unknown>)[key], path: [...path, child] });
    }
  }
  return problems;
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
  schema: z.ZodType,
): void {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors && issue.errors.length > 0) {
    const depth = (branch: Issue[]) => Math.max(...branch.map((i) => i.path.length));
    const best = issue.errors.reduce((a, b) => (depth(b) > depth(a) ? b : a));
    if (depth(best) > 0) {
      for (const inner of best) collectProblems(inner, path, input, out, schema);
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
    const allowed = allowedKeys(schema, path, input);
    for (const key of issue.keys) {
      const problem: ValidationProblem = { path: formatPath([...path, key]), message: 'unknown field' };
      if (allowed && allowed.length > 0) {
        const near = didYouMean(key, allowed);
        problem.hint = `${near ? ` (did you mean "${near}"?)` : ''}; expected one of ${allowed.join(', ')}`;
      }
      push(out, problem);
    }
    return;
  }
  // A field that holds keys or tokens never has its value quoted: a wrong-typed key is still a key.
  const secret = path.some((part) => typeof part === 'string' && SECRET_FIELD.test(part));
  push(out, {
    path: formatPath(path),
    message: `${plain(issue.message)} (${secret ? 'value not shown: it may be a key' : `got ${describeValue(valueAt(input, path))}`})`,
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

/** The parts of zod's schema definitions that {@link allowedKeys} walks. */
interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  valueType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  discriminator?: string;
  getter?: () => z.ZodType;
  values?: unknown[];
}
const defOf = (schema: z.ZodType | undefined): SchemaDef | undefined =>
  (schema as unknown as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;

/** Looks through wrappers (optional, default, pipe, lazy…) and picks the union member that fits `value`. */
function unwrap(schema: z.ZodType | undefined, value: unknown): z.ZodType | undefined {
  for (let guard = 0; schema !== undefined && guard < 32; guard++) {
    const def = defOf(schema);
    if (def === undefined) return undefined;
    if (def.innerType) schema = def.innerType;
    else if (def.type === 'pipe') schema = def.in;
    else if (def.type === 'lazy' && def.getter) schema = def.getter();
    else if (def.type === 'union' && def.options) {
      const objects = def.options.filter((o) => defOf(unwrap(o, value))?.type === 'object');
      const tag = def.discriminator;
      const wanted =
        tag && typeof value === 'object' && value !== null
          ? (value as Record<string, unknown>)[tag]
          : undefined;
      const match = objects.find((o) => {
        const field = defOf(unwrap(o, value))?.shape?.[tag ?? ''];
        return defOf(field)?.values?.includes(wanted) ?? false;
      });
      schema = match ?? (objects.length === 1 ? objects[0] : undefined);
    } else return schema;
  }
  return schema;
}

/** The field names the object schema at `path` accepts, or undefined if the schema cannot be followed there. */
function allowedKeys(root: z.ZodType, path: readonly PropertyKey[], input: unknown): string[] | undefined {
  try {
    let schema: z.ZodType | undefined = root;
    let value = input;
    for (const part of path) {
      schema = unwrap(schema, value);
      const def = defOf(schema);
      if (def?.type === 'object') schema = def.shape?.[String(part)];
      else if (def?.type === 'record') schema = def.valueType;
      else if (def?.type === 'array') schema = def.element;
      else return undefined;
      value =
        typeof value === 'object' && value !== null
          ? (value as Record<PropertyKey, unknown>)[part]
          : undefined;
    }
    const def = defOf(unwrap(schema, value));
    return def?.type === 'object' && def.shape ? Object.keys(def.shape) : undefined;
  } catch {
    return undefined; // a schema shape this walker does not know: the plain message is still right
  }
}
