import { spawnSync } from 'node:child_process';
import { median } from './median.js';

/**
 * Node 20 reads and parses the file NODE_EXTRA_CA_CERTS names as every process starts, TLS or
 * not. Where it names the whole system bundle (as on this project's build machines), that is
 * about 0.1 s of CPU per process: more than the harness's own start-up would be allowed to grow
 * by, and a cost of the machine's set-up, not of any code a bench measures (every bench talks to
 * loopback over plain HTTP). So the bench runner takes it out of its own environment before any
 * child starts, and says so with what it costs here, measured side by side.
 */
const VARIABLE = 'NODE_EXTRA_CA_CERTS';
const ROUNDS = 5;

/** Median CPU ms of `node -e 0` in `env`, over {@link ROUNDS} fresh processes. */
function bareNodeCpuMs(env: NodeJS.ProcessEnv): number {
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const ran = spawnSync(
      process.execPath,
      ['-e', 'const u = process.cpuUsage(); process.stdout.write(String((u.user + u.system) / 1000))'],
      { env, encoding: 'utf8', timeout: 30_000 },
    );
    const ms = Number(ran.stdout);
    if (ran.status === 0 && Number.isFinite(ms)) samples.push(ms);
  }
  return median(samples);
}

/**
 * Removes NODE_EXTRA_CA_CERTS from this process's environment (every bench child inherits it),
 * and returns a line for the log: what a bare `node -e 0` costs with it and without, or that it
 * was not set.
 *
 * @example
 * process.stderr.write(`${usePlainNodeEnv()}\n`);
 */
export function usePlainNodeEnv(): string {
  const value = process.env[VARIABLE];
  if (value === undefined || value === '') return `${VARIABLE} is not set: children start as Node does.`;
  const withIt = bareNodeCpuMs(process.env);
  const { [VARIABLE]: _, ...plain } = process.env;
  const without = bareNodeCpuMs(plain);
  delete process.env[VARIABLE];
  return (
    `${VARIABLE}=${value} is unset for every bench child: with it a bare \`node -e 0\` costs ` +
    `${withIt.toFixed(0)} ms of CPU here, without it ${without.toFixed(0)} ms (medians of ${ROUNDS}); ` +
    `a CLI run started with it would pay the difference on top of every start-up figure below.`
  );
}
