import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header in which LaunchDarkly sends the signature of each webhook delivery. */
export const SIGNATURE_HEADER = 'X-LD-Signature';

/** The result of {@link verifySignature}: which secret matched, or why none did. */
export type SignatureResult =
  | {
      ok: true;
      /** The index, in the secrets given, of the secret that signed the body. */
      secretIndex: number;
    }
  | {
      ok: false;
      /**
       * `missing`: no signature header (or an empty one); `malformed`: not 64 hexadecimal
       * characters; `mismatch`: well formed, but no secret signed this body; `no-secret`: no
       * secret to check with (none given, not a string or a list of strings, or only empty
       * strings, which are never a secret).
       */
      reason: 'missing' | 'malformed' | 'mismatch' | 'no-secret';
    };

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

function bytesOf(body: string | Uint8Array): Uint8Array {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
}

/**
 * The signature LaunchDarkly sends for a body: the lowercase hex HMAC-SHA256 of the raw body,
 * keyed by the webhook's secret.
 */
export function signBody(rawBody: string | Uint8Array, secret: string): string {
  return createHmac('sha256', secret).update(bytesOf(rawBody)).digest('hex');
}

/**
 * The secrets to check with, each with its index as given: a string, or any list (an iterable:
 * an array, a Set) of them. Empty strings and what is not a string are never a secret: a secret
 * that expanded empty must not make every signature of an empty key verify.
 */
function secretsOf(secrets: unknown): [number, string][] {
  if (typeof secrets === 'string') return secrets === '' ? [] : [[0, secrets]];
  if (typeof secrets !== 'object' || secrets === null || !(Symbol.iterator in secrets)) return [];
  return Array.from(secrets as Iterable<unknown>)
    .map((s, i) => [i, s] as const)
    .filter((e): e is [number, string] => typeof e[1] === 'string' && e[1] !== '');
}

/**
 * Checks the `X-LD-Signature` header of a LaunchDarkly webhook delivery: the hex HMAC-SHA256 of
 * the raw body, keyed by the webhook's secret. Pass the body exactly as received (the bytes, or
 * the text before any JSON parsing: re-serialized JSON does not verify).
 *
 * Several secrets may be given, so that a receiver can rotate its secret without dropping
 * deliveries: the result says which one matched. The comparison is in constant time
 * (`crypto.timingSafeEqual`). Bad input never throws: it is a result with a reason, also for
 * secrets that are missing (`undefined`, `null`), of the wrong type, or only empty strings
 * (`no-secret`: an empty secret is never accepted).
 *
 * @param rawBody - the request body as received: a string (UTF-8) or bytes (a Buffer).
 * @param signatureHeader - the value of the `X-LD-Signature` header: undefined when absent; a
 *   list (as Node gives repeated headers) must hold exactly one value.
 * @param secrets - the webhook's secret, or the secrets currently accepted (an array or a Set).
 * @returns `{ ok: true, secretIndex }` or `{ ok: false, reason }`.
 *
 * @example
 * ```ts
 * const result = verifySignature(body, req.headers['x-ld-signature'], [newSecret, oldSecret]);
 * if (!result.ok) return res.writeHead(401).end(result.reason);
 * ```
 */
export function verifySignature(
  rawBody: string | Uint8Array,
  signatureHeader: string | readonly string[] | null | undefined,
  secrets: string | Iterable<string>,
): SignatureResult {
  const list = secretsOf(secrets);
  if (list.length === 0) return { ok: false, reason: 'no-secret' };
  let header = signatureHeader;
  if (Array.isArray(header)) {
    if (header.length === 0) return { ok: false, reason: 'missing' };
    if (header.length > 1) return { ok: false, reason: 'malformed' };
    header = header[0];
  }
  if (typeof header !== 'string') {
    return header == null ? { ok: false, reason: 'missing' } : { ok: false, reason: 'malformed' };
  }
  const trimmed = header.trim();
  if (trimmed === '') return { ok: false, reason: 'missing' };
  if (!HEX_SHA256.test(trimmed)) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(trimmed.toLowerCase(), 'hex');
  if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array))
    return { ok: false, reason: 'mismatch' };
  const bytes = bytesOf(rawBody);
  let matched = -1;
  // Every secret is tried, so the time taken does not say which one matched.
  for (const [i, secret] of list) {
    const expected = createHmac('sha256', secret).update(bytes).digest();
    if (expected.length === given.length && timingSafeEqual(expected, given) && matched < 0)
      matched = i;
  }
  return matched >= 0 ? { ok: true, secretIndex: matched } : { ok: false, reason: 'mismatch' };
}
