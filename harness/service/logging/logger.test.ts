import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { REDACTED } from '../../util/redact.js';
import { createServiceLogger } from './logger.js';

/** A destination that keeps every line written to it. */
function capture(): { stream: Writable; lines: () => string[] } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, lines: () => text.split('\n').filter((l) => l !== '') };
}

const KEY = 'nx-live-4f9c2d81a7e3b6';
const ROTATED = 'nx-live-rotated-77aa01';

describe('createServiceLogger', () => {
  it('writes JSON lines with level, time and message', () => {
    const out = capture();
    const log = createServiceLogger({ level: 'info', destination: out.stream, secrets: () => [] });
    log.info({ userId: 'u1' }, 'hello');
    log.debug({}, 'not written at info');
    const [line, ...rest] = out.lines();
    expect(rest).toEqual([]);
    const entry = JSON.parse(line!) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 30, userId: 'u1', msg: 'hello' });
    expect(typeof entry.time).toBe('number');
  });

  it('never writes the key: fields, nested headers, message, error message and stack', () => {
    const out = capture();
    const log = createServiceLogger({ level: 'debug', destination: out.stream, secrets: () => [KEY] });
    const err = new Error(`server said: Invalid API key ${KEY}`);
    log.info({ apiKey: KEY }, 'a field named apiKey');
    log.info({ config: { apiKey: KEY } }, 'a nested apiKey');
    log.info({ req: { headers: { 'api-key': KEY, host: 'h' } } }, 'request headers');
    log.info({ headers: { 'api-key': KEY } }, 'headers');
    log.info({ url: `https://x.test/?key=${encodeURIComponent(KEY)}` }, 'an unnamed field');
    log.warn({}, `a message with the key ${KEY} inside`);
    log.error({ err }, 'an error whose message holds the key');
    log.error({ nested: { deeper: { text: `"${KEY}"` } } }, 'JSON-escaped');
    const lines = out.lines();
    expect(lines).toHaveLength(8);
    for (const line of lines) {
      expect(line).not.toContain(KEY);
      expect(line).not.toContain(encodeURIComponent(KEY));
      JSON.parse(line); // still valid JSON after scrubbing
    }
    const errLine = JSON.parse(lines[6]!) as { err: { message: string; stack: string } };
    expect(errLine.err.message).toBe(`server said: Invalid API key ${REDACTED}`);
    expect(errLine.err.stack).toContain(REDACTED);
    expect(JSON.parse(lines[2]!).req.headers).toEqual({ 'api-key': REDACTED, host: 'h' });
  });

  it('censors key fields even when the value is not a known secret', () => {
    const out = capture();
    const log = createServiceLogger({ destination: out.stream, secrets: () => [] });
    log.info({ apiKey: 'unknown-key-value', encryptionKey: 'ab'.repeat(32) }, 'config');
    const line = out.lines()[0]!;
    expect(line).not.toContain('unknown-key-value');
    expect(line).not.toContain('ab'.repeat(32));
  });

  it('asks for the secrets on every line: a rotated key is scrubbed from then on', () => {
    const out = capture();
    const secrets = [KEY];
    const log = createServiceLogger({ destination: out.stream, secrets: () => secrets });
    log.info({}, `before ${ROTATED}`);
    secrets.push(ROTATED);
    log.info({}, `after ${ROTATED} and ${KEY}`);
    const [before, after] = out.lines();
    expect(before).toContain(ROTATED); // not yet a secret
    expect(after).not.toContain(ROTATED);
    expect(after).not.toContain(KEY);
  });
});

describe('createServiceLogger, a failing secrets()', () => {
  it('a secrets() that throws neither throws into the caller nor unscrubs: the last list known is used', () => {
    const out = capture();
    let calls = 0;
    const log = createServiceLogger({
      destination: out.stream,
      secrets: () => {
        calls += 1;
        if (calls > 1) throw new Error('key store unavailable');
        return [KEY];
      },
    });
    log.info({}, `first ${KEY}`);
    expect(() => log.info({}, `second ${KEY}`)).not.toThrow();
    const lines = out.lines();
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).not.toContain(KEY);
  });
});

describe('createServiceLogger, field censoring', () => {
  it("censors key fields at any of the first levels, in arrays too, and leaves the caller's objects alone", () => {
    const out = capture();
    const log = createServiceLogger({ destination: out.stream, secrets: () => [] });
    const fields = {
      Authorization: 'Bearer abcdefgh',
      a: { b: { 'X-Api-Key': 'deep-key-value' } },
      list: [{ password: 'pw-in-array' }],
      apiKey: null,
      keep: 'visible',
    };
    log.info(fields, 'nested');
    const entry = JSON.parse(out.lines()[0]!);
    expect(entry).toMatchObject({
      Authorization: REDACTED,
      a: { b: { 'X-Api-Key': REDACTED } },
      list: [{ password: REDACTED }],
      apiKey: null,
      keep: 'visible',
    });
    expect(fields.a.b['X-Api-Key']).toBe('deep-key-value'); // a copy was censored, not the caller's
  });

  it("censors a child logger's bindings and an error's own fields (a client error carrying its request)", () => {
    const out = capture();
    const log = createServiceLogger({ destination: out.stream, secrets: () => [] });
    log.child({ apiKey: 'child-binding-key' }).info({}, 'from a child');
    log
      .child({ svc: 'chat' })
      .child({ config: { ENCRYPTION_KEY: 'child-binding-key' } })
      .info({}, 'grandchild');
    const err = Object.assign(new Error('request failed'), {
      request: { headers: { 'api-key': 'error-field-key', accept: 'json' } },
    });
    log.error(err);
    log.error({ err }, 'under err');
    const lines = out.lines();
    expect(lines).toHaveLength(4);
    for (const line of lines) {
      expect(line).not.toContain('child-binding-key');
      expect(line).not.toContain('error-field-key');
    }
    expect(JSON.parse(lines[1]!)).toMatchObject({ svc: 'chat', config: { ENCRYPTION_KEY: REDACTED } });
    const entry = JSON.parse(lines[2]!);
    expect(entry.err).toMatchObject({
      type: 'Error',
      message: 'request failed',
      request: { headers: { 'api-key': REDACTED, accept: 'json' } },
    });
    expect(entry.err.stack).toContain('request failed');
  });
});
