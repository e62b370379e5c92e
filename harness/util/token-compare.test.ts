import { describe, expect, it } from 'vitest';
import { tokensEqual } from './token-compare.js';

describe('tokensEqual', () => {
  it('is true only for the same string', () => {
    expect(tokensEqual('s3cret-token', 's3cret-token')).toBe(true);
    expect(tokensEqual('s3cret-tokem', 's3cret-token')).toBe(false);
    expect(tokensEqual('s3cret', 's3cret-token')).toBe(false);
    expect(tokensEqual('', 's3cret-token')).toBe(false);
  });

  it('is false for a missing or repeated header (undefined, an array)', () => {
    expect(tokensEqual(undefined, 's3cret-token')).toBe(false);
    expect(tokensEqual(['s3cret-token', 's3cret-token'], 's3cret-token')).toBe(false);
  });
});
