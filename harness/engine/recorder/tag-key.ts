import type { Tags } from '../types.js';

/**
 * The canonical string of a tag set: its entries sorted by tag name, JSON-encoded. Two tag
 * objects with the same entries in any order give the same key; the empty set gives `[]`.
 * Used once per handle lookup, never on the hot path.
 *
 * @example
 * canonicalTagKey({ status: '2xx', op: 'send' }); // '[["op","send"],["status","2xx"]]'
 */
export function canonicalTagKey(tags: Tags): string {
  const names = Object.keys(tags).sort();
  const entries: [string, string][] = [];
  for (const name of names) entries.push([name, String(tags[name])]);
  return JSON.stringify(entries);
}

/**
 * A frozen copy of `tags` with its entries in sorted order (as stored in the recorder and
 * written to results), so output is stable whatever order the caller used.
 *
 * @example
 * sortedTags({ status: '2xx', op: 'send' }); // { op: 'send', status: '2xx' }
 */
export function sortedTags(tags: Tags): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(tags).sort()) out[name] = String(tags[name]);
  return Object.freeze(out);
}
