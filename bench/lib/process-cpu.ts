import { readFileSync } from 'node:fs';

/** Linux reports process times in clock ticks; USER_HZ is 100 on every mainstream kernel. */
const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system) a process has used so far, in ms, from `/proc/PID/stat`; `null`
 * where there is no procfs. Used to compare servers by CPU per request, a figure far less
 * disturbed by other load on the machine than requests per second.
 *
 * @example
 * const before = processCpuMs(pid); await load(...); const used = processCpuMs(pid)! - before!;
 */
export function processCpuMs(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // Fields after the command name (which may contain spaces) start at "state"; utime and
  // stime are fields 14 and 15 of the whole line, i.e. 11 and 12 after the name.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}
