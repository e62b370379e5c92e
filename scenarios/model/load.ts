import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importModule } from '../../harness/util/import-module.js';
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
 * A module's namespace, unwrapped once more when it was compiled as CommonJS: its `default`
 * is then `module.exports`.
 */
function esmNamespace(mod: { default?: unknown }): { default?: unknown } {
  const inner = mod.default as { __esModule?: unknown; default?: unknown } | null | undefined;
  return typeof inner === 'object' && inner !== null && inner.__esModule === true && 'default' in inner
    ? (inner as { default?: unknown })
    : mod;
}

/** The tsx namespace `.ts` scenarios load in (tsx's own query parameter marks each URL with it). */
const SCENARIO_NAMESPACE = 'nexus-harness-scenario';

/**
 * A resolve hook, registered after tsx's, that makes every `.ts` file loaded in
 * {@link SCENARIO_NAMESPACE} an ES module, whatever the nearest package.json's `type` says:
 * tsx would compile a `.ts` file of a `"type": "commonjs"` project (npm init's default) to
 * CommonJS, whose `require('nexus-harness/engine')` the package's import-only `exports`
 * refuse. The URL is rebuilt without tsx's CommonJS markers so tsx's load hook transforms the
 * file as ESM. Plain JavaScript, as a data: URL: the hooks thread has no TypeScript loader.
 */
const FORCE_ESM_HOOK = `
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  if (!resolved.url.startsWith('file:')) return resolved;
  const url = new URL(resolved.url);
  if (url.searchParams.get('tsx-namespace') !== ${JSON.stringify(SCENARIO_NAMESPACE)}) return resolved;
  const path = url.pathname.replace(/%3F.*$/i, '');
  if (!/\\.ts$/i.test(path)) return resolved;
  url.pathname = path;
  url.searchParams.delete('tsx-commonjs-virtual-query');
  url.searchParams.delete('tsx-commonjs-export-preparse');
  return { ...resolved, url: url.href, format: 'module' };
}
`;

type ScopedImport = (specifier: string, parent: string) => Promise<unknown>;
let esmTsImport: Promise<ScopedImport> | undefined;

/**
 * tsx's loader in a namespace of its own, with {@link FORCE_ESM_HOOK} after it; registered
 * once, on the first `.ts` scenario, never at startup (loading tsx costs tens of milliseconds),
 * and scoped to that namespace, so how the rest of the process loads modules is unchanged.
 */
function scenarioTsImport(): Promise<ScopedImport> {
  esmTsImport ??= (async () => {
    const [{ register: registerTsx }, { register: registerHook }] = await Promise.all([
      // tsx's ES build (its CommonJS build of this entry cannot load its own ES half), also from
      // the CommonJS bundle of the bin: through importModule, not a bundled require().
      importModule('tsx/esm/api') as Promise<{
        register(options: { namespace: string }): { import: ScopedImport };
      }>,
      import('node:module'),
    ]);
    const api = registerTsx({ namespace: SCENARIO_NAMESPACE });
    registerHook(`data:text/javascript,${encodeURIComponent(FORCE_ESM_HOOK)}`);
    return (specifier, parent) => api.import(specifier, parent);
  })();
  esmTsImport.catch(() => {
    esmTsImport = undefined;
  });
  return esmTsImport;
}

/**
 * Imports a scenario module. A `.ts` file always loads through tsx's loader as an ES module
 * ({@link scenarioTsImport}), so it works in a CommonJS project too (a `.ts` file there would
 * otherwise be compiled to CommonJS, and its `import … from 'nexus-harness/engine'` refused).
 * A `.mts`, `.js` or `.mjs` file is imported as it is; a `.mts` file falls back to tsx only
 * when the process cannot load TypeScript (the installed CLI on plain node).
 */
async function importScenarioModule(path: string, ext: string): Promise<{ default?: unknown }> {
  const url = pathToFileURL(resolve(path)).href;
  if (ext === '.mts' || !TYPESCRIPT_EXTENSIONS.has(ext)) {
    try {
      return esmNamespace((await importModule(url)) as { default?: unknown });
    } catch (err) {
      if (!(ext === '.mts' && isUnknownExtension(err))) throw importProblem(path, err);
    }
  }
  let tsImport: ScopedImport;
  try {
    tsImport = await scenarioTsImport();
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
 * whose default export is the scenario (see `defineScenario`). A `.ts` file loads through tsx's
 * loader, registered on first use for scenario files only, always as an ES module (whatever
 * the project's package.json `type`). Every problem
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
    const mod = await importScenarioModule(path, ext);
    if (mod.default === undefined) {
      throw fileProblem(path, 'expected a default export: export default defineScenario({ … })');
    }
    raw = mod.default;
  } else {
    throw fileProblem(path, `expected a .json, .ts, .mts, .js or .mjs file (got "${ext || 'no extension'}")`);
  }
  return raw;
}
