/**
 * Where a run's load goes, as `runScenario` receives it (the engine knows no face of the mock):
 * the harness's own mock server, the mock in process through MSW, a Pact mock server, any URL,
 * the real API, or the chat app in front of the mock.
 */
import type { TargetKind } from '../../scenarios/model/target.js';
import type { Target } from '../engine/run/target.js';
import { UsageError } from '../util/errors.js';
import { appTarget } from './app.js';
import { mockTarget } from './mock.js';
import { mswTarget } from './msw.js';
import { pactTarget } from './pact.js';
import { realTarget } from './real.js';
import { runningMockTarget } from './running-mock.js';
import { urlTarget } from './url.js';

export type { OpenTarget, Target, TargetBudgets } from '../engine/run/target.js';
export { adminLedgerCompactor, adminLedgerReader } from './admin-ledger.js';
export { type AppTargetOptions, appTarget } from './app.js';
export { mockTarget } from './mock.js';
export { mswTarget } from './msw.js';
export { type PactTargetOptions, pactTarget } from './pact.js';
export { REAL_BASE_URL, REAL_QUOTA, type RealTargetOptions, realTarget } from './real.js';
export { runningMockTarget } from './running-mock.js';
export { type UrlTargetOptions, urlTarget } from './url.js';

/** Options of {@link targetFor}: what the flags (`--url`, `--allow-remote`, `--pact-file`, `--app-url`) say. */
export interface TargetChoice {
  /** Base URL for `url` (required) and `pact` (optional: an already running Pact mock server). */
  url?: string;
  allowRemote?: boolean;
  pactFile?: string;
  /** For `app`: a chat app already running (else the harness starts the mock and the app). */
  appUrl?: string;
  /** For `mock`: the harness's mock already running there (`--mock-url`), instead of starting one. */
  mockUrl?: string;
}

/**
 * The target of a kind, as `--target` names it.
 *
 * @example
 * const target = targetFor(argv.target ?? scenario.target, { url: argv.url ?? scenario.url });
 */
export function targetFor(kind: TargetKind, choice: TargetChoice = {}): Target {
  switch (kind) {
    case 'mock':
      if (choice.mockUrl !== undefined)
        return runningMockTarget({ url: choice.mockUrl, allowRemote: choice.allowRemote });
      return mockTarget();
    case 'msw':
      return mswTarget();
    case 'url':
      if (choice.url === undefined) return missingUrl();
      return urlTarget({ url: choice.url, allowRemote: choice.allowRemote });
    case 'pact':
      return pactTarget(choice);
    case 'real':
      return realTarget({ allowRemote: choice.allowRemote });
    case 'app':
      return appTarget({ appUrl: choice.appUrl, allowRemote: choice.allowRemote });
  }
}

/** `url` without a URL: refused when the run opens it, as every other target problem is. */
function missingUrl(): Target {
  return {
    kind: 'url',
    open: async () => {
      throw new UsageError('Target url needs a URL: pass --url.');
    },
  };
}
