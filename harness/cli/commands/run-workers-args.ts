import type { RunArgs } from './run-args.js';

/** Where a worker's load goes, as the parent decided it. */
export type WorkerTarget =
  /** The harness's mock, running at this base URL (started by the parent, or `--mock-url`). */
  { kind: 'mock'; mockUrl: string } | { kind: 'url'; url: string } | { kind: 'real' };

/** What a worker runs besides the parent's own flags. */
export interface WorkerPlan {
  /** This worker's segment: `index` of `count`. */
  index: number;
  count: number;
  /** Its result folder (`--out`). */
  outDir: string;
  target: WorkerTarget;
  /** The limiter id in Redis all workers share (with `--redis`); absent: the key's default. */
  redisId?: string;
}

/**
 * The `nexus-harness run` arguments of one worker of `run --workers`: the parent's scenario and
 * load flags (`--vus`, `--rate`, `--duration`, `--seed`, `--threshold`, …) unchanged, so every
 * worker resolves the same scenario the same way, then its own `--segment I/N`, `--out`, the
 * target the parent chose, and `--quiet` if the parent has it. `--report`, `--out` and
 * `--workers` of the parent are not passed on.
 *
 * @example
 * workerArgs({ scenario: 'steady', duration: '3s', … }, { index: 1, count: 2, outDir: '/tmp/w/1', target: { kind: 'mock', mockUrl } });
 * // ['run', 'steady', '--duration', '3s', '--segment', '1/2', '--out', '/tmp/w/1', '--target', 'mock', '--mock-url', mockUrl]
 */
export function workerArgs(argv: RunArgs, plan: WorkerPlan): string[] {
  const args = ['run', argv.scenario];
  const pass = (flag: string, value: string | number | undefined) => {
    if (value !== undefined) args.push(`--${flag}`, String(value));
  };
  pass('vus', argv.vus);
  pass('rate', argv.rate);
  pass('duration', argv.duration);
  pass('seed', argv.seed);
  for (const threshold of argv.threshold ?? []) pass('threshold', threshold);
  if (argv['unsafe-ignore-rate-limits']) args.push('--unsafe-ignore-rate-limits');
  if (argv['allow-remote']) args.push('--allow-remote');
  pass('redis', argv.redis);
  if (argv.redis !== undefined) pass('redis-id', plan.redisId ?? argv['redis-id']);
  args.push('--segment', `${plan.index}/${plan.count}`, '--out', plan.outDir);
  // A worker's stderr is a pipe: its progress is a plain line every 5 s, which the parent
  // passes on (`[worker i] …`) so a long run is not silent; `--quiet` silences them all.
  if (argv.quiet) args.push('--quiet');
  switch (plan.target.kind) {
    case 'mock':
      args.push('--target', 'mock', '--mock-url', plan.target.mockUrl);
      break;
    case 'url':
      args.push('--target', 'url', '--url', plan.target.url);
      break;
    case 'real':
      args.push('--target', 'real');
      break;
  }
  return args;
}
