import { adminTokenHeaders } from '../../mock-server/core/admin-token.js';
import type { MockConfig } from '../../mock-server/core/config.js';
import type { Target } from '../engine/run/target.js';
import { UsageError } from '../util/errors.js';
import { requestNoRedirect } from '../util/request-no-redirect.js';
import { redactUrl } from '../util/url.js';
import { openUrl, type UrlTargetOptions } from './url.js';

/** How long reading the mock's configuration may take, ms. */
const CONFIG_TIMEOUT_MS = 2_000;

/** What the running mock says of itself (`GET /__admin/config`): its limits and faults. */
type RunningMockConfig = Pick<MockConfig, 'limits' | 'faults'>;

async function readMockConfig(origin: string, env: NodeJS.ProcessEnv): Promise<RunningMockConfig | null> {
  try {
    const res = await requestNoRedirect(`${origin}/__admin/config`, {
      headers: adminTokenHeaders(env),
      signal: AbortSignal.timeout(CONFIG_TIMEOUT_MS),
    });
    if (!res.ok) return null;
    const config = res.json() as Partial<RunningMockConfig> | null;
    if (config?.limits === undefined) return null;
    return { limits: config.limits, faults: config.faults ?? [] };
  } catch {
    return null;
  }
}

/**
 * The harness's own mock, already running at `url` (its public base URL, `…/api/public`):
 * started by `run --workers` for its workers, or by `nexus-harness mock` for the processes of a
 * split run (`run --segments`, a Kubernetes Indexed Job). As target `mock`, not `url`: the
 * client's budgets are the limits that mock enforces (read from its `GET /__admin/config`, so
 * several processes can share them through Redis), and the run is audited against its ledger
 * over the admin API. It is neither started nor stopped by the run. The scenario's
 * `mock.faults` count as applied when that mock's faults are the same rules.
 *
 * Loopback only unless `allowRemote`; a URL where no nexus-harness mock answers is refused
 * (exit 2), since the audit and the budgets would mean nothing.
 *
 * @example
 * await runScenario(steady, { target: runningMockTarget({ url: 'http://127.0.0.1:4010/api/public' }), segment: { index: 0, count: 2 } });
 */
export function runningMockTarget(options: UrlTargetOptions): Target {
  return {
    kind: 'mock',
    async open({ mock, env }) {
      const opened = await openUrl('mock', options, env, mock.apiKeys[0]!);
      const origin = new URL(options.url).origin;
      const config = opened.readLedger === null ? null : await readMockConfig(origin, env);
      if (config === null) {
        throw new UsageError(
          `--mock-url ${redactUrl(options.url)}: no nexus-harness mock answers its admin API there (/__admin/health, /__admin/config). ` +
            "Start one with 'nexus-harness mock' (and NEXUS_MOCK_ADMIN_TOKEN if it has a token), or use --target url for any other server.",
        );
      }
      return {
        ...opened,
        budgets: { from: 'mock', limits: config.limits },
        usesScenarioMock: JSON.stringify(config.faults) === JSON.stringify(mock.faults),
        unlimited: config.limits === false,
      };
    },
  };
}
