/**
 * Every failure of a LaunchDarkly request becomes one ApiError: method, path, status,
 * LaunchDarkly's code, message and request id, and a remedy. What the server said arrives
 * redacted (no token, secret or value from the environment), cut and made inert by the client.
 */
export class ApiError extends Error {
  readonly method: string;
  readonly path: string;
  /** HTTP status; undefined when no response arrived (network error, timeout). */
  readonly status: number | undefined;
  readonly code: string | undefined;
  readonly ldMessage: string | undefined;
  readonly requestId: string | undefined;
  readonly remedy: string | undefined;
  /** What ldhooks saw when no answer came (`connection refused (ECONNREFUSED: …)`), redacted. */
  readonly detail: string | undefined;

  constructor(fields: {
    method: string;
    path: string;
    status?: number;
    code?: string;
    ldMessage?: string;
    requestId?: string;
    remedy?: string;
    detail?: string;
  }) {
    const head = [fields.status, fields.code].filter((x) => x !== undefined && x !== '').join(' ');
    const said = fields.ldMessage ?? fields.detail;
    const text = [head, said].filter(Boolean).join(': ');
    const id = fields.requestId ? ` (request id ${fields.requestId})` : '';
    const remedy = fields.remedy ? `; ${fields.remedy}` : '';
    super(`${fields.method} ${fields.path} failed: ${text}${id}${remedy}`);
    this.name = 'ApiError';
    this.method = fields.method;
    this.path = fields.path;
    this.status = fields.status;
    this.code = fields.code;
    this.ldMessage = fields.ldMessage;
    this.requestId = fields.requestId;
    this.remedy = fields.remedy;
    this.detail = fields.detail;
  }
}

/** What to do about a failed request: a 403 on a read lacks read access, not write access. */
export function remedyFor(status: number | undefined, method = 'GET'): string {
  switch (status) {
    case undefined:
      return 'check the network and the base URI (--base-uri, LD_BASE_URI); ldhooks retried before giving up';
    case 400:
      return 'LaunchDarkly rejected the request body; check the webhook definition';
    case 401:
      return 'check the access token in LD_ACCESS_TOKEN (or LAUNCHDARKLY_ACCESS_TOKEN): it is missing, mistyped, expired or revoked';
    case 403:
      return method === 'GET'
        ? 'the access token cannot read webhooks; give it a role that may read them (plan needs only that; apply also needs to write them, as Writer or Admin may)'
        : 'the access token lacks a role that can write webhooks; give it a role with webhook permissions (for example Writer or Admin)';
    case 404:
      return 'the webhook no longer exists, or the base URI is wrong; plan again to see the current state';
    case 409:
    case 422:
      return 'the webhook changed while ldhooks was updating it; plan again';
    case 429:
      return 'LaunchDarkly kept rate-limiting after several retries; wait a minute and run again, or lower --parallelism';
    default:
      return status >= 500
        ? 'LaunchDarkly failed to answer after several retries; try again later'
        : 'check that the base URI (--base-uri, LD_BASE_URI) points at the LaunchDarkly API; if it does, report the error with its request id';
  }
}
