/** Thresholds with k6's grammar: parsing and validation, evaluation over results or live data. */
export type { EvaluateOptions, ThresholdMetricsInput } from './evaluate.js';
export { AUDIT_METRICS, evaluateThresholds, thresholdsPassed } from './evaluate.js';
export type {
  Aggregation,
  ExpressionParse,
  NamedAggregation,
  ThresholdExpression,
  ThresholdOperator,
} from './expression.js';
export {
  compare,
  formatAggregation,
  formatThresholdExpression,
  NAMED_AGGREGATIONS,
  OPERATORS,
  parseThresholdExpression,
} from './expression.js';
export type { Judgement } from './judge.js';
export { judge } from './judge.js';
export type { KeyParse, ThresholdKey } from './key.js';
export { parseThresholdKey } from './key.js';
export type { MetricCatalogue, ParsedThreshold } from './parse.js';
export { AGGREGATIONS_BY_KIND, parseThresholds } from './parse.js';
