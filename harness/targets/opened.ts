import { fingerprintKey } from '../../mock-server/core/keys.js';
import type { OpenTarget } from '../engine/run/target.js';
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
