/** Reason phrases for the statuses the simulator sends (kept here so the core needs no HTTP module). */
const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  403: 'Forbidden',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  417: 'Expectation Failed',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/**
 * The reason phrase of a status the mock sends (`'Error'` for any other).
 *
 * @example
 * reasonPhrase(408); // 'Request Timeout'
 */
export function reasonPhrase(status: number): string {
  return REASONS[status] ?? 'Error';
}

/**
 * The API's error body for every 4xx/5xx: `{ statusCode, message, error }`, where `error`
 * is the reason phrase. Returned serialised, ready to send.
 *
 * @example
 * errorBody(401, 'Invalid API key'); // '{"statusCode":401,"message":"Invalid API key","error":"Unauthorized"}'
 */
export function errorBody(status: number, message: string): string {
  return JSON.stringify({ statusCode: status, message, error: reasonPhrase(status) });
}
