/**
 * Parses a k6 (Go-style) duration such as `10s`, `1m30s`, `500ms`, `1.5h` into ms.
 * Units: `ms`, `s`, `m`, `h`. Returns NaN for anything else.
 *
 * @example
 * parseDurationMs('1m30s'); // 90_000
 * parseDurationMs('10'); // NaN (a unit is required)
 */
export function parseDurationMs(text: string): number {
  const trimmed = text.trim();
  if (!/^(?:\d+(?:\.\d+)?(?:ms|s|m|h))+$/.test(trimmed)) return Number.NaN;
  const unitMs: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const match of trimmed.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(match[1]) * unitMs[match[2]!]!;
  }
  return total;
}
