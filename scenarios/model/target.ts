/**
 * Where a scenario sends its load by default:
 * - `mock`: the local mock server, started by the harness (the default).
 * - `msw`: the mock's MSW handlers, in process.
 * - `url`: any URL (`url` required).
 * - `real`: the real Nexus API (needs `NEXUS_API_KEY`).
 * - `pact`: a Pact mock server (`url` of it, optional).
 * - `app`: the chat app (`harness/app/`) in front of the local mock, both started by the
 *   harness (or an app already running: `--app-url`); the workload's `chat` op posts to it.
 *
 * @example
 * TARGET_KINDS.includes(flag as TargetKind)
 */
export const TARGET_KINDS = ['mock', 'msw', 'url', 'real', 'pact', 'app'] as const;
/** One of {@link TARGET_KINDS}. */
export type TargetKind = (typeof TARGET_KINDS)[number];
