/** What the common codes mean, said first: the code and Node's message follow. */
const MEANING: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  ENOTFOUND: 'host not found by DNS',
  EAI_AGAIN: 'DNS lookup failed for now',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed',
  UND_ERR_HEADERS_TIMEOUT: 'no answer in time',
  CERT_HAS_EXPIRED: 'TLS: the certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: a self-signed certificate',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS: a self-signed certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS: the certificate cannot be verified',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS: the certificate issuer is not trusted here',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: the certificate is not for this host',
  EPROTO: 'TLS or protocol error',
};

interface Failure {
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/**
 * Why a request got no answer, as people can act on it. fetch says only "fetch failed"; what
 * happened is in its cause (an error with a code such as ECONNREFUSED, or only a message such
 * as "bad port"), and for a host with several addresses in the cause's `errors`. The text may
 * hold what a server or a resolver said: the caller redacts it.
 */
export function describeNetworkFailure(failure: unknown): string {
  if (failure === null || typeof failure !== 'object') return String(failure);
  const chain: Failure[] = [];
  for (let at: unknown = failure; at && typeof at === 'object' && chain.length < 5; ) {
    chain.push(at as Failure);
    at = (at as Failure).cause;
  }
  // The innermost error that says something: a code, or at least a message of its own.
  const said = [...chain].reverse().find((e) => typeof e.code === 'string' || nonEmpty(e.message));
  const inner = Array.isArray(said?.errors) ? (said.errors as Failure[]) : [];
  const code =
    typeof said?.code === 'string'
      ? said.code
      : inner.map((e) => e.code).find((c): c is string => typeof c === 'string');
  const messages = [
    ...(nonEmpty(said?.message) ? [said?.message as string] : []),
    ...inner.map((e) => e.message).filter(nonEmpty),
  ];
  const message = [...new Set(messages)].join('; ');
  if (code === undefined) return message || 'no detail';
  const meaning = MEANING[code];
  const detail = message && message !== code ? `${code}: ${message}` : code;
  return meaning ? `${meaning} (${detail})` : detail;
}

const nonEmpty = (s: unknown): s is string => typeof s === 'string' && s.trim() !== '';
