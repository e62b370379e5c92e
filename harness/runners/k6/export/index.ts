/** Scenario → k6 script. */
export { executorOptions } from './executor-options.js';
export { exportK6Script } from './export-script.js';
export { type K6Thresholds, k6Thresholds } from './k6-thresholds.js';
