import { randomBytes } from 'node:crypto';

/**
 * A new run id: the UTC start to the second, then 6 random hex digits, so ids sort by time and
 * two runs started in the same second still differ. Also the default result folder's name.
 *
 * @example
 * newRunId(); // '20261201T111425Z-4a7a38'
 */
export function newRunId(): string {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}
