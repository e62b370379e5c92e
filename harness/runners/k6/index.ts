/** The k6 driver: scenario → k6 script (export), k6's output → our result (import), and both in one (run). */
export { exportK6Script, k6Thresholds } from './export/index.js';
export type { K6Format, K6Import, K6ImportOptions, ThresholdMap } from './import/import-k6.js';
export { importK6File } from './import/import-k6.js';
export { K6_BUILTIN_METRICS, K6_SCRIPT_METRICS, k6Measures } from './k6-metrics.js';
export { findK6, K6_INSTALL_URL, noK6Error } from './run/find-k6.js';
export { type K6RunOptions, runK6 } from './run/run-k6.js';
