import { describe, expect, it } from 'vitest';
import { hasUrlCredentials, redactUrl, urlSecret } from './url.js';

describe('redactUrl', () => {
  it('drops user name and password, and leaves every other URL as it was', () => {
    expect(redactUrl('http://me:s3cret@127.0.0.1:4010/api/public')).toBe('http://127.0.0.1:4010/api/public');
    expect(redactUrl('http://me@127.0.0.1:4010/x?y=1')).toBe('http://127.0.0.1:4010/x?y=1');
    expect(redactUrl('http://127.0.0.1:4010/api/public')).toBe('http://127.0.0.1:4010/api/public');
    expect(redactUrl('http://[::1]:4010')).toBe('http://[::1]:4010');
  });

  it('cuts userinfo out of text that is not a URL', () => {
    expect(redactUrl('go to //me:pw@host/x now')).toBe('go to //host/x now');
  });
});

describe('hasUrlCredentials and urlSecret', () => {
  it('see a password or a user name, decoded', () => {
    expect(hasUrlCredentials('http://me:p%40ss@127.0.0.1/')).toBe(true);
    expect(hasUrlCredentials('http://127.0.0.1/')).toBe(false);
    expect(urlSecret('http://me:p%40ss@127.0.0.1/')).toBe('p@ss');
    expect(urlSecret('http://token@127.0.0.1/')).toBe('token');
    expect(urlSecret('http://127.0.0.1/')).toBeNull();
  });
});
