/**
 * What the manifests' comments and the help say about the API's quota: it is per key, and
 * every pod of a distributed run uses the same key.
 */
import { isRealApiUrl, REAL_QUOTA } from '../../targets/real.js';

/**
 * ` (the real Nexus API)` for the real API's URL, else nothing: said wherever the URL is shown.
 *
 * @example
 * `NEXUS_BASE_URL is ${url}${baseUrlNote(url)}`
 */
export function baseUrlNote(baseUrl: string): string {
  return isRealApiUrl(baseUrl) ? ' (the real Nexus API)' : '';
}

/**
 * Comment lines on the quota, for `who` (`every runner`, `every pod`). `perPodClient`: each
 * pod runs the harness's own client with a budget of its own (no shared Redis budget), which
 * keeps the real quota for itself alone.
 *
 * @example
 * quotaNote(REAL_BASE_URL, 'every pod', true)
 */
export function quotaNote(baseUrl: string, who: string, perPodClient = false): string[] {
  const { perMinute, perHour } = REAL_QUOTA;
  const lines = [
    `${who[0]!.toUpperCase()}${who.slice(1)} uses the same API key, and the API's quota is per key: ` +
      (isRealApiUrl(baseUrl)
        ? `the real API's ${perMinute.limit} requests per minute and ${perHour.limit.toLocaleString('en-US')} per hour are for all of them together;`
        : 'whatever quota the API at this URL enforces is shared by all of them;'),
    "what goes beyond it is answered 429 (counted in rate_limited, not as failures): size the scenario's rate for the whole key.",
  ];
  if (perPodClient && isRealApiUrl(baseUrl)) {
    lines.push(
      "Each pod's client enforces that quota for itself alone (the pods do not share a budget), so together they may ask for up to N times it;",
      'share one budget through Redis with nexus-harness k8s job --redis URL.',
    );
  }
  return lines;
}
