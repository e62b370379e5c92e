import type { ChildProcess } from 'node:child_process';

/** Children started by the cold benches that have not exited yet. */
const live = new Set<ChildProcess>();
let installed = false;

function killAll(): void {
  for (const child of live) child.kill('SIGKILL');
}

/**
 * Registers `child` so it cannot outlive this process: it is SIGKILLed when this process
 * exits (however it exits, short of a SIGKILL of its own) or gets SIGINT/SIGTERM, which then
 * ends this process with 128 + the signal's number, as a shell expects. A bench still stops
 * its children itself (try/finally); this is the net under that.
 *
 * @example
 * const child = trackChild(spawn(process.execPath, ['server.js']));
 */
export function trackChild<C extends ChildProcess>(child: C): C {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!installed) {
    installed = true;
    process.on('exit', killAll);
    for (const [signal, number] of [
      ['SIGINT', 2],
      ['SIGTERM', 15],
    ] as const) {
      process.once(signal, () => {
        process.stderr.write(`\n${signal}: stopping ${live.size} bench child process(es)\n`);
        killAll();
        process.exit(128 + number);
      });
    }
  }
  return child;
}
