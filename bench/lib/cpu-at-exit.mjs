// Preloaded into a bench's child process (`node --import <this file's URL> …`): on 'exit',
// writes the process's whole CPU time and peak RSS as JSON to the file named by
// BENCH_CPU_AT_EXIT_FILE, e.g. {"userUs":1234567,"systemUs":234567,"maxRssKb":98765}.
// `process.cpuUsage()` counts from the process's start (Node's own bootstrap included) and
// covers every thread, so the figure is everything the process cost, start-up and exit
// included. The variable is removed from this process's environment at once, so a process
// this one spawns does not overwrite the file. No dependencies; plain JS so it needs no loader.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_CPU_AT_EXIT_FILE;
delete process.env.BENCH_CPU_AT_EXIT_FILE;

if (file) {
  process.on('exit', () => {
    const cpu = process.cpuUsage();
    const figures = { userUs: cpu.user, systemUs: cpu.system, maxRssKb: process.resourceUsage().maxRSS };
    writeFileSync(file, `${JSON.stringify(figures)}\n`);
  });
}
