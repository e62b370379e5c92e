/**
 * Orders two strings by their UTF-16 code units, the way `Array.prototype.sort` does by default:
 * the same order on every machine and locale (names in a report must not move between a laptop
 * and CI), and no ICU collator to load, which `localeCompare` costs a fresh process (~7 ms).
 *
 * @example
 * ['b', 'a', 'B'].sort(byCodeUnits) // ['B', 'a', 'b']
 */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
