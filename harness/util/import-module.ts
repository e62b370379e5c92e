/**
 * `import(specifier)` of a module known only at run time (a user's scenario file), in one named
 * place. The bin runs as one script compiled by `node:vm` (scripts/cli-loader.mjs) and Node 20
 * lets such a script's own `import()` through only behind --experimental-vm-modules; the bin's
 * build (scripts/bundle-cli.mjs) puts the loader's `import()` here instead. Everywhere else
 * (the sources under tsx, the library build) it is the plain `import()` below.
 *
 * @example
 * const mod = (await importModule(pathToFileURL(file).href)) as { default?: unknown };
 */
export function importModule(specifier: string): Promise<unknown> {
  return import(specifier);
}
