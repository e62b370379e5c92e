import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { argsOfParsed, collectMetadata, commandLineOf } from '../../reports/metadata.js';

describe('collectMetadata', () => {
  it('records the harness version, Node, OS, CPUs, the command line, the unsafe flag and the seed', () => {
    const meta = collectMetadata({
      args: ['run', 'smoke', '--seed', '3'],
      unsafeIgnoreRateLimits: true,
      seed: 3,
    });
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(meta).toEqual({
      harnessVersion: pkg.version,
      node: process.version,
      os: expect.stringMatching(/^\w+ \S+ \(\w+\)$/),
      cpus: availableParallelism(),
      commandLine: 'nexus-harness run smoke --seed 3',
      unsafeIgnoreRateLimits: true,
      seed: 3,
    });
  });
});

describe('commandLineOf', () => {
  it('redacts secret flags, known secrets and URL credentials, and quotes for a shell', () => {
    const line = commandLineOf(
      [
        'run',
        'steady',
        '--api-key',
        'sk-live-123456',
        '--admin-token=tok-abcdef',
        '--url',
        'http://me:pa55word@127.0.0.1:4010/api/public',
        '--threshold',
        'op_duration{op:send_message}=p(99)<500',
        '--note',
        'key is nx_secret_value',
      ],
      ['nx_secret_value'],
    );
    expect(line).toBe(
      "nexus-harness run steady --api-key '[redacted]' '--admin-token=[redacted]' --url http://127.0.0.1:4010/api/public " +
        "--threshold 'op_duration{op:send_message}=p(99)<500' --note 'key is [redacted]'",
    );
    expect(line).not.toMatch(/sk-live|tok-abc|pa55word|nx_secret/);
  });

  it('quotes a single quote the POSIX way', () => {
    expect(commandLineOf(["it's"])).toBe("nexus-harness 'it'\\''s'");
  });
});

describe('argsOfParsed', () => {
  it('rebuilds the flags that are set from what yargs parsed', () => {
    const argv = {
      _: ['run'],
      $0: 'nexus-harness',
      scenario: 'smoke',
      seed: 3,
      quiet: false,
      'allow-remote': false,
      allowRemote: false,
      'unsafe-ignore-rate-limits': true,
      unsafeIgnoreRateLimits: true,
      threshold: ['a=p(99)<1', 'b=rate<1'],
      report: 'md,junit',
      out: undefined,
    };
    expect(argsOfParsed(['run', 'smoke'], argv, ['scenario'])).toEqual([
      'run',
      'smoke',
      '--seed',
      '3',
      '--unsafe-ignore-rate-limits',
      '--threshold',
      'a=p(99)<1',
      '--threshold',
      'b=rate<1',
      '--report',
      'md,junit',
    ]);
  });
});
