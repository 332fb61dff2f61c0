/**
 * LaunchDarkly's rate-limit headers, read as a server might send them, not as it should: a value
 * that is missing, not a whole number or repeated is never trusted beyond what it can mean.
 */

/** What one answer says about the rate limits; a field is absent when its header is unusable. */
export interface RateLimitReading {
  /** `X-Ratelimit-Global-Remaining`: requests the account may still make in the window. */
  global?: number;
  /** `X-Ratelimit-Route-Remaining`: requests still allowed on this route in the window. */
  route?: number;
  /** `X-Ratelimit-Reset`: when the window ends, epoch milliseconds (possibly past or negative). */
  reset?: number;
}

const WHOLE = /^-?\d{1,20}$/;

/**
 * The whole numbers of a header: a header sent twice arrives joined by commas. Anything else (a
 * fraction, a word, `Infinity`, a number in another notation) is not a count.
 */
function wholeNumbers(value: string | null): number[] {
  if (value === null) return [];
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => WHOLE.test(part))
    .map(Number)
    .filter(Number.isSafeInteger);
}

/**
 * A count of requests left: the smallest given (a repeated header is read the careful way), never
 * below 0.
 */
function count(value: string | null): number | undefined {
  const numbers = wholeNumbers(value);
  return numbers.length === 0 ? undefined : Math.max(0, Math.min(...numbers));
}

/** The reset, epoch ms: the latest given, the careful way for a client that waits for it. */
export function readReset(headers: Headers): number | undefined {
  const numbers = wholeNumbers(headers.get('x-ratelimit-reset'));
  return numbers.length === 0 ? undefined : Math.max(...numbers);
}

export function readRateLimit(headers: Headers): RateLimitReading {
  const global = count(headers.get('x-ratelimit-global-remaining'));
  const route = count(headers.get('x-ratelimit-route-remaining'));
  const reset = readReset(headers);
  return {
    ...(global !== undefined ? { global } : {}),
    ...(route !== undefined ? { route } : {}),
    ...(reset !== undefined ? { reset } : {}),
  };
}
