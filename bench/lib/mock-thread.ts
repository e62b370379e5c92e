/** The mock's default API key (mock-server/core/config.ts). */
export const MOCK_API_KEY = 'nexus-mock-key';

/**
 * Creates a thread on the mock at `baseUrl` (`http://127.0.0.1:PORT/api/public`) with
 * `POST /thread`, fetches it once to check it is served, and resolves with its URL: the
 * `GET /thread/{id}` a reference loader sends.
 *
 * @example
 * const url = await createThread(mock.baseUrl); // http://127.0.0.1:PORT/api/public/thread/<uuid>
 */
export async function createThread(baseUrl: string): Promise<string> {
  const created = await fetch(`${baseUrl}/thread`, {
    method: 'POST',
    headers: { 'api-key': MOCK_API_KEY, 'content-type': 'application/json' },
    body: '{}',
  });
  if (created.status !== 200) {
    throw new Error(`Failed to create a thread on the mock: HTTP ${created.status} ${await created.text()}`);
  }
  const { id } = (await created.json()) as { id: string };
  const url = `${baseUrl}/thread/${id}`;
  const got = await fetch(url, { headers: { 'api-key': MOCK_API_KEY } });
  const body = await got.text();
  if (got.status !== 200)
    throw new Error(`Failed to GET the new thread from the mock: HTTP ${got.status} ${body}`);
  return url;
}
