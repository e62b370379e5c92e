/**
 * The CLI speaks English whatever the locale: its hints read yargs' English messages (a German
 * "Unbekanntes Argument" lost the "Did you mean"), and the bundled bin has no yargs locale files
 * beside it, so without this the two entries would answer differently.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runCliInProcess as cli } from '../support/cli.js';

const saved = { LANG: process.env.LANG, LC_ALL: process.env.LC_ALL };
afterEach(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('the CLI under a German locale', () => {
  it('still suggests the flag meant, in English (exit 2)', async () => {
    process.env.LANG = 'de_DE.UTF-8';
    process.env.LC_ALL = 'de_DE.UTF-8';
    const outcome = await cli(['run', 'smoke', '--durtion', '2s']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('Unknown flag --durtion. Did you mean --duration?');
    expect(outcome.stderr).not.toMatch(/Unbekannt/);
  });
});
