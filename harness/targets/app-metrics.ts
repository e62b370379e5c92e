/** One sample of a Prometheus text exposition: `name{label="value",…} 12`. */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\S+)?$/;
const LABEL = /([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * The samples of a Prometheus text exposition (format 0.0.4, what prom-client writes):
 * comments and malformed lines are skipped, label values unescaped.
 *
 * @example
 * parsePrometheusText('http_requests_total{route="/chat",status="200"} 3\n');
 * // [{ name: 'http_requests_total', labels: { route: '/chat', status: '200' }, value: 3 }]
 */
export function parsePrometheusText(text: string): PromSample[] {
  const samples: PromSample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    if (m === null) continue;
    const value = Number(m[3]);
    if (Number.isNaN(value)) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) {
      labels[l[1]!] = l[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: m[1]!, labels, value });
  }
  return samples;
}

/** The labels a request counter may name its route, method and status with. */
const ROUTE_LABELS = ['route', 'path', 'url'];
const STATUS_LABELS = ['status_code', 'status', 'code'];

/**
 * The chat app's count of `POST /chat` requests by HTTP status, from its `/metrics`: the
 * counter `metric` (the app's requests by route and status), summed by status over its other
 * labels. `null` when the exposition has no such counter.
 *
 * @example
 * chatRequestsOf(await (await fetch(`${appUrl}/metrics`)).text()); // { '200': 240, '429': 2 }
 */
export function chatRequestsOf(text: string, metric = CHAT_REQUESTS_METRIC): Record<string, number> | null {
  const byStatus: Record<string, number> = {};
  let seen = false;
  for (const s of parsePrometheusText(text)) {
    if (s.name !== metric) continue;
    seen = true;
    const route = ROUTE_LABELS.map((l) => s.labels[l]).find((v) => v !== undefined);
    const method = s.labels.method;
    if (route !== '/chat' || (method !== undefined && method.toUpperCase() !== 'POST')) continue;
    const status = STATUS_LABELS.map((l) => s.labels[l]).find((v) => v !== undefined) ?? 'unknown';
    byStatus[status] = (byStatus[status] ?? 0) + s.value;
  }
  return seen ? byStatus : null;
}

/** The chat app's counter of requests answered, by route pattern and status (`harness/service/metrics.ts`). */
export const CHAT_REQUESTS_METRIC = 'nexus_app_http_requests_total';
