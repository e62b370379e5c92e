/**
 * The loopback rule, in one place: `localhost`, `127.0.0.0/8` and `::1` (bracketed or not)
 * are the only hosts load goes to without an explicit opt-in, and the only names the mock
 * answers to when it is bound to loopback.
 *
 * @example
 * isLoopbackHost('127.0.0.2'); // true
 * isLoopbackHost('[::1]');     // true
 * isLoopbackHost('0.0.0.0');   // false: every interface, not loopback
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
