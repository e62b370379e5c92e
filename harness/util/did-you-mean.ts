/**
 * The candidate closest to a misspelt `input` (a command, flag, scenario, operation or field
 * name), or `undefined` when none is close enough to be a likely typo.
 *
 * "Close" is, in this order: equal ignoring case; `input` a prefix of exactly one candidate
 * (at least 3 characters typed, e.g. `rate-limit` → `rate-limit-storm`); or an edit distance
 * (insert, delete or substitute one character, or swap two adjacent ones) of at most 1 for names up to 5
 * characters and 2 beyond. A tie goes to the earlier candidate.
 *
 * @example
 * didYouMean('smok', ['smoke', 'steady']);        // 'smoke'
 * didYouMean('sendMesage', ['sendMessage', 'poll']); // 'sendMessage'
 * didYouMean('xyz', ['smoke', 'steady']);         // undefined
 */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  const lower = input.toLowerCase();
  const sameCase = list.find((c) => c.toLowerCase() === lower);
  if (sameCase !== undefined) return sameCase;
  if (input.length >= 3) {
    const prefixed = list.filter((c) => c.toLowerCase().startsWith(lower));
    if (prefixed.length === 1) return prefixed[0];
  }
  let best: string | undefined;
  let bestDistance = input.length <= 5 ? 1 : 2;
  for (const candidate of list) {
    // Cheap bound first: the distance is at least the difference in length.
    if (Math.abs(candidate.length - input.length) > bestDistance) continue;
    const d = editDistance(lower, candidate.toLowerCase());
    if (d < bestDistance || (d === bestDistance && best === undefined)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * ` Did you mean "x"?` for a misspelt name, or `''`: the suffix error messages append.
 *
 * @example
 * `Unknown scenario "smok".${didYouMeanHint('smok', names)}` // 'Unknown scenario "smok". Did you mean "smoke"?'
 */
export function didYouMeanHint(input: string, candidates: Iterable<string>): string {
  const near = didYouMean(input, candidates);
  return near === undefined ? '' : ` Did you mean "${near}"?`;
}

/**
 * Edit distance between two strings (UTF-16 units): the fewest insertions, deletions,
 * substitutions and swaps of two adjacent characters that turn `a` into `b` (the "optimal
 * string alignment" variant of Damerau–Levenshtein, so `vsu` → `vus` is 1, as a typo is).
 *
 * @example
 * editDistance('kitten', 'sitting'); // 3
 * editDistance('vsu', 'vus');        // 1
 */
export function editDistance(a: string, b: string): number {
  // Three rows: the one before the previous is needed for swaps.
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (before[j - 2] as number) + 1);
      }
      row[j] = d;
    }
    before = prev;
    prev = row;
  }
  return prev[b.length] as number;
}
