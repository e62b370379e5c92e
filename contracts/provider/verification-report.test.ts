import { describe, expect, it } from 'vitest';
import { formatVerificationReport, parseCoreResult } from './verification-report.js';

const core = {
  errors: [
    {
      interaction:
        'Verifying a pact between nexus-harness-client and nexus-api Given an ACTIVE thread exists - a request to get an ACTIVE thread',
      mismatch: {
        mismatches: [
          { path: '$', mismatch: 'Actual map is missing the following keys: status', type: 'BodyMismatch' },
          { type: 'StatusMismatch', expected: 200, actual: 201 },
        ],
        type: 'mismatches',
      },
    },
    {
      interaction: 'Verifying a pact between c and p - a request with an invalid API key',
      mismatch: { type: 'error', message: 'Request failed: echo secret-key-123' },
    },
  ],
  interactionResults: [
    { description: 'a request to get an ACTIVE thread', result: 'Error' },
    { description: 'a request to create a thread without a first message', result: 'OK' },
    { description: 'a request with an invalid API key', result: 'Error' },
  ],
};

describe('parseCoreResult', () => {
  it('names each interaction and lists what did not match, the secret redacted', () => {
    const verdicts = parseCoreResult(JSON.stringify(core), 'secret-key-123')!;
    expect(verdicts).toEqual([
      {
        description: 'a request to get an ACTIVE thread',
        ok: false,
        problems: [
          '$: Actual map is missing the following keys: status',
          'StatusMismatch: expected 200, got 201',
        ],
      },
      { description: 'a request to create a thread without a first message', ok: true, problems: [] },
      {
        description: 'a request with an invalid API key',
        ok: false,
        problems: ['Request failed: echo [REDACTED]'],
      },
    ]);
  });

  it('returns null for text that is not the core JSON', () => {
    expect(parseCoreResult('Verification was unable to run', 'k')).toBeNull();
  });
});

describe('formatVerificationReport', () => {
  it('prints a line per interaction and a closing count naming the failures', () => {
    const interactions = parseCoreResult(JSON.stringify(core), 'k')!;
    const text = formatVerificationReport({
      passed: false,
      providerUrl: 'http://127.0.0.1:4010/api/public',
      states: 'none',
      interactions,
      notes: ['provider states cannot be set'],
    });
    expect(text).toContain('PASS  a request to create a thread without a first message');
    expect(text).toContain('FAIL  a request to get an ACTIVE thread');
    expect(text).toContain('Note: provider states cannot be set');
    expect(text).toContain(
      'Verification FAILED: 2 of 3 interaction(s) failed: "a request to get an ACTIVE thread", "a request with an invalid API key".',
    );
  });
});
