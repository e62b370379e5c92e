import { spawn } from 'node:child_process';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readSecret } from '../../harness/cli/commands/secrets.js';
import { loadAppConfig } from '../../harness/service/config/app-config.js';
import { openSecret, parseEncryptionKey } from '../../harness/service/config/secret-box.js';
import { runCliInProcess as cli } from '../support/cli.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const API_KEY = 'nx-live-cli-7f3e91c2ab';
const HEX = 'c4'.repeat(32);

/**
 * The bin in a process of its own with `input` on its stdin (test/support/cli.ts gives its
 * children no stdin; `encrypt` reads the secret there and nowhere else).
 */
function spawnWithStdin(
  args: readonly string[],
  input: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'harness/cli/main.ts', ...args], {
      cwd: REPO_ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, CI: 'true', NO_COLOR: '1', NEXUS_API_KEY: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

describe('nexus-harness secrets', () => {
  it('keygen prints a fresh 64-hex key each time', async () => {
    const a = await cli(['secrets', 'keygen']);
    const b = await cli(['secrets', 'keygen']);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/^[0-9a-f]{64}\n$/);
    expect(b.stdout).not.toBe(a.stdout);
  });

  it('--help teaches: stdin, the key, examples', async () => {
    const top = await cli(['secrets', '--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('secrets encrypt');
    expect(top.stdout).toContain('secrets keygen');
    const encrypt = await cli(['secrets', 'encrypt', '--help']);
    expect(encrypt.code).toBe(0);
    expect(encrypt.stdout).toContain('Examples:');
    expect(encrypt.stdout).toContain('nexus-harness secrets encrypt < nexus-key.txt');
    expect(encrypt.stdout).toMatch(/read from stdin, never from an argument/);
    const keygen = await cli(['secrets', 'keygen', '--help']);
    expect(keygen.stdout).toContain('export ENCRYPTION_KEY=$(nexus-harness secrets keygen)');
    const none = await cli(['secrets']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Name an action: encrypt or keygen.');
  });

  it('encrypt without a good ENCRYPTION_KEY: exit 2, named, value not echoed', async () => {
    const missing = await cli(['secrets', 'encrypt'], { env: { ENCRYPTION_KEY: '' } });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      'ENCRYPTION_KEY: is not set. Make one with: nexus-harness secrets keygen',
    );
    const bad = await cli(['secrets', 'encrypt'], { env: { ENCRYPTION_KEY: 'not-a-key-at-all' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('must be 64 hex digits');
    expect(bad.stderr).not.toContain('not-a-key-at-all');
  });

  it('a secret given as an argument: refused (exit 2) without echoing it; ENCRYPTION_KEY redacted anywhere', async () => {
    const onArgv = await cli(['secrets', 'encrypt', API_KEY], { env: { ENCRYPTION_KEY: HEX } });
    expect(onArgv.code).toBe(2);
    expect(onArgv.stderr).toContain('never on the command line');
    expect(onArgv.stdout + onArgv.stderr).not.toContain(API_KEY);
    // The encryption key pasted where the secret goes: the usage error must not print it either.
    const keyOnArgv = await cli(['secrets', 'encrypt', HEX], { env: { ENCRYPTION_KEY: HEX } });
    expect(keyOnArgv.code).toBe(2);
    expect(keyOnArgv.stdout + keyOnArgv.stderr).not.toContain(HEX);
    const sealed = 'v1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBBBB:CCCCCCCC';
    const other = await cli(['validate', sealed, HEX], {
      env: { ENCRYPTION_KEY: HEX, NEXUS_API_KEY_ENCRYPTED: sealed },
    });
    expect(other.code).not.toBe(0);
    expect(other.stdout + other.stderr).not.toContain(HEX);
    expect(other.stdout + other.stderr).not.toContain(sealed);
  });

  // End to end through the bin: the secret on stdin, the sealed text on stdout.
  it('encrypt seals stdin; the text opens with the key and loads as NEXUS_API_KEY_ENCRYPTED', async () => {
    const out = await spawnWithStdin(['secrets', 'encrypt'], `${API_KEY}\n`, { ENCRYPTION_KEY: HEX });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^v1:[\w-]+:[\w-]+:[\w-]+\n$/);
    expect(out.stdout + out.stderr).not.toContain(API_KEY);
    const sealed = out.stdout.trim();
    expect(openSecret(sealed, parseEncryptionKey(HEX))).toBe(API_KEY); // the echo's newline dropped
    const config = loadAppConfig({ NEXUS_API_KEY_ENCRYPTED: sealed, ENCRYPTION_KEY: HEX });
    expect(config.nexus).toMatchObject({ apiKey: API_KEY, apiKeyWasEncrypted: true });

    const empty = await spawnWithStdin(['secrets', 'encrypt'], '\n', { ENCRYPTION_KEY: HEX });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('stdin was empty');
  });
});

/** A terminal on stdin: raw mode recorded, keystrokes written by the test. */
function fakeTerminal() {
  const stdin = new PassThrough() as unknown as NodeJS.ReadStream & PassThrough;
  const modes: boolean[] = [];
  Object.assign(stdin, {
    isTTY: true,
    isRaw: false,
    setRawMode(mode: boolean) {
      modes.push(mode);
      (stdin as { isRaw: boolean }).isRaw = mode;
      return stdin;
    },
  });
  let prompt = '';
  const stderr = {
    write(s: string) {
      prompt += s;
      return true;
    },
  };
  return { stdin, stderr, modes, prompt: () => prompt };
}

describe('readSecret at a terminal', () => {
  it('reads one line in raw mode (nothing echoed), prompts on stderr, restores the mode', async () => {
    const t = fakeTerminal();
    const read = readSecret(t.stderr, t.stdin);
    // Typed with a slip and a Backspace, an arrow key, then Enter; what follows is not read.
    t.stdin.write(`${API_KEY.slice(0, 5)}x\u007f`);
    t.stdin.write(`\u001b[D${API_KEY.slice(5)}\rnext line`);
    expect(await read).toBe(API_KEY);
    expect(t.modes).toEqual([true, false]);
    expect(t.prompt()).toContain('not shown');
    expect(t.prompt()).not.toContain(API_KEY);
  });

  it('Ctrl-C cancels with a usage error, the mode restored', async () => {
    const t = fakeTerminal();
    const read = readSecret(t.stderr, t.stdin);
    t.stdin.write('abc\u0003');
    await expect(read).rejects.toThrow('cancelled');
    expect(t.modes).toEqual([true, false]);
  });
});
