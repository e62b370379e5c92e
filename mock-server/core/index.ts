/**
 * The Nexus API simulator core: state, limits, assistant, faults, idempotency and ledger,
 * with no I/O. The HTTP server (`mock-server/http`) and MSW handlers (`mock-server/msw`) are
 * its faces.
 */
export { ADMIN_ROUTES, handleAdmin, isAdminPath } from './admin.js';
export { ADMIN_TOKEN_ENV, ADMIN_TOKEN_HEADER, adminTokenHeaders } from './admin-token.js';
export { type ManualClock, manualClock, systemClock } from './clock.js';
export {
  type Distribution,
  type FaultRule,
  type FaultRuleInput,
  type LimitsConfig,
  type MockConfig,
  type MockConfigInput,
  mockConfigSchema,
  resolveMockConfig,
} from './config.js';
export { fingerprintKey, isFingerprint, PUBLIC_DEMO_KEY, shownKey } from './keys.js';
export { type PublicMockConfig, publicConfig, resolveKeyRefs } from './public-config.js';
export { ADMIN_PREFIX, BASE_PATH } from './router.js';
export type { SeedThreadInput } from './seed-thread.js';
export { createSimulator, Simulator } from './simulator.js';
export type * from './types.js';
