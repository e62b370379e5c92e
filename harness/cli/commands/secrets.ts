import { StringDecoder } from 'node:string_decoder';
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../../util/errors.js';
import type { CommandBody, CommandContext } from '../command-context.js';

/**
 * `nexus-harness secrets encrypt|keygen`: seal an API key for `NEXUS_API_KEY_ENCRYPTED` and
 * make the `ENCRYPTION_KEY` that opens it (AES-256-GCM; see harness/service/config/secret-box.ts).
 * The secret comes in on stdin, never as an argument: arguments show in `ps` and in shell
 * history. The crypto module loads only when an action runs.
 */

/** The longest secret `encrypt` reads, bytes: an API key is tens of bytes; this bounds a mistaken pipe. */
const MAX_INPUT_BYTES = 64 * 1024;

/** Terminal escape sequences (arrow keys and the like): not part of a typed secret. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: ESC is what this matches.
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-9;?]*[ -/]*[@-~]|O.|.)?/g;

/**
 * Reads the secret `encrypt` seals: from a terminal, one line typed or pasted without echo
 * (the prompt on stderr, raw mode restored after); otherwise stdin to the end (at most
 * {@link MAX_INPUT_BYTES}), without one trailing newline.
 *
 * @example
 * const secret = await readSecret(ctx.stderr); // `printf %s "$KEY" | nexus-harness secrets encrypt`
 */
export async function readSecret(
  stderr: Pick<NodeJS.WritableStream, 'write'>,
  stdin: NodeJS.ReadStream = process.stdin,
): Promise<string> {
  if (stdin.isTTY && typeof stdin.setRawMode === 'function') return readFromTerminal(stderr, stdin);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin as AsyncIterable<Buffer | string>) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buf.length;
    if (size > MAX_INPUT_BYTES) throw tooLong();
    chunks.push(buf);
  }
  // One trailing newline is the shell's (`echo`, a here-string), not the secret's.
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function tooLong(): UsageError {
  return new UsageError(
    `Failed to read the secret: stdin holds more than ${MAX_INPUT_BYTES} bytes. Pipe in the secret alone.`,
  );
}

/** One line from a terminal in raw mode: nothing echoed; Enter ends it, Backspace edits, Ctrl-C cancels. */
function readFromTerminal(
  stderr: Pick<NodeJS.WritableStream, 'write'>,
  stdin: NodeJS.ReadStream,
): Promise<string> {
  stderr.write('Secret (not shown; press Enter when done): ');
  const wasRaw = stdin.isRaw;
  const decoder = new StringDecoder('utf8');
  let chars: string[] = [];
  return new Promise<string>((resolve, reject) => {
    const finish = (error?: Error): void => {
      stdin.off('data', onData);
      stdin.off('error', finish);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      stderr.write('\n');
      if (error === undefined) resolve(chars.join(''));
      else reject(error);
    };
    const onData = (chunk: Buffer | string): void => {
      const text = (typeof chunk === 'string' ? chunk : decoder.write(chunk)).replace(ESCAPE_SEQUENCE, '');
      for (const ch of text) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          finish();
          return;
        }
        if (ch === '\u0003') {
          finish(new UsageError('Failed to encrypt: cancelled (Ctrl-C).'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') chars = chars.slice(0, -1);
        else if (ch >= ' ') chars.push(ch);
        if (chars.length > MAX_INPUT_BYTES) {
          finish(tooLong());
          return;
        }
      }
    };
    stdin.setRawMode(true);
    stdin.on('data', onData);
    stdin.on('error', finish);
    stdin.resume();
  });
}

function encryptCommand(ctx: CommandContext): CommandModule<object, object> {
  return {
    // Positionals are let through to the handler (which refuses them without echoing them):
    // strict mode would print a secret typed there back as "Unexpected argument".
    command: 'encrypt',
    describe:
      'Seal a secret read from stdin with ENCRYPTION_KEY; print the v1: text for NEXUS_API_KEY_ENCRYPTED',
    builder: (y: Argv) =>
      y
        .strict(false)
        .strictOptions()
        .example(
          'export ENCRYPTION_KEY=$(nexus-harness secrets keygen)',
          'Make a key once; keep it in your secrets store, apart from the sealed value',
        )
        .example(
          'nexus-harness secrets encrypt < nexus-key.txt',
          'Seal the API key kept in a file (the file holds the key alone)',
        )
        .example(
          'printf %s "$NEXUS_API_KEY" | nexus-harness secrets encrypt',
          'Seal a key from the environment (printf is a shell builtin: the key never shows in ps)',
        )
        .example(
          'NEXUS_API_KEY_ENCRYPTED=v1:... ENCRYPTION_KEY=... node app.js',
          'The chat app decrypts it at start (loadAppConfig); a wrong key stops it with a clear error',
        )
        .epilogue(
          [
            'The secret is read from stdin, never from an argument (arguments show in ps and shell history): at a',
            'terminal, one line without echo; from a pipe or file, all of it less one trailing newline.',
            'ENCRYPTION_KEY must be 64 hex digits (32 bytes). Each run uses a fresh random IV, so sealing one',
            'key twice gives two different texts; both open. The output is',
            'v1:<iv>:<auth tag>:<ciphertext> (base64url), tamper-evident: a changed character fails to open.',
            'Exit codes: 0 sealed; 2 no or bad ENCRYPTION_KEY, nothing on stdin, an argument given, or Ctrl-C.',
          ].join('\n'),
        ),
    async handler(argv: { _?: readonly unknown[] }) {
      const extra = (argv._ ?? []).length - 2; // `secrets encrypt` itself
      if (extra > 0) {
        throw new UsageError(
          `Failed to encrypt: it takes no arguments (got ${extra}); the secret goes on stdin, never on the command line, ` +
            'where it shows in ps and in shell history. If that was a real key, rotate it. ' +
            'Use: nexus-harness secrets encrypt < nexus-key.txt',
        );
      }
      const { parseEncryptionKey, sealSecret } = await import('../../service/config/secret-box.js');
      const keyHex = ctx.env.ENCRYPTION_KEY?.trim();
      ctx.addSecret(keyHex);
      const key = parseEncryptionKey(keyHex); // ConfigError (exit 2) naming ENCRYPTION_KEY, never its value
      const secret = await readSecret(ctx.stderr);
      if (secret.trim() === '') {
        throw new UsageError(
          'Failed to encrypt: stdin was empty. Pipe the secret in, e.g. nexus-harness secrets encrypt < nexus-key.txt',
        );
      }
      ctx.addSecret(secret);
      ctx.stdout.write(`${sealSecret(secret, key)}\n`);
    },
  };
}

function keygenCommand(ctx: CommandContext): CommandModule<object, object> {
  return {
    command: 'keygen',
    describe: 'Print a fresh random ENCRYPTION_KEY (64 hex digits, 32 bytes)',
    builder: (y: Argv) =>
      y
        .example('nexus-harness secrets keygen', 'Print a new key')
        .example('export ENCRYPTION_KEY=$(nexus-harness secrets keygen)', 'Use it in this shell')
        .epilogue(
          [
            "The key comes from the operating system's cryptographic random source. Keep it in your secrets",
            'store, apart from the values it seals: whoever holds both holds the API key. A new key does not',
            'open values sealed with an old one: seal them again with nexus-harness secrets encrypt.',
          ].join('\n'),
        ),
    async handler() {
      const { generateEncryptionKey } = await import('../../service/config/secret-box.js');
      ctx.stdout.write(`${generateEncryptionKey()}\n`);
    },
  };
}

/**
 * `nexus-harness secrets encrypt|keygen`.
 *
 * @example
 * // export ENCRYPTION_KEY=$(nexus-harness secrets keygen)
 * // nexus-harness secrets encrypt < nexus-key.txt   # prints v1:…
 */
export const secretsCommand: CommandBody<object> = (ctx) => ({
  builder: (y: Argv) =>
    y
      .command(encryptCommand(ctx))
      .command(keygenCommand(ctx))
      .demandCommand(1, 'Name an action: encrypt or keygen.')
      .example('export ENCRYPTION_KEY=$(nexus-harness secrets keygen)', 'Make an encryption key')
      .example(
        'nexus-harness secrets encrypt < nexus-key.txt',
        'Seal the API key in nexus-key.txt; put the output in NEXUS_API_KEY_ENCRYPTED',
      )
      .epilogue("See '$0 secrets encrypt --help' and '$0 secrets keygen --help'.") as unknown as Argv<object>,
  handler: () => {},
});
