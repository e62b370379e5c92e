/**
 * Runs many `nexus-harness` invocations in one process, one after the other, through
 * `runCli`: for tests that need a process of their own (a heap limit, CPU accounting) but
 * not one per case. Usage: `node --import tsx test/support/cli-batch.ts '<JSON list of argv>'`.
 * Prints one line per case to stdout, `nexus-batch start <i>` before it and
 * `nexus-batch done <JSON>` after (code, stdout, stderr, user + system CPU seconds), so a
 * watcher can tell which case hung.
 */
import { runCliInProcess } from './cli.js';

const cases = JSON.parse(process.argv[2] ?? '[]') as string[][];
// Direct writes to the process's stdout (none are expected) must not corrupt the protocol.
const say = process.stdout.write.bind(process.stdout);
for (const [i, args] of cases.entries()) {
  say(`nexus-batch start ${i}\n`);
  const before = process.cpuUsage();
  const outcome = await runCliInProcess(args);
  const cpu = process.cpuUsage(before);
  say(`nexus-batch done ${JSON.stringify({ i, ...outcome, cpuS: (cpu.user + cpu.system) / 1e6 })}\n`);
}
