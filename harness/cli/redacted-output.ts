import { Writable } from 'node:stream';
import { createRedactor, type Redactor, secretsFromEnv } from '../util/redact.js';
import type { CliStream } from './cli-io.js';

let secrets: string[] = [];
let redactor: Redactor = createRedactor([]);
let installed = false;

/**
 * Makes every write to `process.stdout` and `process.stderr` go through the redactor of the
 * secrets known to the process: the `NEXUS_*` key and token variables, and whatever a command
 * registers with {@link addOutputSecret} (the mock's `--api-key`). This is the bin's last line
 * of defence for what does not go through the CLI's own streams (Pact's output, a target's
 * warning): a secret that reaches the terminal by any path is printed as `[redacted]`.
 * Idempotent. In process, {@link SecretRedaction.stream} does the same for the caller's streams.
 *
 * @example
 * redactProcessOutput(process.env); // first thing in the bin
 */
export function redactProcessOutput(env: NodeJS.ProcessEnv): void {
  addOutputSecret(...secretsFromEnv(env));
  if (installed) return;
  installed = true;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (redactor.secrets.length === 0) return write(chunk, ...rest);
      if (typeof chunk === 'string') return write(redactor.redact(chunk), ...rest);
      if (chunk instanceof Uint8Array)
        return write(redactor.redact(Buffer.from(chunk).toString('utf8')), ...rest);
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
}

/**
 * Adds secrets to the process-wide output redactor of {@link redactProcessOutput} (values
 * shorter than the redactor's minimum are ignored).
 *
 * @example
 * addOutputSecret(argv['api-key']);
 */
export function addOutputSecret(...values: (string | undefined)[]): void {
  const added = values.filter((v): v is string => typeof v === 'string' && v.length > 0);
  if (added.length === 0) return;
  secrets = [...new Set([...secrets, ...added])];
  redactor = createRedactor(secrets);
}

/** The secrets of one CLI invocation, and streams that never print them; see {@link secretRedaction}. */
export interface SecretRedaction {
  /** Learns more secrets (a flag's value, a generated key); later writes redact them too. */
  add(...values: (string | undefined)[]): void;
  /** `text` with every secret known so far replaced by `[redacted]`. */
  redact(text: string): string;
  /** A stream that writes to `target` what it is given, redacted (text and bytes alike). */
  stream(target: CliStream): Writable;
}

/**
 * The redaction of one CLI invocation: its environment's secrets and the secret flags' values,
 * applied to every write of the streams it wraps. Each invocation has its own, so two in one
 * process (tests) neither miss nor share each other's secrets.
 *
 * @example
 * const redaction = secretRedaction([...secretsFromEnv(io.env), ...secretFlagValues(args)]);
 * const stdout = redaction.stream(io.stdout);
 */
export function secretRedaction(initial: readonly string[]): SecretRedaction {
  let known: string[] = [];
  let current: Redactor = createRedactor([]);
  const add = (...values: (string | undefined)[]) => {
    const added = values.filter((v): v is string => typeof v === 'string' && v.length > 0);
    if (added.length === 0) return;
    known = [...new Set([...known, ...added])];
    current = createRedactor(known);
  };
  add(...initial);
  const redact = (text: string) => (current.secrets.length === 0 ? text : current.redact(text));
  return {
    add,
    redact,
    stream(target) {
      const stream = new Writable({
        decodeStrings: false,
        // Passed on at once (callback called synchronously), so output keeps its order with
        // whatever else writes to `target`.
        write(chunk: string | Uint8Array, _encoding, callback) {
          const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
          target.write(redact(text));
          callback();
        },
      });
      return Object.assign(stream, { isTTY: target.isTTY, columns: target.columns });
    },
  };
}
