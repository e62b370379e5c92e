/** The values one side produced, one per round, and their arithmetic mean. */
export interface SideResult {
  values: number[];
  mean: number;
}

export interface AlternateRoundsOptions {
  /** Number of rounds; each runs both sides once. At least 1. */
  rounds: number;
  /** Measures side A once and returns its figure (e.g. requests/s). */
  a: () => Promise<number>;
  /** Measures side B once and returns its figure. */
  b: () => Promise<number>;
  /** Called after each round, e.g. to print progress. `round` counts from 1. */
  onRound?: (round: number, a: number, b: number) => void;
}

/**
 * Measures A and B alternately for `rounds` rounds and returns each side's per-round values and
 * mean. Sides are never measured at the same time (they would compete for the CPU), and the
 * order flips every round (AB, BA, AB, …) so neither side always runs on a warmer or cooler
 * machine.
 *
 * @example
 * const { a, b } = await alternateRounds({ rounds: 3, a: () => measure(mockUrl), b: () => measure(bareUrl) });
 * console.log(`ratio ${a.mean / b.mean}`);
 */
export async function alternateRounds(
  options: AlternateRoundsOptions,
): Promise<{ a: SideResult; b: SideResult }> {
  if (!Number.isInteger(options.rounds) || options.rounds < 1) {
    throw new RangeError(`Failed to run rounds: rounds must be an integer ≥ 1 (got ${options.rounds}).`);
  }
  const aValues: number[] = [];
  const bValues: number[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    let a: number;
    let b: number;
    if (round % 2 === 1) {
      a = await options.a();
      b = await options.b();
    } else {
      b = await options.b();
      a = await options.a();
    }
    aValues.push(a);
    bValues.push(b);
    options.onRound?.(round, a, b);
  }
  return { a: side(aValues), b: side(bValues) };
}

function side(values: number[]): SideResult {
  return { values, mean: values.reduce((sum, v) => sum + v, 0) / values.length };
}
