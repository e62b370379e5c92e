import { describe, expect, it } from 'vitest';
import { providerRoot } from '../../contracts/provider/verify-provider.js';
import { formatRunSummary } from '../../harness/cli/run-summary.js';
import type { RunResult } from '../../harness/engine/result/types.js';
import { urlTarget } from '../../harness/targets/index.js';
import { UsageError } from '../../harness/util/errors.js';

/**
 * A URL's userinfo is a secret: a `--url http://user:pass@…` is refused with a usage error that
 * does not repeat the password, and no printed URL ever carries one.
 */

const PASSWORD = 'pw_5f0c1d2e3a4b';
const withCredentials = `http://user:${PASSWORD}@127.0.0.1:9/api/public`;

describe('URLs with credentials', () => {
  it('run --url with user:pass@ is refused (exit 2), and the message does not contain the password', async () => {
    const err = await urlTarget({ url: withCredentials })
      .open({ mock: { apiKeys: ['nexus-mock-key'] } as never, env: {} })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/credentials/);
    expect((err as Error).message).toContain('http://127.0.0.1:9/api/public');
    expect((err as Error).message).not.toContain(PASSWORD);
  });

  it('contracts verify --provider-url with user:pass@ is refused, without the password', () => {
    expect(() => providerRoot(withCredentials)).toThrow(UsageError);
    expect(() => providerRoot(withCredentials)).toThrow(/credentials/);
    try {
      providerRoot(withCredentials);
    } catch (e) {
      expect((e as Error).message).not.toContain(PASSWORD);
    }
  });

  it('the run summary never prints a URL password, even from a result that carries one', () => {
    const result = {
      scenario: { name: 's' },
      target: { kind: 'url', baseUrl: withCredentials },
      metrics: {},
      series: [],
      generator: { warnings: [] },
      audit: null,
      thresholds: [],
      passed: true,
      interrupted: false,
      durationMs: 1000,
    } as unknown as RunResult;
    const text = formatRunSummary(result, null);
    expect(text).toContain('(http://127.0.0.1:9/api/public)');
    expect(text).not.toContain(PASSWORD);
  });
});
