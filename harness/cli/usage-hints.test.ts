import { describe, expect, it } from 'vitest';
import { suggest } from './usage-hints.js';

const usage = { getDescriptions: () => ({ vus: '', rate: '', 'pact-file': '', out: '' }) };

describe('suggest', () => {
  it("names an unknown kebab-case flag once, not again as yargs' camelCase alias", () => {
    // yargs lists both spellings of an unknown `--api-key`: "Unknown arguments: api-key, apiKey".
    expect(suggest('Unknown arguments: api-key, apiKey', usage, ['run', 'smoke', '--api-key', 'X'])).toBe(
      'Unknown flag --api-key.',
    );
    expect(suggest('Unknown arguments: apiKey, api-key', usage, ['run', 'smoke', '--apiKey=X'])).toBe(
      'Unknown flag --apiKey.',
    );
  });

  it('still names each distinct unknown argument on a line of its own', () => {
    expect(
      suggest('Unknown arguments: vsu, api-key, apiKey, extra', usage, [
        'run',
        'smoke',
        '--vsu',
        '3',
        '--api-key',
        'X',
        'extra',
      ]),
    ).toBe('Unknown flag --vsu. Did you mean --vus?\nUnknown flag --api-key.\nUnexpected argument "extra".');
  });
});
