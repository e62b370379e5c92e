import type { Options } from 'yargs';
import type { Scenario } from '../../../scenarios/model/scenario.js';
import { checkSegment, type ExecutionSegment, MAX_SEGMENTS } from '../../../scenarios/model/segments.js';
import type { TargetKind } from '../../../scenarios/model/target.js';
import type { RedisClusterOptions } from '../../client/limiter.js';
import { UsageError } from '../../util/errors.js';
import { isLoopbackHost } from '../../util/loopback.js';
import { redactUrl } from '../../util/url.js';

/** The flags of `run` that split it over processes (see {@link SPLIT_OPTIONS}). */
export interface SplitRunArgs {
  /** `--segment I/N`: run segment I of N. */
  segment?: string;
  /** `--segments N`: run segment `$JOB_COMPLETION_INDEX` of N. */
  segments?: number;
  /** `--workers N`: N child processes, one segment each, merged. */
  workers?: number;
  /** `--redis URL`: share the client's budget through Redis. */
  redis?: string;
  /** `--redis-id ID`: the limiter id in Redis. */
  'redis-id'?: string;
  /** `--mock-url URL`: the harness's mock already running there (target mock). */
  'mock-url'?: string;
}

/** The env var a Kubernetes Indexed Job gives each pod: its index, 0 … completions − 1. */
export const JOB_INDEX_ENV = 'JOB_COMPLETION_INDEX';

/** Most worker processes of `run --workers` (one machine's cores, with room). */
export const MAX_WORKERS = 64;

/**
 * The options of `run` for split runs, for its builder (`.options(SPLIT_OPTIONS)`): each
 * described for `--help`.
 */
export const SPLIT_OPTIONS: Record<keyof SplitRunArgs, Options> = {
  segment: {
    type: 'string',
    describe:
      'Run only segment I of N (I from 0), e.g. 1/3: VUs split into integer shares that sum to the whole, arrival-rate iterations striped (i mod N), shared iterations split without remainder loss; merge the N results with `merge`',
  },
  segments: {
    type: 'number',
    describe: `Run segment $${JOB_INDEX_ENV} of N (a Kubernetes Indexed Job: one pod per index; the env var must be 0..N-1); as --segment $${JOB_INDEX_ENV}/N`,
  },
  workers: {
    type: 'number',
    describe: `Split the run over N worker processes on this machine (1 to ${MAX_WORKERS}), each running its segment with its own client and recorder; one mock shared by all; their results merged exactly, judged once, one result.json`,
  },
  redis: {
    type: 'string',
    describe:
      "Share the client's request budget between processes through Redis (bottleneck clustering), e.g. redis://127.0.0.1:6379: every worker or segment with the same --redis-id draws from one budget; loopback only unless --allow-remote",
  },
  'redis-id': {
    type: 'string',
    describe:
      "With --redis: the limiter's id in Redis (letters, digits, . _ - :); default derived from the API key's fingerprint, so every process with that key shares its budget. --workers gives its workers one id per run",
  },
  'mock-url': {
    type: 'string',
    describe:
      'Target mock without starting one: the nexus-harness mock already running at this base URL (e.g. http://127.0.0.1:4010/api/public), shared by the processes of a split run; budgets are its limits, audited over its admin API',
  },
};

/** `run --help` examples of the split-run flags (`.example(SPLIT_EXAMPLES)`). */
export const SPLIT_EXAMPLES: [string, string][] = [
  ['$0 run steady --workers 2', 'Two processes, one mock; results merged and judged once'],
  [
    '$0 run steady --workers 4 --redis redis://127.0.0.1:6379',
    "Four processes sharing one key's budget through Redis",
  ],
  [
    `$0 run steady --segments 3 --out /results/$${JOB_INDEX_ENV} --mock-url http://mock:4010/api/public --allow-remote`,
    'One pod of an Indexed Job; then: merge /results/*/result.json -o merged.json',
  ],
];

/**
 * The segment this process runs, from `--segment I/N` or `--segments N` with
 * `$JOB_COMPLETION_INDEX`; undefined for a whole run. Exit 2 for a malformed value, an index
 * out of range, a missing env var, or both flags.
 *
 * @example
 * segmentFromFlags({ segments: 3 }, { JOB_COMPLETION_INDEX: '2' }); // { index: 2, count: 3 }
 */
export function segmentFromFlags(args: SplitRunArgs, env: NodeJS.ProcessEnv): ExecutionSegment | undefined {
  if (args.segment !== undefined && args.segments !== undefined) {
    throw new UsageError(
      `--segment ${args.segment} and --segments ${args.segments} both say which segment to run: give one (--segments takes the index from $${JOB_INDEX_ENV}).`,
    );
  }
  if (args.segment !== undefined) {
    const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(String(args.segment));
    if (match === null) {
      throw new UsageError(
        `--segment "${args.segment}" is not I/N: expected the segment's index (from 0) and the number of segments, e.g. --segment 0/3.`,
      );
    }
    const segment = { index: Number(match[1]), count: Number(match[2]) };
    checkSegment(segment, `--segment ${args.segment}`);
    return segment;
  }
  if (args.segments !== undefined) {
    const count = args.segments;
    if (!Number.isInteger(count) || count < 1 || count > MAX_SEGMENTS) {
      throw new UsageError(`--segments must be an integer from 1 to ${MAX_SEGMENTS} (got ${count}).`);
    }
    const raw = env[JOB_INDEX_ENV];
    if (raw === undefined || raw.trim() === '') {
      throw new UsageError(
        `--segments ${count} takes the segment's index from $${JOB_INDEX_ENV} (as a Kubernetes Indexed Job sets it), and it is not set: set it to 0..${count - 1}, or use --segment I/${count}.`,
      );
    }
    const index = /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
    if (!(index >= 0 && index < count)) {
      throw new UsageError(
        `$${JOB_INDEX_ENV} is "${raw}", and --segments ${count} needs an integer from 0 to ${count - 1}.`,
      );
    }
    return { index, count };
  }
  return undefined;
}

const REDIS_ID = /^[A-Za-z0-9._:-]{1,200}$/;

/**
 * `--redis URL` (and `--redis-id`) as the limiter's cluster options: `redis://[:password@]host[:port][/db]`
 * or `rediss://` (TLS). Loopback only unless `allowRemote`. Exit 2 for anything else, the URL
 * shown without its password.
 *
 * @example
 * redisFromFlags({ redis: 'redis://127.0.0.1:6390/2' }, false); // { connection: { host: '127.0.0.1', port: 6390, db: 2 } }
 */
export function redisFromFlags(args: SplitRunArgs, allowRemote: boolean): RedisClusterOptions | undefined {
  if (args['redis-id'] !== undefined && args.redis === undefined) {
    throw new UsageError('--redis-id names the limiter in Redis: it needs --redis URL.');
  }
  if (args.redis === undefined) return undefined;
  const text = String(args.redis);
  const shown = URL.canParse(text) ? redactUrl(text) : '(not a URL)';
  if (!URL.canParse(text)) {
    throw new UsageError(`--redis ${shown}: expected a Redis URL such as redis://127.0.0.1:6379.`);
  }
  const url = new URL(text);
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new UsageError(`--redis ${shown}: expected a redis:// or rediss:// URL (got ${url.protocol}).`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new UsageError(`--redis ${shown}: the URL names no host.`);
  if (!isLoopbackHost(host) && !allowRemote) {
    throw new UsageError(
      `Refusing --redis ${shown}: ${host} is not a loopback address. Pass --allow-remote if you mean to share the budget through that Redis.`,
    );
  }
  const dbText = url.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d{1,2}$/.test(dbText)) {
    throw new UsageError(`--redis ${shown}: the path must be a database number (/0 … /15), not /${dbText}.`);
  }
  const id = args['redis-id'];
  if (id !== undefined && !REDIS_ID.test(id)) {
    throw new UsageError(
      `--redis-id "${id}" is not an id: expected 1 to 200 letters, digits, ".", "_", ":" or "-".`,
    );
  }
  return {
    connection: {
      host,
      port: url.port === '' ? 6379 : Number(url.port),
      ...(dbText !== '' && { db: Number(dbText) }),
      ...(url.password !== '' && { password: decodeURIComponent(url.password) }),
      ...(url.username !== '' && { username: decodeURIComponent(url.username) }),
      ...(url.protocol === 'rediss:' && { tls: {} }),
      // Fail fast when nothing listens: the run waits at most a few seconds for the connection.
      maxRetriesPerRequest: 1,
      connectTimeout: 3_000,
    },
    ...(id !== undefined && { id }),
  };
}

/**
 * Checks of the split-run flags alone (before the scenario is loaded), each naming its flag;
 * `env` for `$JOB_COMPLETION_INDEX`.
 *
 * @example
 * checkSplitFlags({ workers: 2, segments: 3 }, process.env, false); // throws: --workers runs every segment itself
 */
export function checkSplitFlags(args: SplitRunArgs, env: NodeJS.ProcessEnv, allowRemote: boolean): void {
  for (const name of ['segment', 'segments', 'workers', 'redis', 'redis-id', 'mock-url'] as const) {
    const value = args[name];
    if (Array.isArray(value)) {
      const shown = value.map((v) => (typeof v === 'string' ? redactUrl(v) : String(v)));
      throw new UsageError(`--${name} was given ${value.length} times (${shown.join(', ')}); give it once.`);
    }
  }
  if (args.workers !== undefined) {
    if (!Number.isInteger(args.workers) || args.workers < 1 || args.workers > MAX_WORKERS) {
      throw new UsageError(`--workers must be an integer from 1 to ${MAX_WORKERS} (got ${args.workers}).`);
    }
    if (args.segment !== undefined || args.segments !== undefined) {
      throw new UsageError(
        `--workers ${args.workers} runs every segment itself: drop ${args.segment !== undefined ? '--segment' : '--segments'} (that is for one process of a split run).`,
      );
    }
  }
  segmentFromFlags(args, env);
  redisFromFlags(args, allowRemote);
  const mockUrl = args['mock-url'];
  if (mockUrl !== undefined) {
    const ok = /^https?:\/\/[^/\s]+/.test(mockUrl) && URL.canParse(mockUrl);
    if (!ok || new URL(mockUrl).search !== '' || new URL(mockUrl).hash !== '') {
      throw new UsageError(
        `--mock-url "${ok ? redactUrl(mockUrl.split(/[?#]/)[0]!) : '(not a URL)'}" is not the base URL of a mock: give one such as http://127.0.0.1:4010/api/public (no query).`,
      );
    }
  }
}

/**
 * Checks of the split-run flags that need the scenario (its target): `--mock-url` only with
 * target mock; a segment never on a mock of its own (target mock without `--mock-url`, or
 * msw); `--workers` only where one target can serve every worker. Exit 2, before anything runs.
 *
 * @example
 * checkSplitAgainstScenario({ workers: 2, target: 'msw' }, scenario); // throws: msw is in process
 */
export function checkSplitAgainstScenario(
  args: SplitRunArgs & { target?: TargetKind },
  scenario: Pick<Scenario, 'name' | 'target'>,
): void {
  const target = args.target ?? scenario.target;
  const from =
    args.target === undefined ? `scenario ${scenario.name}'s target is ${target}` : `--target ${target}`;
  if (args['mock-url'] !== undefined && target !== 'mock') {
    throw new UsageError(
      `--mock-url is the harness's mock already running (target mock), and ${from}: drop --mock-url, or use --target mock.`,
    );
  }
  const segmentFlag =
    args.segment !== undefined
      ? `--segment ${args.segment}`
      : args.segments !== undefined
        ? `--segments ${args.segments}`
        : null;
  if (segmentFlag !== null && (target === 'msw' || (target === 'mock' && args['mock-url'] === undefined))) {
    // A mock per segment: each would have the key's whole limit to itself and audit a ledger
    // no other segment writes to, so the parts would not add up to the scenario run once.
    throw new UsageError(
      `${segmentFlag} runs one part of a run whose other parts load the same target, and ${from}${target === 'mock' ? ' (a mock of its own for this process)' : ''}: ` +
        "start one mock for all the segments ('nexus-harness mock --port 4010 …') and pass --mock-url http://127.0.0.1:4010/api/public, or use --target url|real.",
    );
  }
  if (args.workers !== undefined && !WORKER_TARGETS.has(target)) {
    throw new UsageError(
      `--workers needs a target every worker process can share (${[...WORKER_TARGETS].join(', ')}), and ${from}: ` +
        (target === 'msw'
          ? 'msw is a mock inside one process; use --target mock (one mock for all the workers).'
          : `run ${target} in one process, or point the workers at a server with --target url --url.`),
    );
  }
}

/** Targets `--workers` can split a run over: one server all the worker processes reach. */
const WORKER_TARGETS: ReadonlySet<TargetKind> = new Set(['mock', 'url', 'real']);
