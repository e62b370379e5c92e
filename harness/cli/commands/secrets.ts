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

/** Reads stdin to the end (at most {@link MAX_INPUT_BYTES}), asking for it on stderr when it is a terminal. */
async function readStdin(ctx: CommandContext, stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (stdin.isTTY) ctx.stderr.write('Paste the secret, then press Enter and Ctrl-D:\n');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin as AsyncIterable<Buffer | string>) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buf.length;
    if (size > MAX_INPUT_BYTES) {
      throw new UsageError(
        `Failed to read the secret: stdin holds more than ${MAX_INPUT_BYTES} bytes. Pipe in the secret alone.`,
      );
    }
    chunks.push(buf);
  }
  // One trailing newline is the shell's (`echo`, a here-string), not the secret's.
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function encryptCommand(ctx: CommandContext): CommandModule<object, object> {
  return {
    command: 'encrypt',
    describe:
      'Seal a secret read from stdin with ENCRYPTION_KEY; print the v1: text for NEXUS_API_KEY_ENCRYPTED',
    builder: (y: Argv) =>
      y
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
            'The secret is read from stdin, never from an argument (arguments show in ps and shell history); one',
            'trailing newline is dropped. ENCRYPTION_KEY must be 64 hex digits (32 bytes). Each run uses a fresh',
            'random IV, so sealing one key twice gives two different texts; both open. The output is',
            'v1:<iv>:<auth tag>:<ciphertext> (base64url), tamper-evident: a changed character fails to open.',
            'Exit codes: 0 sealed; 2 no or bad ENCRYPTION_KEY, or nothing on stdin.',
          ].join('\n'),
        ),
    async handler() {
      const { parseEncryptionKey, sealSecret } = await import('../../service/config/secret-box.js');
      const keyHex = ctx.env.ENCRYPTION_KEY?.trim();
      ctx.addSecret(keyHex);
      const key = parseEncryptionKey(keyHex); // ConfigError (exit 2) naming ENCRYPTION_KEY, never its value
      const secret = await readStdin(ctx);
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
