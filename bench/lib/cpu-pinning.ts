import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';

/**
 * Which cores a bench's processes run on: the target (the mock) on one, the load generators
 * on the others, each process started under `taskset -c`.
 *
 * Why: on a small machine the generator and the target share the cores, and where the
 * scheduler puts them (together on one core, or apart) changes both processes' cost per
 * request from run to run. A bench that compares two generators gives each the same core,
 * never the target's, so placement drops out of the comparison without favouring either.
 * What it cannot remove is the machine's own drift (on the 2-core VM these benches are
 * written for, a pure CPU loop's time moves ±15 % from run to run): benches still alternate
 * rounds for that.
 */
export interface CpuPinning {
  /** `taskset -c` list of the target's core, e.g. `1`. */
  readonly target: string;
  /** `taskset -c` list of the generators' cores, e.g. `0`. */
  readonly generator: string;
}

/**
 * The pinning for this machine, or `null` with the reason when there is none: fewer than 2
 * cores, no working `taskset` (util-linux), or `BENCH_PIN_CPUS=off`.
 *
 * @example
 * const pinning = cpuPinning();
 * if ('reason' in pinning) console.log(`not pinned: ${pinning.reason}`);
 */
export function cpuPinning(): CpuPinning | { reason: string } {
  if (process.env.BENCH_PIN_CPUS === 'off') return { reason: 'BENCH_PIN_CPUS=off' };
  const cores = availableParallelism();
  if (cores < 2) return { reason: `${cores} core available` };
  const probe = spawnSync('taskset', ['-c', '0', process.execPath, '-e', '0'], { stdio: 'ignore' });
  if (probe.error !== undefined || probe.status !== 0) {
    return { reason: 'taskset (util-linux) is missing or cannot set affinity here' };
  }
  const last = cores - 1;
  return { target: String(last), generator: last === 1 ? '0' : `0-${last - 1}` };
}

/**
 * The command and arguments that start `process.execPath args…`, under `taskset -c cpus` when
 * `cpus` is set. `taskset` execs node, so the child's pid is node's.
 *
 * @example
 * const [command, argv] = nodeCommand('0', ['dist/cli/main.js', 'list']);
 * spawn(command, argv);
 */
export function nodeCommand(cpus: string | undefined, args: readonly string[]): [string, string[]] {
  if (cpus === undefined) return [process.execPath, [...args]];
  return ['taskset', ['-c', cpus, process.execPath, ...args]];
}
