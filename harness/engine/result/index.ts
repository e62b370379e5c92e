/** The result document: types, encoding from the recorder, merging, headline summary. */
export type { MetricsSnapshotSource } from './codec.js';
export { decodeResultMetrics, encodeMetricData, snapshotToResultMetrics } from './codec.js';
export { combineMetricData } from './combine.js';
export type { CreateResultInput } from './create-result.js';
export { createResult } from './create-result.js';
export { mergeResultMetrics, mergeResults } from './merge-results.js';
export type { TimedSeries } from './merge-series.js';
export { mergeSeries } from './merge-series.js';
export { parseResult, runResultSchema } from './parse-result.js';
export type { TrendFigures } from './stats.js';
export { counterStats, gaugeStats, rateStats, trendPercentileMs, trendStats } from './stats.js';
export type { CheckSummary, CustomMetricSummary, ResultSummary } from './summarise.js';
export { summarise } from './summarise.js';
export type {
  CounterEntry,
  CounterStats,
  GaugeEntry,
  GaugeStats,
  RateEntry,
  RateStats,
  ResultGenerator,
  ResultMeta,
  ResultMetric,
  ResultMetrics,
  ResultSeries,
  ResultSetup,
  RunResult,
  ThresholdOutcome,
  TrendEntry,
  TrendStats,
} from './types.js';
export { RESULT_SCHEMA, RESULT_VERSION } from './types.js';
