/** The recorder: HDR histograms, counters, rates and gauges per (metric, tag set), the time series, generator health. */
export type { CounterData, GaugeData, MetricData, RateData, TrendData } from './cells.js';
export { CounterCell, GaugeCell, RateCell, TrendCell } from './cells.js';
export type {
  EventLoopDelayMonitor,
  GeneratorHealth,
  GeneratorHealthOptions,
  GeneratorHealthReport,
} from './generator-health.js';
export { createGeneratorHealth } from './generator-health.js';
export type { GeneratorLimits } from './generator-warnings.js';
export { generatorWarnings } from './generator-warnings.js';
export {
  createHdrHistogram,
  HDR_HIGHEST_US,
  HDR_LOWEST_US,
  HDR_SIGNIFICANT_DIGITS,
  msToMicros,
  US_PER_MS,
} from './hdr.js';
export { QuantileSketch } from './quantile-sketch.js';
export type { GeneratorReport, Recorder, RecorderOptions } from './recorder.js';
export { createRecorder } from './recorder.js';
export type { SeriesData, TimeSeriesOptions } from './series.js';
export { TimeSeries } from './series.js';
export { canonicalTagKey, sortedTags } from './tag-key.js';
