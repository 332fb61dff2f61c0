import type { Clock } from '../../core/port.js';

export type { Clock };

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** LaunchDarkly's windows are ten seconds; a reset further away than this is clock skew. */
const MAX_WINDOW_WAIT_MS = 15_000;

/**
 * Paces requests from LaunchDarkly's rate-limit headers: each request spends one of the
 * requests left in the current window; when none is left, wait for the window to reset instead
 * of running into 429s.
 */
export class RateLimitPacer {
  private remaining: number | undefined;
  private resetAt: number | undefined;
  private inFlight = 0;

  constructor(
    private readonly clock: Clock,
    private readonly random: () => number = Math.random,
    private readonly onWait?: (ms: number) => void,
  ) {}

  /** Call before sending; resolves when a request may go. */
  async acquire(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      if (this.resetAt !== undefined && now >= this.resetAt) {
        this.remaining = undefined;
        this.resetAt = undefined;
      }
      if (this.remaining === undefined || this.resetAt === undefined || this.remaining > 0) break;
      const wait =
        Math.min(this.resetAt - now, MAX_WINDOW_WAIT_MS) + Math.floor(this.random() * 50);
      this.onWait?.(wait);
      await this.clock.sleep(wait);
      if (this.resetAt !== undefined && this.clock.now() >= this.resetAt) {
        this.remaining = undefined;
        this.resetAt = undefined;
      }
    }
    this.inFlight += 1;
    if (this.remaining !== undefined) this.remaining -= 1;
  }

  /** Call when the request is done, with the response headers if there was a response. */
  release(headers?: Headers): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (!headers) return;
    const counts = ['x-ratelimit-global-remaining', 'x-ratelimit-route-remaining']
      .map((h) => headers.get(h))
      .filter((v): v is string => v !== null && v.trim() !== '')
      .map(Number)
      .filter(Number.isFinite);
    const reset = Number(headers.get('x-ratelimit-reset') ?? Number.NaN);
    if (counts.length === 0 || !Number.isFinite(reset)) return;
    const now = this.clock.now();
    if (reset <= now) return; // a window already over (or a negative reset): nothing to pace
    // Requests still in flight may not have reached the server yet: count them as spent.
    this.remaining = Math.max(0, Math.min(...counts) - this.inFlight);
    this.resetAt = reset;
  }
}

/**
 * How long to wait after a 429: Retry-After (seconds), else X-Ratelimit-Reset (epoch ms, clamped
 * to now when it lies in the past or is negative), else one second; plus jitter.
 */
export function rateLimitDelay(headers: Headers, now: number, random: () => number): number {
  const jitter = Math.floor(random() * 250);
  const retryAfter = headers.get('retry-after');
  if (retryAfter !== null && retryAfter.trim() !== '') {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.min(Math.max(0, seconds) * 1000, 60_000) + jitter;
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.min(Math.max(0, date - now), 60_000) + jitter;
  }
  const reset = Number(headers.get('x-ratelimit-reset') ?? Number.NaN);
  if (Number.isFinite(reset))
    return Math.min(Math.max(0, reset - now), MAX_WINDOW_WAIT_MS) + jitter;
  return 1000 + jitter;
}

/** Exponential backoff with jitter: about 0.5 s, 1 s, 2 s, 4 s... capped at 8 s. */
export function backoffDelay(attempt: number, random: () => number, baseMs = 500): number {
  const ceiling = Math.min(baseMs * 2 ** (attempt - 1), 8000);
  return Math.floor(ceiling / 2 + random() * (ceiling / 2));
}
