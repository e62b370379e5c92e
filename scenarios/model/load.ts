import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../../harness/util/validation.js';
import { findJsonSyntaxError } from './json-syntax.js';
import { type Scenario, validateScenario } from './scenario.js';

const MODULE_EXTENSIONS = new Set(['.ts', '.mts', '.js', '.mjs']);

function fileProblem(file: string, message: string): ConfigError {
  return new ConfigError(`scenario file ${file}`, [{ path: '', message }]);
}

/**
 * Parses the text of a JSON scenario file. A syntax error becomes a `ConfigError` naming the
 * file, line and column (`scenario.json:4:17: expected ',' or '}' after a property, found '"'`).
 *
 * @example
 * const raw = parseScenarioJson(await readFile(file, 'utf8'), file);
 */
export function parseScenarioJson(text: string, file: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (err) {
    const where = findJsonSyntaxError(body);
    const location = where
      ? `${file}:${where.line}:${where.column}: ${where.reason}`
      : `${file}: ${String(err)}`;
    throw fileProblem(file, `JSON syntax error at ${location}. Fix the file and run again.`);
  }
}

/**
 * Loads and validates a scenario file: `.json`, or a module (`.ts`, `.mts`, `.js`, `.mjs`)
 * whose default export is the scenario (see `defineScenario`). TypeScript files are imported
 * as they are, so the process must be able to load TypeScript (tsx, vitest). Every problem
 * (missing file, JSON syntax with line and column, each invalid field) is reported as a
 * `ConfigError` whose message names the file.
 *
 * @example
 * const scenario = await loadScenarioFile('scenarios/steady.json');
 */
export async function loadScenarioFile(path: string): Promise<Scenario> {
  return validateScenario(await loadScenarioInput(path), `scenario file ${path}`);
}

/**
 * Reads a scenario file as {@link loadScenarioFile} does, without validating it: the JSON
 * value or the module's default export, as written. For callers that check more than the
 * scenario's own schema (the CLI also parses the thresholds) and report all problems at once.
 * A file that cannot be read or parsed throws the same `ConfigError` as `loadScenarioFile`.
 *
 * @example
 * const raw = await loadScenarioInput('scenarios/steady.json');
 */
export async function loadScenarioInput(path: string): Promise<unknown> {
  const ext = extname(path).toLowerCase();
  let raw: unknown;
  if (ext === '.json') {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw fileProblem(path, `cannot read the file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
    }
    raw = parseScenarioJson(text, path);
  } else if (MODULE_EXTENSIONS.has(ext)) {
    let mod: { default?: unknown };
    try {
      mod = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const hint =
        code === 'ERR_UNKNOWN_FILE_EXTENSION'
          ? ' Run under tsx (npx tsx …) to load TypeScript, or use a .json scenario.'
          : '';
      throw fileProblem(path, `cannot import the module: ${(err as Error).message ?? String(err)}.${hint}`);
    }
    if (mod.default === undefined) {
      throw fileProblem(path, 'expected a default export: export default defineScenario({ … })');
    }
    raw = mod.default;
  } else {
    throw fileProblem(path, `expected a .json, .ts, .mts, .js or .mjs file (got "${ext || 'no extension'}")`);
  }
  return raw;
}
