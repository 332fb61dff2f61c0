import { STATUS_CODES } from 'node:http';

/** LaunchDarkly's error codes for the statuses its API answers with. */
const CODES: Record<number, string> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'optimistic_locking_error',
  422: 'patch_failed',
  429: 'rate_limited',
};

/**
 * The error code an answer with this status carries, so that an injected fault reads like the
 * real failure: a client that branches on the code must see `forbidden` with a 403.
 */
export function errorCodeFor(status: number): string {
  const known = CODES[status];
  if (known) return known;
  if (status >= 500) return 'internal_server_error';
  const phrase = STATUS_CODES[status] ?? 'error';
  return phrase
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
}
