/**
 * The live dashboard of a run (`run --dashboard`): the HTML report's page on 127.0.0.1,
 * updated every second through Server-Sent Events.
 */
export type { Dashboard, DashboardOptions } from './server.js';
export { startDashboard } from './server.js';
export { sseFrame } from './sse.js';
