/**
 * URLs as the harness prints and stores them: never with credentials. A URL's userinfo
 * (`user:pass@`) is a secret like any API key; everything that shows or records a URL goes
 * through {@link redactUrl}.
 */

/**
 * `url` without its userinfo (`http://user:pass@host/` → `http://host/`). Text that is not a URL
 * keeps its shape, with any `//user:pass@` in it cut out the same way.
 *
 * @example
 * redactUrl('http://me:s3cret@127.0.0.1:4010/api/public') // 'http://127.0.0.1:4010/api/public'
 * redactUrl('not a url') // 'not a url'
 */
export function redactUrl(url: string): string {
  if (URL.canParse(url)) {
    const parsed = new URL(url);
    if (parsed.username === '' && parsed.password === '') return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.href;
  }
  return url.replace(/\/\/[^/\s@]*@/g, '//');
}

/**
 * True when `url` carries a user name or password. The harness refuses such URLs (the Nexus
 * API authenticates with the `api-key` header from `NEXUS_API_KEY`; a password in a URL ends up
 * in shell history and process lists).
 *
 * @example
 * hasUrlCredentials('http://me:pw@127.0.0.1:4010') // true
 */
export function hasUrlCredentials(url: string): boolean {
  if (!URL.canParse(url)) return /\/\/[^/\s@]*@/.test(url);
  const parsed = new URL(url);
  return parsed.username !== '' || parsed.password !== '';
}

/**
 * The password (else user name) of a URL, decoded, for redactors to search output for; `null` if none.
 *
 * @example
 * urlSecret('http://me:pw@127.0.0.1:4010') // 'pw'
 */
export function urlSecret(url: string): string | null {
  if (!URL.canParse(url)) return null;
  const parsed = new URL(url);
  const raw = parsed.password || parsed.username;
  if (raw === '') return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/**
 * The `http://` origin of a server listening on `host` and `port`, an IPv6 host in brackets.
 *
 * @example
 * httpOrigin('127.0.0.1', 4010); // 'http://127.0.0.1:4010'
 * httpOrigin('::1', 4010);       // 'http://[::1]:4010'
 */
export function httpOrigin(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
