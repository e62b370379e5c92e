/**
 * Side effect only: turns Pact's anonymous usage telemetry off (`PACT_DO_NOT_TRACK=true`) before
 * Pact loads. Without it, Pact's native core prints "We are tracking events anonymously…" and
 * sends an event to google-analytics.com: a connection off the machine, which the harness never
 * makes. Import it first, before anything that may load `@pact-foundation/pact` (ES modules
 * evaluate their imports in order, so a later import cannot run before it). The native core
 * reads the variable when it would send, from the process environment, so setting it here is
 * enough; it is forced, whatever it was, since the harness promises no traffic off loopback.
 *
 * @example
 * import '../../harness/util/no-pact-telemetry.js'; // first line
 * import { Verifier } from '@pact-foundation/pact';
 */
process.env.PACT_DO_NOT_TRACK = 'true';
