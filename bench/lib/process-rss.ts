import { readFileSync } from 'node:fs';

/**
 * Resident set size of a process now, kB, from the `VmRSS:` line of `/proc/PID/status`;
 * `null` where there is no procfs or the process has gone.
 *
 * @example
 * const rssMb = (processRssKb(child.pid) ?? Number.NaN) / 1024;
 */
export function processRssKb(pid: number): number | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null;
  }
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) : null;
}
