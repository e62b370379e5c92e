/**
 * The `app` command through the CLI, in process: what it refuses (a non-loopback Nexus URL
 * without the opt-in, a missing key), and a serving app that answers a chat and stops
 * gracefully on its caller's abort (Ctrl-C in process).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningMockServer } from '../../mock-server/http/server.js';
import { API_KEY, postChat, startFastMock } from '../app/support.js';
import { type CliOutcome, runCliInProcess } from '../support/cli.js';

let mock: RunningMockServer;
beforeAll(async () => {
  mock = await startFastMock();
});
afterAll(() => mock?.close());

/** Runs `app ARGS`; once it prints its URL, `whileUp(url)` runs, then it is aborted. Bounded at 20 s. */
async function appCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  whileUp: (url: string) => Promise<void> = async () => {},
): Promise<CliOutcome & { error?: unknown }> {
  const stop = new AbortController();
  const bound = setTimeout(() => stop.abort(), 20_000);
  let started = false;
  let error: unknown;
  const outcome = await runCliInProcess(['app', ...args], {
    env,
    signal: stop.signal,
    onStdout: (stdout) => {
      const url = /Chat app listening on (http:\/\/\S+)/.exec(stdout)?.[1];
      if (url === undefined || started) return;
      started = true;
      whileUp(url)
        .catch((err: unknown) => {
          error = err;
        })
        .finally(() => stop.abort());
    },
  });
  clearTimeout(bound);
  return { ...outcome, error };
}

describe('nexus-harness app', () => {
  it('refuses a --nexus-url that is not loopback without --allow-remote (exit 2)', async () => {
    // A name that never resolves (RFC 6761 .invalid): the refusal comes before any connection,
    // and if it ever did not, nothing could be reached.
    const out = await appCli(['--nexus-url', 'https://nexus-api.invalid/api/public', '--port', '0'], {
      NEXUS_API_KEY: API_KEY,
    });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/not a loopback address.*--allow-remote/s);
  });

  it('refuses to start without a key, naming the variables (exit 2)', async () => {
    const out = await appCli(['--nexus-url', mock.url, '--port', '0'], {
      NEXUS_API_KEY: '',
      NEXUS_API_KEY_ENCRYPTED: '',
    });
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/NEXUS_API_KEY/);
  });

  it('a port in use, an address not of this machine, a Redis that does not answer: one line each, exit 2', async () => {
    const first = await appCli(
      ['--nexus-url', mock.url, '--port', '0'],
      { NEXUS_API_KEY: API_KEY },
      async (url) => {
        const taken = await appCli(['--nexus-url', mock.url, '--port', new URL(url).port], {
          NEXUS_API_KEY: API_KEY,
        });
        expect(taken.code).toBe(2);
        expect(taken.stderr).toContain(`Port ${new URL(url).port} is in use`);
        expect(taken.stderr).not.toMatch(/\n\s+at /);
      },
    );
    expect(first.error).toBeUndefined();

    const host = await appCli(['--nexus-url', mock.url, '--port', '0', '--host', '127.0.0.999'], {
      NEXUS_API_KEY: API_KEY,
    });
    expect(host.code).toBe(2);
    expect(host.stderr).toContain('Cannot listen on --host 127.0.0.999');
    expect(host.stderr).not.toMatch(/unexpected error|\n\s+at /);

    const redis = await appCli(
      ['--nexus-url', mock.url, '--port', '0', '--redis', 'redis://:hunter2-pw@127.0.0.1:1'],
      { NEXUS_API_KEY: API_KEY },
    );
    expect(redis.code).toBe(2);
    expect(redis.stderr).toContain('Failed to connect to Redis at redis://127.0.0.1:1');
    expect(redis.stderr).not.toMatch(/unexpected error|\n\s+at /);
    expect(redis.stdout + redis.stderr).not.toContain('hunter2-pw');
  });

  it('serves a chat, prints its URL, and stops gracefully on Ctrl-C', async () => {
    const out = await appCli(
      ['--nexus-url', mock.url, '--port', '0'],
      { NEXUS_API_KEY: API_KEY },
      async (url) => {
        const res = await postChat(url, { message: 'What is 2+2?' });
        expect(res.status).toBe(200);
        expect(((await res.json()) as { reply: { content: string } }).reply.content).toMatch(/4|four/i);
      },
    );
    expect(out.error).toBeUndefined();
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/Chat app listening on http:\/\/127\.0\.0\.1:\d+/);
    expect(out.stdout).toContain('Stopped.');
    expect(out.stdout + out.stderr).not.toContain(API_KEY);
  });
});
