import { UsageError } from '../../harness/util/errors.js';

/** The nock module, as `import('nock')` gives it (its CommonJS export). */
export type NockModule = typeof import('nock');

/** The nock majors this face is built and tested on (the peer dependency's range). */
export const NOCK_PEER_RANGE = '^14.0.0';

function isNockMissing(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return (
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') &&
    typeof message === 'string' &&
    /['"]nock['"]/.test(message)
  );
}

/**
 * Loads the suite's own `nock`, only when a nock mock is created: nock is an optional peer
 * dependency (suites that use nock bring theirs, and must share its one interceptor), and
 * importing nock activates its interception, which nothing else of the package should do.
 * `importNock` is for tests.
 *
 * @example
 * const nock = await loadNock(); // UsageError naming the install command when nock is missing
 * nock.isActive(); // true: nock activates itself on import
 */
export async function loadNock(
  importNock: () => Promise<unknown> = () => import('nock'),
): Promise<NockModule> {
  try {
    const loaded = (await importNock()) as NockModule | { default: NockModule };
    return 'default' in loaded ? loaded.default : loaded;
  } catch (error) {
    if (!isNockMissing(error)) throw error;
    throw new UsageError(
      `Failed to create the nock mock: the package 'nock' is not installed. nexus-harness/nock runs on your suite's own nock (an optional peer dependency, ${NOCK_PEER_RANGE}): npm install --save-dev nock@${NOCK_PEER_RANGE}`,
      { cause: error },
    );
  }
}
