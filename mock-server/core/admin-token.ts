/**
 * The admin token: a shared secret the mock may require on every admin request (always, when
 * it is bound to an interface other than loopback). Clients send it in
 * {@link ADMIN_TOKEN_HEADER}; the harness's own admin clients read it from
 * {@link ADMIN_TOKEN_ENV}, which the `mock` command also takes as the default of `--admin-token`.
 */

/**
 * The request header that carries the admin token.
 *
 * @example
 * fetch(`${origin}/__admin/ledger`, { headers: { [ADMIN_TOKEN_HEADER]: token } });
 */
export const ADMIN_TOKEN_HEADER = 'x-admin-token';

/**
 * The environment variable holding the admin token, for the harness's admin clients and as
 * the default of `nexus-harness mock --admin-token`.
 *
 * @example
 * // NEXUS_MOCK_ADMIN_TOKEN=s3cret nexus-harness mock   (and the same in the harness's environment)
 */
export const ADMIN_TOKEN_ENV = 'NEXUS_MOCK_ADMIN_TOKEN';

/**
 * The headers an admin client sends: the token from {@link ADMIN_TOKEN_ENV} in `env`, or none
 * when the variable is unset or empty.
 *
 * @example
 * await fetch(`${origin}/__admin/ledger`, { headers: adminTokenHeaders(process.env) });
 */
export function adminTokenHeaders(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const token = env[ADMIN_TOKEN_ENV];
  return token === undefined || token === '' ? {} : { [ADMIN_TOKEN_HEADER]: token };
}
