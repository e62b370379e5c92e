/**
 * One figure a bench reports. A row of the printed table and of `bench/results/latest.json`.
 *
 * @example
 * const row: BenchResult = { name: 'mock-http rps', value: 9_500, unit: 'req/s', baseline: 11_000, ratio: 0.864 };
 */
export interface BenchResult {
  /** What was measured, e.g. `mock-http rps`. Unique across all benches. */
  name: string;
  value: number;
  /** Unit of `value` (and of `baseline`), e.g. `req/s`, `ms`, `ratio`. */
  unit: string;
  /** The same figure for the reference implementation, measured in the same run; null if none. */
  baseline: number | null;
  /** `value / baseline` (higher is better for throughputs); null if there is no baseline. */
  ratio: number | null;
}

/**
 * What a `bench/*.bench.ts` file exports as `default`. The runner discovers these files and
 * runs the ones asked for by `name`.
 *
 * @example
 * const bench: Bench = {
 *   name: 'parse-headers',
 *   description: 'rate-limit header parsing vs a regex baseline',
 *   run: async () => [{ name: 'parse-headers ops/s', value: 1e6, unit: 'ops/s', baseline: null, ratio: null }],
 * };
 * export default bench;
 */
export interface Bench {
  /** How `npm run bench -- NAME` selects it: short, kebab-case, unique. */
  name: string;
  description?: string;
  /**
   * Whether a bare `npm run bench` runs it. Default true; false for a bench too long for every
   * run (e.g. a 10-minute soak), which then runs only when named: `npm run bench -- NAME`.
   */
  defaultSet?: boolean;
  /** Measures and returns its rows. Throws if the measurement is invalid (e.g. errors under load). */
  run: () => Promise<BenchResult[]>;
}

/** True if `value` looks like a {@link Bench} (checked on what a bench file exports). */
export function isBench(value: unknown): value is Bench {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.name === 'string' &&
    v.name !== '' &&
    typeof v.run === 'function' &&
    (v.defaultSet === undefined || typeof v.defaultSet === 'boolean')
  );
}
