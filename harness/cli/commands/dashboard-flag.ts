import { UsageError } from '../../util/errors.js';

/** What `run --dashboard` says in `--help`. */
export const DASHBOARD_FLAG_HELP =
  'Serve a live dashboard on 127.0.0.1 during the run (charts and tables updated every second; the URL is printed at the start) and leave report.html beside result.json. PORT optional: a free one by default. Loopback only; refused with --no-out';

/**
 * The port of `--dashboard [PORT]` as typed: `--dashboard` alone (`''`) is 0, a free port; a
 * port is an integer from 1 to 65535. It listens on 127.0.0.1 only, so a host is refused.
 *
 * @example
 * parseDashboardFlag('') // 0
 * parseDashboardFlag('8080') // 8080
 * parseDashboardFlag('0.0.0.0:8080') // throws a UsageError: loopback only
 */
export function parseDashboardFlag(value: unknown): number {
  const text = String(value ?? '').trim();
  if (text === '' || value === true) return 0;
  if (/^\d+$/.test(text)) {
    const port = Number(text);
    if (port >= 0 && port <= 65_535) return port;
  }
  if (text.includes(':') || /[a-z]/i.test(text)) {
    const host = text.includes(':') ? ` (got host ${text.slice(0, text.lastIndexOf(':')) || "''"})` : '';
    throw new UsageError(
      `--dashboard takes a port, not a host: it listens on 127.0.0.1 only${host}. Got '${text}'; expected --dashboard or --dashboard PORT (1-65535). If that was the scenario, put it before --dashboard.`,
    );
  }
  throw new UsageError(
    `--dashboard: expected a port from 1 to 65535, or none for a free one (got '${text}').`,
  );
}
