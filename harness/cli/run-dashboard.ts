import { type Dashboard, startDashboard } from '../../reports/dashboard/index.js';
import type { ReportFormat } from '../../reports/formats.js';
import { UsageError } from '../util/errors.js';
import { createRedactor, secretsFromEnv } from '../util/redact.js';
import type { CommandContext } from './command-context.js';

/**
 * Starts `run --dashboard`'s server on 127.0.0.1:`port` (0: a free one), its pages and events
 * redacted of the secrets the CLI knows, and prints its URL on stderr. A port in use is a
 * usage error (exit 2), named.
 *
 * @example
 * const dashboard = await startRunDashboard(0, ctx); // prints "dashboard: http://127.0.0.1:PORT/ …"
 */
export async function startRunDashboard(port: number, ctx: CommandContext): Promise<Dashboard> {
  let dashboard: Dashboard;
  try {
    dashboard = await startDashboard({ port, redact: createRedactor(secretsFromEnv(ctx.env)).redact });
  } catch (err) {
    throw new UsageError(`--dashboard ${port}: ${(err as Error).message}`, { cause: err });
  }
  ctx.stderr.write(
    `dashboard: ${dashboard.url} (live while the run lasts; report.html stays beside result.json)\n`,
  );
  return dashboard;
}

/**
 * The reports a run writes: `--report`'s, plus html when it had a dashboard (which leaves the
 * final page behind).
 *
 * @example
 * reportsOfRun(['md'], true) // ['md', 'html']
 */
export function reportsOfRun(
  reports: readonly ReportFormat[] | undefined,
  dashboard: boolean,
): ReportFormat[] | undefined {
  if (!dashboard) return reports === undefined ? undefined : [...reports];
  return [...new Set<ReportFormat>([...(reports ?? []), 'html'])];
}
