import { createRedactor, type Redactor, secretsFromEnv } from '../util/redact.js';

let secrets: string[] = [];
let redactor: Redactor = createRedactor([]);
let installed = false;

/**
 * Makes every write to `process.stdout` and `process.stderr` go through the redactor of the
 * secrets known to the process: the `NEXUS_*` key and token variables, and whatever a command
 * registers with {@link addOutputSecret} (the mock's `--api-key`). This is the CLI's last line
 * of defence: a secret that reaches a message by any path (a flag's echo, a URL's query, a
 * threshold key) is printed as `[redacted]`. Idempotent.
 *
 * @example
 * redactProcessOutput(process.env); // first thing in main()
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
 * Adds secrets to the output redactor (values shorter than the redactor's minimum are ignored).
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
