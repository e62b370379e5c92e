/**
 * The bench runner: `npm run bench` runs every `bench/*.bench.ts` in the default set (all
 * but those with `defaultSet: false`, e.g. the 10-minute soak), `npm run bench -- NAME …` only
 * those named, opt-in ones included. Prints a table of results to stdout (progress goes to
 * stderr) and writes every row of the benches that ran to `bench/results/latest.json`.
 *
 * Exit codes: 0 ok, 2 unknown bench name, 1 a bench failed (the others still run and are
 * written).
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { usePlainNodeEnv } from './lib/plain-node-env.js';
import { formatTable } from './lib/table.js';
import { type Bench, type BenchResult, isBench } from './lib/types.js';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const resultsFile = join(benchDir, 'results', 'latest.json');

/** Imports every `*.bench.ts` beside this file, sorted by file name so runs are in a stable order. */
async function discover(): Promise<Bench[]> {
  const files = readdirSync(benchDir)
    .filter((f) => f.endsWith('.bench.ts'))
    .sort();
  const benches: Bench[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(benchDir, file)).href)) as { default?: unknown };
    const bench = mod.default;
    if (!isBench(bench)) {
      throw new Error(
        `Failed to load bench/${file}: its default export is not { name, run }. Export a Bench.`,
      );
    }
    if (benches.some((b) => b.name === bench.name)) {
      throw new Error(`Failed to load bench/${file}: another bench is already named '${bench.name}'.`);
    }
    benches.push(bench);
  }
  return benches;
}

async function main(names: string[]): Promise<number> {
  const all = await discover();
  const unknown = names.filter((n) => !all.some((b) => b.name === n));
  if (unknown.length > 0) {
    const available = all
      .map(
        (b) =>
          `  ${b.name}${b.defaultSet === false ? ' (opt-in: runs only when named)' : ''}` +
          `${b.description ? ` — ${b.description}` : ''}`,
      )
      .join('\n');
    process.stderr.write(`Unknown bench: ${unknown.join(', ')}. Available benches:\n${available}\n`);
    return 2;
  }
  const selected =
    names.length > 0 ? all.filter((b) => names.includes(b.name)) : all.filter((b) => b.defaultSet !== false);
  process.stderr.write(`${usePlainNodeEnv()}\n`);
  const results: BenchResult[] = [];
  let failed = 0;
  for (const bench of selected) {
    process.stderr.write(`\n▶ ${bench.name}${bench.description ? `: ${bench.description}` : ''}\n`);
    try {
      results.push(...(await bench.run()));
    } catch (err) {
      failed++;
      process.stderr.write(`✗ ${bench.name} failed: ${(err as Error)?.stack ?? String(err)}\n`);
    }
  }
  mkdirSync(join(benchDir, 'results'), { recursive: true });
  writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(
    `\n${formatTable(results)}\n\nWrote ${results.length} result(s) to bench/results/latest.json\n`,
  );
  return failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`${(err as Error)?.stack ?? String(err)}\n`);
    process.exitCode = 1;
  },
);
