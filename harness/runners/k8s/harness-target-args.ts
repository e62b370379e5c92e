/**
 * The `nexus-harness run` flags that point a pod at a base URL: `--target real` for the real
 * API (its quota enforced in each pod's client), else `--target url --url URL`, with
 * `--allow-remote` only when the host is not loopback (the harness refuses such a host
 * without it).
 */
import { isRealApiUrl } from '../../targets/real.js';
import { isLoopbackHost } from '../../util/loopback.js';

/**
 * The target flags of `nexus-harness run` for `baseUrl` (already checked: http(s), no
 * credentials, no query).
 *
 * @example
 * harnessTargetArgs('http://nexus-mock.load.svc:4010/api/public')
 * // ['--target', 'url', '--url', 'http://nexus-mock.load.svc:4010/api/public', '--allow-remote']
 */
export function harnessTargetArgs(baseUrl: string): string[] {
  if (isRealApiUrl(baseUrl)) return ['--target', 'real', '--allow-remote'];
  const args = ['--target', 'url', '--url', baseUrl];
  if (!isLoopbackHost(new URL(baseUrl).hostname)) args.push('--allow-remote');
  return args;
}
