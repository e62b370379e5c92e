import type { ReportFormat } from '../../../reports/formats.js';
import { LIMITS } from '../../../scenarios/model/limits.js';
import type { TargetKind } from '../../../scenarios/model/target.js';
import { formatDurationMs } from '../../util/duration.js';
import { formatNumber } from '../../util/format-number.js';
import type { SplitRunArgs } from './run-split-args.js';

/** The flags of `nexus-harness run`, as yargs parses them (the split-run ones in `SplitRunArgs`). */
export interface RunArgs extends SplitRunArgs {
  scenario: string;
  target?: TargetKind;
  url?: string;
  'app-url'?: string;
  'allow-remote': boolean;
  'pact-file'?: string;
  vus?: number;
  rate?: number;
  duration?: string;
  seed?: number;
  out?: string | false;
  threshold?: string[];
  'unsafe-ignore-rate-limits': boolean;
  quiet: boolean;
  /** Reports to write beside result.json (`--report md,junit,k6`), checked and deduplicated. */
  report?: ReportFormat[];
  /** `--dashboard [PORT]`: the live dashboard's port on 127.0.0.1 (0: a free one). */
  dashboard?: number;
}

/**
 * A count as the help and the messages print it (`20,000`).
 *
 * @example
 * fmt(LIMITS.vus) // '20,000'
 */
export const fmt = (n: number): string => formatNumber(n);

/** What `--duration` accepts, for its help line and its error message alike. */
export const DURATION_FLAG_HINT = `a duration such as 30s, 1m30s, 500ms or 2h, or a bare number of ms (1500); at most ${formatDurationMs(LIMITS.durationMs)}`;
