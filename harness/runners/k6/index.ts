/** The k6 driver: import k6's output into our result model (export and run follow). */
export type { K6Format, K6Import, K6ImportOptions, ThresholdMap } from './import/import-k6.js';
export { importK6File } from './import/import-k6.js';
export { K6_BUILTIN_METRICS, K6_SCRIPT_METRICS, k6Measures } from './k6-metrics.js';
