import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../../harness/util/validation.js';
import { findJsonSyntaxError } from './json-syntax.js';
import { type Scenario, validateScenario } from './scenario.js';

const MODULE_EXTENSIONS = new Set(['.ts', '.mts', '.js', '.mjs']);
const TYPESCRIPT_EXTENSIONS = new Set(['.ts', '.mts']);

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

/** `ERR_UNKNOWN_FILE_EXTENSION`: this process has no TypeScript loader (plain `node`). */
function isUnknownExtension(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'ERR_UNKNOWN_FILE_EXTENSION';
}

/**
 * A module's namespace, unwrapped once more when tsx compiled it as CommonJS (a `.ts` file in
 * a package without `"type": "module"`): its `default` is then `module.exports`.
 */
function esmNamespace(mod: { default?: unknown }): { default?: unknown } {
  const inner = mod.default as { __esModule?: unknown; default?: unknown } | null | undefined;
  return typeof inner === 'object' && inner !== null && inner.__esModule === true && 'default' in inner
    ? (inner as { default?: unknown })
    : mod;
}

/**
 * Imports a scenario module. A TypeScript file is first imported as it is (under tsx or
 * vitest that works); only when the process cannot load TypeScript (the installed CLI on
 * plain node) is tsx's loader brought in, scoped to this one import (`tsImport`): loading it
 * costs tens of milliseconds, so it happens on demand, never at startup, and leaves how the
 * rest of the process loads modules unchanged.
 */
async function importScenarioModule(path: string, typescript: boolean): Promise<{ default?: unknown }> {
  const url = pathToFileURL(resolve(path)).href;
  try {
    return esmNamespace((await import(url)) as { default?: unknown });
  } catch (err) {
    if (!(typescript && isUnknownExtension(err))) throw importProblem(path, err);
  }
  let tsImport: (specifier: string, parent: string) => Promise<unknown>;
  try {
    ({ tsImport } = (await import('tsx/esm/api')) as {
      tsImport: (specifier: string, parent: string) => Promise<unknown>;
    });
  } catch (err) {
    throw fileProblem(
      path,
      `cannot load TypeScript: the tsx package could not be loaded (${(err as Error).message ?? String(err)}). ` +
        'Install it (npm install tsx), compile the scenario to .js, or use a .json scenario.',
    );
  }
  try {
    return esmNamespace((await tsImport(url, import.meta.url)) as { default?: unknown });
  } catch (err) {
    throw importProblem(path, err);
  }
}

function importProblem(path: string, err: unknown): ConfigError {
  return fileProblem(path, `cannot import the module: ${(err as Error)?.message ?? String(err)}.`);
}

/**
 * Loads and validates a scenario file: `.json`, or a module (`.ts`, `.mts`, `.js`, `.mjs`)
 * whose default export is the scenario (see `defineScenario`). TypeScript files load under
 * tsx or vitest as they are, and with plain node (the installed CLI) through tsx's loader,
 * registered only for that import. Every problem
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
    const mod = await importScenarioModule(path, TYPESCRIPT_EXTENSIONS.has(ext));
    if (mod.default === undefined) {
      throw fileProblem(path, 'expected a default export: export default defineScenario({ … })');
    }
    raw = mod.default;
  } else {
    throw fileProblem(path, `expected a .json, .ts, .mts, .js or .mjs file (got "${ext || 'no extension'}")`);
  }
  return raw;
}
