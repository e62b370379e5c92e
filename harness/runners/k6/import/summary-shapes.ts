/**
 * k6's three end-of-test summary shapes, read into one list of printed metrics:
 * - the legacy `--summary-export` file: `{ root_group, metrics: { key: { avg, …, thresholds:
 *   { expr: failed } } } }` — no metric types, and in a threshold map `true` means *failed*;
 * - the `data` object `handleSummary(data)` receives: `{ state, metrics: { key: { type,
 *   contains, values, thresholds: { expr: { ok } } } } }`;
 * - the machine-readable summary of k6 ≥ 1.5 (`--new-machine-readable-summary`): `{ version,
 *   metadata, config, results: { metrics: [ { name, type, contains, values, thresholds } ] } }`.
 * Told apart by structure, never by file name.
 */
import type { MetricKind } from '../../../engine/types.js';
import type { ValidationProblem } from '../../../util/validation.js';
import { splitSubmetric } from './k6-tags.js';

/** Which summary shape a document is. */
export type SummaryFormat = 'summary-export' | 'handle-summary' | 'machine-readable-summary';

/** A threshold as k6 judged it. */
export interface PrintedThreshold {
  expression: string;
  ok: boolean;
}

/** One metric (or submetric) as a summary printed it. */
export interface PrintedMetric {
  /** k6's key: `http_req_duration{op:get_session}` for a submetric. */
  key: string;
  name: string;
  /** The submetric's tag filter; empty for the metric itself. */
  tags: Record<string, string>;
  kind: MetricKind;
  contains: string;
  /** The figures as k6 printed them (`avg`, `p(95)`, `count`, `rate`, `passes`, …). */
  values: Record<string, number>;
  thresholds: PrintedThreshold[];
}

/** A summary read into {@link PrintedMetric}s. */
export interface PrintedSummary {
  format: SummaryFormat;
  metrics: PrintedMetric[];
  /** k6's own test run duration, ms, when the shape says it (handleSummary's `state`). */
  testRunDurationMs: number | null;
  /** The k6 version, when the shape says it. */
  k6Version: string | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const KINDS: ReadonlySet<string> = new Set(['trend', 'counter', 'rate', 'gauge']);

/**
 * The shape of a parsed JSON document, or null when it is none of k6's summaries.
 *
 * @example
 * detectSummaryFormat(JSON.parse(text)); // 'summary-export'
 */
export function detectSummaryFormat(doc: unknown): SummaryFormat | null {
  if (!isRecord(doc)) return null;
  if (isRecord(doc.results) && Array.isArray(doc.results.metrics) && 'version' in doc) {
    return 'machine-readable-summary';
  }
  if (!isRecord(doc.metrics)) return null;
  const first = Object.values(doc.metrics)[0];
  if (isRecord(first) && isRecord(first.values) && typeof first.type === 'string') return 'handle-summary';
  return 'summary-export';
}

/** The legacy export has no types: the figures a metric has tell its kind. */
function legacyKind(values: Record<string, unknown>): MetricKind {
  if ('passes' in values && 'fails' in values) return 'rate';
  if ('count' in values && 'rate' in values) return 'counter';
  if ('value' in values && !('avg' in values)) return 'gauge';
  return 'trend';
}

function numbersOf(
  values: Record<string, unknown>,
  path: string,
  problems: ValidationProblem[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, v] of Object.entries(values)) {
    if (name === 'thresholds') continue;
    if (typeof v === 'number' && Number.isFinite(v)) out[name] = v;
    else problems.push({ path: `${path}.${name}`, message: `expected a number (got ${JSON.stringify(v)})` });
  }
  return out;
}

/** `{ expr: failed }` (legacy), `{ expr: { ok } }` (handleSummary) or `[{ source, ok }]` (≥ 1.5). */
function thresholdsOf(
  raw: unknown,
  legacy: boolean,
  path: string,
  problems: ValidationProblem[],
): PrintedThreshold[] {
  if (raw === undefined || raw === null) return [];
  const out: PrintedThreshold[] = [];
  if (Array.isArray(raw)) {
    raw.forEach((t, i) => {
      const expression = isRecord(t) ? (t.source ?? t.expression ?? t.threshold) : undefined;
      if (isRecord(t) && typeof expression === 'string' && typeof t.ok === 'boolean')
        out.push({ expression, ok: t.ok });
      else problems.push({ path: `${path}[${i}]`, message: 'expected { source, ok }' });
    });
    return out;
  }
  if (!isRecord(raw)) {
    problems.push({ path, message: 'expected an object of expression → outcome' });
    return out;
  }
  for (const [expression, v] of Object.entries(raw)) {
    // The legacy export's boolean says whether the threshold *failed* (architecture.md).
    if (legacy && typeof v === 'boolean') out.push({ expression, ok: !v });
    else if (isRecord(v) && typeof v.ok === 'boolean') out.push({ expression, ok: v.ok });
    else
      problems.push({
        path: `${path}.${JSON.stringify(expression)}`,
        message: legacy ? 'expected true (failed) or false (passed)' : 'expected { ok: boolean }',
      });
  }
  return out;
}

function printed(
  key: string,
  kind: MetricKind,
  contains: string,
  values: Record<string, number>,
  thresholds: PrintedThreshold[],
): PrintedMetric {
  const { name, tags } = splitSubmetric(key);
  return { key, name, tags, kind, contains, values, thresholds };
}

/**
 * Reads a parsed summary of `format`, collecting every problem with its field path
 * (`metrics.http_reqs.count: expected a number`).
 *
 * @example
 * const { metrics, problems } = readSummary(doc, 'summary-export');
 */
export function readSummary(
  doc: Record<string, unknown>,
  format: SummaryFormat,
): { summary: PrintedSummary; problems: ValidationProblem[] } {
  const problems: ValidationProblem[] = [];
  const metrics: PrintedMetric[] = [];
  let testRunDurationMs: number | null = null;
  let k6Version: string | null = null;
  if (format === 'machine-readable-summary') {
    const results = doc.results as { metrics: unknown[] };
    k6Version = typeof doc.version === 'string' ? doc.version : null;
    const metadata = isRecord(doc.metadata) ? doc.metadata : {};
    const duration =
      metadata.testRunDurationMs ?? (isRecord(doc.state) ? doc.state.testRunDurationMs : undefined);
    if (typeof duration === 'number') testRunDurationMs = duration;
    results.metrics.forEach((m, i) => {
      const path = `results.metrics[${i}]`;
      if (!isRecord(m) || typeof m.name !== 'string') {
        problems.push({ path: `${path}.name`, message: 'expected a metric name' });
        return;
      }
      if (typeof m.type !== 'string' || !KINDS.has(m.type)) {
        problems.push({ path: `${path}.type`, message: 'expected trend, counter, rate or gauge' });
        return;
      }
      if (!isRecord(m.values)) {
        problems.push({ path: `${path}.values`, message: 'expected an object of figures' });
        return;
      }
      metrics.push(
        printed(
          m.name,
          m.type as MetricKind,
          typeof m.contains === 'string' ? m.contains : 'default',
          numbersOf(m.values, `${path}.values`, problems),
          thresholdsOf(m.thresholds, false, `${path}.thresholds`, problems),
        ),
      );
    });
    return { summary: { format, metrics, testRunDurationMs, k6Version }, problems };
  }
  const all = doc.metrics as Record<string, unknown>;
  if (format === 'handle-summary' && isRecord(doc.state) && typeof doc.state.testRunDurationMs === 'number') {
    testRunDurationMs = doc.state.testRunDurationMs;
  }
  for (const [key, m] of Object.entries(all)) {
    const path = `metrics.${key}`;
    if (!isRecord(m)) {
      problems.push({ path, message: 'expected an object' });
      continue;
    }
    if (format === 'handle-summary') {
      if (typeof m.type !== 'string' || !KINDS.has(m.type)) {
        problems.push({ path: `${path}.type`, message: 'expected trend, counter, rate or gauge' });
        continue;
      }
      if (!isRecord(m.values)) {
        problems.push({ path: `${path}.values`, message: 'expected an object of figures' });
        continue;
      }
      const values = numbersOf(m.values, `${path}.values`, problems);
      const contains = typeof m.contains === 'string' ? m.contains : 'default';
      metrics.push(
        printed(
          key,
          m.type as MetricKind,
          contains,
          values,
          thresholdsOf(m.thresholds, false, `${path}.thresholds`, problems),
        ),
      );
    } else {
      const kind = legacyKind(m);
      const values = numbersOf(m, path, problems);
      // The legacy export's rate figure is `value`; the other shapes call it `rate`.
      if (kind === 'rate' && values.rate === undefined && values.value !== undefined)
        values.rate = values.value;
      metrics.push(
        printed(
          key,
          kind,
          kind === 'trend' ? 'time' : 'default',
          values,
          thresholdsOf(m.thresholds, true, `${path}.thresholds`, problems),
        ),
      );
    }
  }
  return { summary: { format, metrics, testRunDurationMs, k6Version }, problems };
}
