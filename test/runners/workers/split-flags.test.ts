import { describe, expect, it } from 'vitest';
import type { RunArgs } from '../../../harness/cli/commands/run-args.js';
import {
  checkSplitAgainstScenario,
  redisFromFlags,
  segmentFromFlags,
} from '../../../harness/cli/commands/run-split-args.js';
import { workerArgs } from '../../../harness/cli/commands/run-workers-args.js';
import { runCliInProcess as cli } from '../../support/cli.js';

describe('segmentFromFlags', () => {
  it('reads --segment I/N, and --segments N with the index from JOB_COMPLETION_INDEX', () => {
    expect(segmentFromFlags({ segment: '1/3' }, {})).toEqual({ index: 1, count: 3 });
    expect(segmentFromFlags({ segments: 3 }, { JOB_COMPLETION_INDEX: '2' })).toEqual({ index: 2, count: 3 });
    expect(segmentFromFlags({}, { JOB_COMPLETION_INDEX: '2' })).toBeUndefined();
  });

  it('refuses what is not a segment, naming the flag, the value and what was expected', () => {
    expect(() => segmentFromFlags({ segment: '3/3' }, {})).toThrow(/--segment 3\/3: .*from 0 to 2 \(got 3\)/);
    expect(() => segmentFromFlags({ segment: 'half' }, {})).toThrow(/--segment "half" is not I\/N/);
    expect(() => segmentFromFlags({ segments: 3 }, {})).toThrow(
      /JOB_COMPLETION_INDEX.*not set: set it to 0\.\.2/,
    );
    expect(() => segmentFromFlags({ segments: 3 }, { JOB_COMPLETION_INDEX: '3' })).toThrow(
      /\$JOB_COMPLETION_INDEX is "3", and --segments 3 needs an integer from 0 to 2/,
    );
    expect(() => segmentFromFlags({ segments: 3 }, { JOB_COMPLETION_INDEX: '-1' })).toThrow(/is "-1"/);
    expect(() => segmentFromFlags({ segments: 0 }, { JOB_COMPLETION_INDEX: '0' })).toThrow(
      /--segments must be an integer from 1/,
    );
    expect(() => segmentFromFlags({ segment: '0/2', segments: 2 }, {})).toThrow(/give one/);
  });
});

describe('redisFromFlags', () => {
  it('turns a loopback Redis URL into the limiter cluster options', () => {
    expect(redisFromFlags({ redis: 'redis://127.0.0.1:6390/2', 'redis-id': 'job-7' }, false)).toMatchObject({
      connection: { host: '127.0.0.1', port: 6390, db: 2 },
      id: 'job-7',
    });
    expect(redisFromFlags({ redis: 'redis://localhost' }, false)?.connection).toMatchObject({ port: 6379 });
  });

  it('refuses a remote host without --allow-remote, without echoing a password', () => {
    let message = '';
    try {
      redisFromFlags({ redis: 'redis://:s3cret@redis.example.invalid:6379' }, false);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/not a loopback address.*--allow-remote/);
    expect(message).not.toContain('s3cret');
    expect(redisFromFlags({ redis: 'redis://redis.example.invalid:6379' }, true)?.connection).toMatchObject({
      host: 'redis.example.invalid',
    });
  });

  it('refuses what is not a Redis URL, a bad id, and --redis-id alone', () => {
    expect(() => redisFromFlags({ redis: 'http://127.0.0.1:6379' }, false)).toThrow(
      /redis:\/\/ or rediss:\/\//,
    );
    expect(() => redisFromFlags({ redis: 'nonsense' }, false)).toThrow(/expected a Redis URL/);
    expect(() => redisFromFlags({ redis: 'redis://127.0.0.1/x' }, false)).toThrow(/database number/);
    expect(() => redisFromFlags({ redis: 'redis://127.0.0.1', 'redis-id': 'a b' }, false)).toThrow(
      /--redis-id "a b"/,
    );
    expect(() => redisFromFlags({ 'redis-id': 'x' }, false)).toThrow(/needs --redis/);
  });
});

describe('checkSplitAgainstScenario', () => {
  it('refuses --mock-url off target mock, and --workers on a target the workers cannot share', () => {
    const scenario = { name: 'smoke', target: 'mock' as const };
    expect(() =>
      checkSplitAgainstScenario({ 'mock-url': 'http://127.0.0.1:1/api/public', target: 'url' }, scenario),
    ).toThrow(/--mock-url .* --target url/);
    expect(() => checkSplitAgainstScenario({ workers: 2, target: 'msw' }, scenario)).toThrow(
      /msw is a mock inside one process/,
    );
    expect(() => checkSplitAgainstScenario({ workers: 2, target: 'pact' }, scenario)).toThrow(
      /--workers needs a target/,
    );
    expect(() => checkSplitAgainstScenario({ workers: 2 }, scenario)).not.toThrow();
    // A segment on a mock of its own would not be a part of one run.
    expect(() => checkSplitAgainstScenario({ segment: '0/2' }, scenario)).toThrow(
      /--segment 0\/2 runs one part of a run .*\(a mock of its own for this process\): start one mock .*--mock-url/,
    );
    expect(() => checkSplitAgainstScenario({ segments: 2, target: 'msw' }, scenario)).toThrow(
      /--segments 2 runs one part/,
    );
    expect(() =>
      checkSplitAgainstScenario({ segment: '0/2', 'mock-url': 'http://127.0.0.1:1/api/public' }, scenario),
    ).not.toThrow();
    expect(() => checkSplitAgainstScenario({ segment: '0/2', target: 'url' }, scenario)).not.toThrow();
  });
});

describe('workerArgs', () => {
  it("passes the parent's load flags on, then the worker's segment, folder and target", () => {
    const argv = {
      scenario: 'steady',
      duration: '3s',
      rate: 50,
      threshold: ['op_failed=rate<0.5'],
      'allow-remote': false,
      'unsafe-ignore-rate-limits': false,
      quiet: false,
      redis: 'redis://127.0.0.1:6379',
      workers: 2,
      out: 'somewhere',
      report: ['md'],
    } as unknown as RunArgs;
    expect(
      workerArgs(argv, {
        index: 1,
        count: 2,
        outDir: '/tmp/w/1',
        target: { kind: 'mock', mockUrl: 'http://127.0.0.1:9/api/public' },
        redisId: 'nexus-harness-r1',
      }),
    ).toEqual([
      'run',
      'steady',
      '--rate',
      '50',
      '--duration',
      '3s',
      '--threshold',
      'op_failed=rate<0.5',
      '--redis',
      'redis://127.0.0.1:6379',
      '--redis-id',
      'nexus-harness-r1',
      '--segment',
      '1/2',
      '--out',
      '/tmp/w/1',
      '--target',
      'mock',
      '--mock-url',
      'http://127.0.0.1:9/api/public',
    ]);
  });
});

describe('nexus-harness run: split-run flags', () => {
  const usage = async (args: string[], env: NodeJS.ProcessEnv = {}) => {
    const outcome = await cli(['run', 'smoke', '--no-out', ...args], { env });
    expect(outcome.code, outcome.stderr).toBe(2);
    return outcome.stderr;
  };

  it('refuses bad split flags before anything runs (exit 2, naming the flag)', async () => {
    expect(await usage(['--segments', '3'], { JOB_COMPLETION_INDEX: '' })).toMatch(/JOB_COMPLETION_INDEX/);
    expect(await usage(['--segments', '3'], { JOB_COMPLETION_INDEX: '7' })).toMatch(
      /is "7", and --segments 3 needs/,
    );
    expect(await usage(['--segment', '2/2'])).toMatch(/--segment 2\/2/);
    expect(await usage(['--workers', '2', '--segment', '0/2'])).toMatch(
      /--workers 2 runs every segment itself/,
    );
    expect(await usage(['--workers', '0'])).toMatch(/--workers must be an integer from 1 to 64 \(got 0\)/);
    expect(await usage(['--redis', 'redis://10.1.2.3:6379'])).toMatch(/Refusing --redis .*not a loopback/);
    expect(await usage(['--workers', '2', '--target', 'msw'])).toMatch(/msw is a mock inside one process/);
    expect(await usage(['--segment', '0/2'])).toMatch(/--segment 0\/2 runs one part of a run .*--mock-url/);
    expect(
      await usage([
        '--mock-url',
        'http://127.0.0.1:1/api/public',
        '--target',
        'url',
        '--url',
        'http://127.0.0.1:1/api/public',
      ]),
    ).toMatch(/--mock-url is the harness's mock already running/);
  });

  it('refuses a segment with nothing to run: smoke has 2 VUs, so not 3 segments', async () => {
    expect(await usage(['--segment', '2/3', '--mock-url', 'http://127.0.0.1:9/api/public'])).toMatch(
      /Segment 2 of 3 of scenario smoke would run nothing.*at most 2 segments/,
    );
  });

  it('refuses --mock-url where no nexus-harness mock answers', async () => {
    expect(await usage(['--mock-url', 'http://127.0.0.1:9/api/public'])).toMatch(
      /no nexus-harness mock answers its admin API there/,
    );
  });

  it('fails, naming the cause, when nothing answers at the --redis URL (exit 2, within a few seconds)', async () => {
    const stderr = await usage(['--redis', 'redis://127.0.0.1:1', '--duration', '1s']);
    expect(stderr).toMatch(
      /Failed to share the client's budget through Redis: .*Is redis-server running at 127.0.0.1:1\?/,
    );
  }, 30_000);

  it('describes every split flag in --help', async () => {
    const outcome = await cli(['run', '--help']);
    for (const flag of ['--segment ', '--segments', '--workers', '--redis ', '--redis-id', '--mock-url']) {
      expect(outcome.stdout).toContain(flag);
    }
    expect(outcome.stdout).toMatch(/JOB_COMPLETION_INDEX/);
  });
});
