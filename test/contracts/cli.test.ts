import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PACT_FILE_NAME } from '../../contracts/nexus-api.js';
import { EXIT_CODES } from '../../harness/cli/exit-codes.js';
import { type RunningMockServer, startMockServer } from '../../mock-server/http/server.js';
import { type CliBatch, runCliBatch, runCliInProcess } from '../support/cli.js';

/**
 * The acceptance path from a user's shell: `nexus-harness contracts test && nexus-harness
 * contracts verify --provider-url <mock>`, a drifted mock failing verification by name,
 * `run … --target pact`, and no API key value in any pact, output or result.
 *
 * `contracts test` and `run --target pact` load Pact's native core, which writes to the
 * process's own fds, past the invocation's streams: they run in a process of their own (one
 * for both, test/support/cli-batch.ts), whose every printed byte the key check sees. `contracts
 * verify` runs Pact in a child process whose output reaches the invocation's streams through
 * the redactor, so it runs in this process (runCliInProcess) and what it captures is all it printed.
 */

/** A key that looks real; it must never appear in anything the harness writes or prints. */
const SECRET = `nx_live_${randomBytes(20).toString('hex')}`;
const CLI_TIMEOUT_MS = 120_000;

interface CliRun {
  code: number | null;
  output: string;
}

/** `nexus-harness <args>` in this process, with the key as NEXUS_API_KEY; stdout and stderr together. */
async function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const ran = await runCliInProcess(args, { env: { NEXUS_API_KEY: SECRET, ...env } });
  return { code: ran.code, output: ran.stdout + ran.stderr };
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('nexus-harness contracts (CLI)', () => {
  let work: string;
  let pactDir: string;
  let runOut: string;
  let mock: RunningMockServer | undefined;
  /** `contracts test` (into a pact directory holding a stale pact) and `run smoke --target pact`. */
  let native: CliBatch;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'nexus-harness-contracts-cli-'));
    pactDir = join(work, 'pacts');
    runOut = join(work, 'run');
    // A stale pact of this consumer must not survive into the new one.
    await mkdir(pactDir, { recursive: true });
    await writeFile(join(pactDir, 'nexus-harness-client-stale.json'), '{"interactions":[]}');
    native = await runCliBatch(
      [
        ['contracts', 'test', '--pact-dir', pactDir],
        ['run', 'smoke', '--target', 'pact', '--duration', '1s', '--quiet', '--out', runOut],
      ],
      { env: { NEXUS_API_KEY: SECRET } },
    );
  }, CLI_TIMEOUT_MS);

  afterEach(async () => {
    await mock?.close();
    mock = undefined;
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it(
    'contracts test && contracts verify --provider-url <mock> pass, from a clean pact directory',
    async () => {
      const test = native.outcomes[0]!;
      expect(test.stdout).toContain(`Pact written: ${join(pactDir, PACT_FILE_NAME)} (16 interactions)`);
      expect(test.code).toBe(EXIT_CODES.OK);
      expect(await readdir(pactDir)).toEqual([PACT_FILE_NAME]);

      // The mock accepts only the real-looking key: verification must send it, and print it nowhere.
      mock = await startMockServer({ port: 0, config: { apiKeys: [SECRET] } });
      const verify = await runCli(['contracts', 'verify', '--provider-url', mock.url, '--pact-dir', pactDir]);
      expect(verify.output).toContain('Verification passed: 16 interaction(s).');
      expect(verify.output).toContain('PASS  a request to get an EXPIRED thread');
      expect(verify.code).toBe(EXIT_CODES.OK);

      // All the `contracts test` process printed (Pact's native core included), and all verify printed.
      for (const text of [native.stdout, native.stderr, verify.output]) expect(text).not.toContain(SECRET);
      for (const file of await filesUnder(pactDir))
        expect(await readFile(file, 'utf8')).not.toContain(SECRET);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'contracts verify fails with exit 1, naming the interaction, against a mock that drifted',
    async () => {
      mock = await startMockServer({
        port: 0,
        config: { contractDrift: { route: 'sendMessage', renameField: { from: 'success', to: 'queued' } } },
      });
      const verify = await runCli(['contracts', 'verify', '--provider-url', mock.url]);
      expect(verify.output).toContain('FAIL  a request to send a message to an ACTIVE thread');
      expect(verify.output).toContain('Verification FAILED: 1 of 16 interaction(s) failed');
      expect(verify.code).toBe(EXIT_CODES.UNEXPECTED);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'contracts verify --states none sends NEXUS_API_KEY, says which states could not be set, never prints the key',
    async () => {
      mock = await startMockServer({ port: 0, config: { apiKeys: [SECRET] } });
      const verify = await runCli(['contracts', 'verify', '--provider-url', mock.url, '--states', 'none']);
      // Without seeded threads those interactions fail; the ones needing no state pass with the key swapped in.
      expect(verify.output).toContain('PASS  a request to create a thread without a first message');
      expect(verify.output).toContain('FAIL  a request to get an ACTIVE thread');
      expect(verify.output).toMatch(/Note: provider states cannot be set on http:\/\/127\.0\.0\.1:\d+/);
      expect(verify.output).not.toContain(SECRET);
      expect(verify.code).toBe(EXIT_CODES.UNEXPECTED);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'contracts verify against a provider that is not a mock, without NEXUS_API_KEY, is a usage error',
    async () => {
      const server: Server = createServer((_req, res) => res.writeHead(404).end());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = server.address() as AddressInfo;
        const verify = await runCli(
          ['contracts', 'verify', '--provider-url', `http://127.0.0.1:${port}/api/public`],
          { NEXUS_API_KEY: '' },
        );
        expect(verify.output).toContain('set NEXUS_API_KEY');
        expect(verify.code).toBe(EXIT_CODES.USAGE);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    },
    CLI_TIMEOUT_MS,
  );

  it(
    'run smoke --target pact drives the scenario against the pact, with no key in the output or result.json',
    async () => {
      const run = native.outcomes[1]!;
      const output = run.stdout + run.stderr;
      expect(output).toContain('smoke on pact');
      expect(output).not.toContain('outside the contract');
      expect(run.code).toBe(EXIT_CODES.OK);
      const resultText = await readFile(join(runOut, 'result.json'), 'utf8');
      const result = JSON.parse(resultText) as { target: { kind: string; audited: boolean } };
      expect(result.target).toMatchObject({ kind: 'pact', audited: false });
      expect(resultText).not.toContain(SECRET);
      // All its process printed, Pact's native core included.
      for (const text of [native.stdout, native.stderr]) expect(text).not.toContain(SECRET);
    },
    CLI_TIMEOUT_MS,
  );
});
