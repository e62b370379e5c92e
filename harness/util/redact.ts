import { Transform } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/**
 * The one redactor for text the harness passes on from elsewhere (Pact's verifier output, a
 * provider's bodies): every known secret — API keys, admin tokens, URL passwords — becomes
 * {@link REDACTED}, also when a secret arrives split across chunks of a stream.
 */

/** What a secret is replaced with. */
export const REDACTED = '[redacted]';

/** Secrets shorter than this are not searched for (they would match ordinary text). */
export const MIN_SECRET_LENGTH = 6;

/**
 * Environment variables whose values are secrets though their names do not follow the `NEXUS_*`
 * rule of {@link isSecretEnvName}: the chat app's `ENCRYPTION_KEY`, and the sealed key it opens
 * (`NEXUS_API_KEY_ENCRYPTED`; whoever also holds the encryption key holds the API key).
 */
export const SECRET_ENV_NAMES: readonly string[] = ['ENCRYPTION_KEY', 'NEXUS_API_KEY_ENCRYPTED'];

/** `NEXUS_API_KEY`, and any `NEXUS_*` key, token, secret or password. */
const SECRET_NEXUS_ENV = /^NEXUS_[A-Z0-9_]*(KEY|TOKEN|SECRET|PASSWORD)$/;

/**
 * Whether the environment variable `name` holds a secret: one of {@link SECRET_ENV_NAMES}, or a
 * `NEXUS_*` key, token, secret or password (`NEXUS_API_KEY`, `NEXUS_APP_ADMIN_TOKEN`). The one
 * list of secret variables: the CLI's output redaction and the result file's both read it.
 *
 * @example
 * isSecretEnvName('ENCRYPTION_KEY') // true
 * isSecretEnvName('NEXUS_BASE_URL') // false
 */
export function isSecretEnvName(name: string): boolean {
  return SECRET_NEXUS_ENV.test(name) || SECRET_ENV_NAMES.includes(name);
}

/**
 * The secret values in `env` (see {@link isSecretEnvName}), for {@link createRedactor}.
 *
 * @example
 * createRedactor(secretsFromEnv(process.env)).redact(text)
 */
export function secretsFromEnv(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => isSecretEnvName(name) && typeof value === 'string')
    .map(([, value]) => value as string);
}

/** Replaces known secrets in text; see {@link createRedactor}. */
export interface Redactor {
  /** The secrets searched for (longest first, each also URL-encoded), deduplicated. */
  readonly secrets: readonly string[];
  /** `text` with every secret replaced by {@link REDACTED}. */
  redact(text: string): string;
  /**
   * A byte stream in, redacted UTF-8 text out; a secret split across chunks is still caught (up
   * to the longest secret's length minus one character is held back until the next chunk or the end).
   */
  stream(): Transform;
}

/**
 * A redactor for `secrets` (empty, `null` and values shorter than {@link MIN_SECRET_LENGTH}
 * are skipped).
 *
 * @example
 * const r = createRedactor([process.env.NEXUS_API_KEY]);
 * child.stdout.pipe(r.stream()).pipe(process.stdout);
 * r.redact('api-key: nx_live_abc123') // 'api-key: [redacted]' when that is the key
 */
export function createRedactor(secrets: Iterable<string | null | undefined>): Redactor {
  const set = new Set<string>();
  for (const s of secrets) {
    if (typeof s !== 'string' || s.length < MIN_SECRET_LENGTH) continue;
    set.add(s);
    set.add(encodeURIComponent(s));
    set.add(JSON.stringify(s).slice(1, -1));
  }
  const list = [...set].sort((a, b) => b.length - a.length);
  const hold = list.length === 0 ? 0 : list[0]!.length - 1;
  const redact = (text: string): string => {
    let out = text;
    for (const s of list) if (out.includes(s)) out = out.split(s).join(REDACTED);
    return out;
  };
  return {
    secrets: list,
    redact,
    stream() {
      const decoder = new StringDecoder('utf8');
      let pending = '';
      return new Transform({
        transform(chunk: Buffer | string, _encoding, done) {
          pending = redact(pending + (typeof chunk === 'string' ? chunk : decoder.write(chunk)));
          // A secret that starts before the cut ends inside `pending`, so it was replaced already.
          const cut = Math.max(0, pending.length - hold);
          const ready = pending.slice(0, cut);
          pending = pending.slice(cut);
          done(null, ready);
        },
        flush(done) {
          done(null, redact(pending + decoder.end()));
        },
      });
    },
  };
}
