import { fingerprintKey } from '../../mock-server/core/keys.js';
import type { Simulator } from '../../mock-server/core/simulator.js';
import type { OpenTarget } from '../engine/run/target.js';
import { ERROR_CODES, HarnessError } from '../util/errors.js';
import { redactUrl } from '../util/url.js';

/** What {@link openedTarget} needs; every other field has the default noted. */
export interface OpenedTargetFields
  extends Pick<
    OpenTarget,
    'kind' | 'baseUrl' | 'apiKey' | 'budgets' | 'readLedger' | 'compactLedger' | 'close'
  > {
  /** Default `{}`. */
  clientOptions?: OpenTarget['clientOptions'];
  /** Default `false`. */
  ledgerMayRestart?: boolean;
  /** Default `false`. */
  usesScenarioMock?: boolean;
  /** Default `false`. */
  unlimited?: boolean;
}

/**
 * An {@link OpenTarget} from its fields: the key's fingerprint (as the ledger names it) and a
 * description for the result document that never holds the key or a URL's credentials.
 *
 * @example
 * return openedTarget({ kind: 'real', baseUrl, apiKey, budgets, readLedger: null, close: async () => {} });
 */
export function openedTarget(fields: OpenedTargetFields): OpenTarget {
  const { kind, baseUrl, readLedger } = fields;
  return {
    clientOptions: {},
    ledgerMayRestart: false,
    usesScenarioMock: false,
    unlimited: false,
    ...fields,
    keyId: fingerprintKey(fields.apiKey),
    describe: () => ({ kind, baseUrl: redactUrl(baseUrl), audited: readLedger !== null }),
  };
}

/**
 * `compactLedger` for a simulator in this process (the mock and MSW targets): releases up to
 * `throughSeq` only if `instanceId` is this simulator's, as the admin route does (409) for a
 * mock in another process; otherwise it rejects and releases nothing.
 *
 * @example
 * return openedTarget({ …, readLedger: async (since) => sim.ledger(since), compactLedger: inProcessCompactor(sim) });
 */
export function inProcessCompactor(
  sim: Pick<Simulator, 'instanceId' | 'compactLedger'>,
): NonNullable<OpenTarget['compactLedger']> {
  return async (throughSeq, instanceId) => {
    if (instanceId !== sim.instanceId) {
      throw new HarnessError(
        ERROR_CODES.ledger,
        `Failed to compact the mock's ledger: the page was read from instance ${instanceId}, this mock is ${sim.instanceId}. Nothing was released.`,
      );
    }
    sim.compactLedger(throughSeq);
  };
}
