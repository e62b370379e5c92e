/** `compare`: two runs side by side, regressions beyond the noise, `--max-regression` gates. */
export type { CompareOptions, CompareRow, Comparison, Worse } from './compare.js';
export { compareResults } from './compare.js';
export type { CompareStat, RegressionGate } from './gate.js';
export { COMPARE_STATS, gateMatches, parseRegressionGate, parseRegressionGates } from './gate.js';
export type { BootstrapOptions } from './noise.js';
export {
  bootstrapRelativeHalfWidth,
  combinedHalfWidth,
  percentileSamplingHalfWidth,
  rateSamplingHalfWidth,
} from './noise.js';
export type { CompareFormat } from './render.js';
export {
  COMPARE_FORMATS,
  isCompareFormat,
  renderCompareJson,
  renderCompareMarkdown,
  renderCompareText,
  renderComparison,
} from './render.js';
