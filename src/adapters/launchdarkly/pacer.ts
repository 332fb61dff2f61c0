import type { Clock } from '../../core/port.js';
import { readRateLimit, readReset } from './rate-limit-headers.js';

export type { Clock };

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * LaunchDarkly's windows are ten seconds; a reset further away than this is clock skew or
 * nonsense, waited for no longer than this (as a Retry-After is): then ldhooks asks again.
 */
export const MAX_WINDOW_WAIT_MS = 60_000;
/** At most this much jitter after a window's reset, so that clients sharing a limit do not all start at once. */
const RESET_JITTER_MS = 20;
/** Waits for a window shorter than this are part of the pace, not news. */
const QUIET_WAIT_MS = 1_000;
/**
 * A window that, once its reset has passed, opens with no request left this many times in a row
 * is not a rate limit but a server that never lets anything through (or lies about its budget).
 */
export const MAX_EMPTY_WINDOWS = 3;
/** The most a client waits for rate limits in all, by default: windows, pacing and 429s. */
export const MAX_RATE_LIMIT_WAIT_MS = 10 * 60_000;

/**
 * The rate-limit waits would pass their bound: the server keeps saying that no request may go
 * (every window opens empty), or the waits add up past `maxRateLimitWaitMs`. The client reports
 * it as an ApiError naming the server's behaviour.
 */
export class RateLimitStall extends Error {}

/**
 * The route of a request, as LaunchDarkly counts route-level limits: "a specific URL pattern and
 * verb", so every PATCH of any webhook is one route.
 */
export function routeOf(method: string, path: string): string {
  const pattern = (path.split('?')[0] ?? '').replace(/\/webhooks\/[^/]+$/, '/webhooks/{id}');
  return `${method} ${pattern}`;
}

/** What is known of one limit (the account's, or one route's) in its current window. */
interface Window {
  /** Requests this client may still start before `resetAt`. */
  left: number;
  /** Epoch ms, at most MAX_WINDOW_WAIT_MS after the answer that told it. */
  resetAt: number;
  /** The server's reset was further away than MAX_WINDOW_WAIT_MS, and resetAt is that bound. */
  capped: boolean;
}

/** One limit: the global one, or one route's. */
class Limit {
  window: Window | undefined;
  /** An answer came without this limit's header (and none with it since its window ended). */
  absent = false;
  /** Set while one request finds out what this limit allows; the others wait for its answer. */
  probe: { done: Promise<void>; end: () => void } | undefined;
  /** Requests counted against this limit whose answers have not come: the server may not have seen them. */
  pending = 0;
  /** When the latest request counted against it was (or will be) sent. */
  lastAt = Number.NEGATIVE_INFINITY;
  /** The pace of that request: milliseconds after the one before. */
  step = 0;
  /** The reset a request waited for: the first answer after it tells whether budget returned. */
  waitedFor: number | undefined;
  /** Windows in a row that opened, after the wait for their reset, with nothing left. */
  emptyWindows = 0;

  /** Paced (a window known), free (no header), or unknown (someone must ask). */
  state(now: number): 'paced' | 'free' | 'unknown' {
    if (this.window && now >= this.window.resetAt) this.window = undefined;
    if (this.window) return 'paced';
    return this.absent ? 'free' : 'unknown';
  }

  /** Learns from an answer: `remaining` requests before `resetAt` (or no header: undefined). */
  learn(
    remaining: number | undefined,
    resetAt: number | undefined,
    now: number,
    capped = false,
  ): void {
    if (remaining === undefined || resetAt === undefined || resetAt <= now) {
      // Nothing to pace with: no header, or a window that is over (a reset in the past or
      // negative). Keep a window already known; otherwise this limit does not limit, and a 429
      // would be retried.
      if (!this.window) this.absent = true;
      return;
    }
    this.absent = false;
    if (this.waitedFor !== undefined && now >= this.waitedFor) {
      // The first answer after the reset this limit waited for: did the budget come back?
      this.emptyWindows = remaining <= 0 ? this.emptyWindows + 1 : 0;
      this.waitedFor = undefined;
    }
    // What the server counted does not include the requests still on their way to it.
    const left = Math.max(0, remaining - this.pending);
    const known = this.window;
    if (known && resetAt < known.resetAt) return; // an answer from a window already over
    if (known && resetAt === known.resetAt) {
      // The same window: answers can arrive out of order, and an older one tells of more.
      known.left = Math.min(known.left, left);
      return;
    }
    this.window = { left, resetAt, capped };
  }
}

/** What `acquire` gives and `release` takes back. */
export interface PacerTicket {
  readonly limits: readonly Limit[];
  readonly probing: readonly Limit[];
}

/**
 * Paces requests from LaunchDarkly's rate-limit headers, for the account's global limit and for
 * each route's (a method and URL pattern) at once. What a limit has left in its window is spread
 * evenly over the time to its reset, by the tighter of the two limits a request counts against:
 * writes go at a steady pace through the window rather than in a burst followed by a wait, and
 * the last of a window's budget goes about one step before the reset, so the next window starts
 * on time. When a window is over (or before the first answer), one request finds out what the
 * new window allows while the others wait for its answer, so that a burst never overshoots a
 * limit nobody has read yet. A 429 is still possible (other clients share the account's limit)
 * and is retried by the client.
 */
export class RateLimitPacer {
  private readonly global = new Limit();
  private readonly routes = new Map<string, Limit>();
  /** The reset of the last window whose wait was told, so that it is told once. */
  private announced: number | undefined;

  /**
   * Milliseconds of the run spent waiting for rate limits so far, pacing and 429s included: the
   * time during which at least one request waited (requests waiting side by side wait once).
   */
  private waited = 0;
  /** When the latest wait counted in `waited` ends. */
  private waitsEnd = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly clock: Clock,
    private readonly random: () => number = Math.random,
    /** Told of a wait for a window to reset; `capped` when the server's reset is further away. */
    private readonly onWait?: (ms: number, capped: boolean) => void,
    private readonly bounds: { maxWaitMs?: number; maxEmptyWindows?: number } = {},
  ) {}

  /**
   * Waits `ms` for a rate limit, within the bound of all such waits: past it, throws
   * RateLimitStall instead of waiting (a server that keeps saying "later" never ends a run).
   */
  async wait(ms: number, why: string): Promise<void> {
    const max = this.bounds.maxWaitMs ?? MAX_RATE_LIMIT_WAIT_MS;
    const now = this.clock.now();
    // Waits start in the order of time: this one adds what it lasts past the ones before.
    const more = Math.max(0, now + ms - Math.max(now, this.waitsEnd));
    if (this.waited + more > max) {
      throw new RateLimitStall(
        `${why}; it has made ldhooks wait ${(this.waited / 1000).toFixed(0)} s for rate limits in all, and waiting ${(more / 1000).toFixed(1)} s more would pass the bound of ${(max / 1000).toFixed(0)} s`,
      );
    }
    this.waited += more;
    this.waitsEnd = Math.max(this.waitsEnd, now + ms);
    await this.clock.sleep(ms);
  }

  /** Call before sending a request on `route` (see `routeOf`); resolves when it may go. */
  async acquire(route: string): Promise<PacerTicket> {
    let limit = this.routes.get(route);
    if (!limit) {
      limit = new Limit();
      this.routes.set(route, limit);
    }
    const limits = [this.global, limit];
    for (;;) {
      const now = this.clock.now();
      const states = limits.map((l) => l.state(now));
      const unknown = limits.filter((_, i) => states[i] === 'unknown');
      const asking = unknown.find((l) => l.probe);
      if (asking) {
        await asking.probe?.done;
        continue;
      }
      const paced = limits.filter((_, i) => states[i] === 'paced');
      const spent = paced.filter((l) => (l.window as Window).left <= 0);
      if (spent.length > 0) {
        const until = Math.max(...spent.map((l) => (l.window as Window).resetAt));
        const wait = until - now + Math.floor(this.random() * RESET_JITTER_MS);
        // Told once per window, and only when nothing goes for longer than the pace's steps:
        // waiting while the requests already scheduled go, or one step to the reset, is the
        // pace, not a stall (someone else spent the window, or a 429 told of none left).
        const idle = until - Math.max(now, ...spent.map((l) => l.lastAt));
        const step = Math.max(...spent.map((l) => l.step));
        const maxEmpty = this.bounds.maxEmptyWindows ?? MAX_EMPTY_WINDOWS;
        if (spent.some((l) => l.emptyWindows >= maxEmpty)) {
          throw new RateLimitStall(
            `the server said ${maxEmpty} times in a row that no request was left in the rate-limit window right after the reset it had promised (X-Ratelimit-*-Remaining: 0): it never lets a request through`,
          );
        }
        if (idle >= QUIET_WAIT_MS && idle > 2 * step && this.announced !== until) {
          this.announced = until;
          this.onWait?.(
            wait,
            spent.some((l) => (l.window as Window).capped),
          );
        }
        for (const l of spent) l.waitedFor = until;
        await this.wait(wait, 'the server keeps saying that its rate-limit window is used up');
        continue;
      }
      // The next step of each paced limit: what is left of its window, spread evenly over the
      // time to its reset, after the latest request counted against it.
      let at = now;
      for (const l of paced) {
        const w = l.window as Window;
        const from = Number.isFinite(l.lastAt) ? l.lastAt : now;
        l.step = (w.resetAt - from) / (w.left + 1);
        at = Math.max(at, Math.ceil(from + l.step));
      }
      for (const l of paced) (l.window as Window).left -= 1;
      for (const l of limits) {
        l.pending += 1;
        l.lastAt = Math.max(l.lastAt, at);
      }
      for (const l of unknown) {
        let end = () => {};
        const done = new Promise<void>((resolve) => {
          end = resolve;
        });
        l.probe = { done, end };
      }
      if (at > now) {
        try {
          await this.wait(
            at - now,
            'the server keeps saying that its rate limit is nearly used up',
          );
        } catch (e) {
          // Nothing is sent: the request counted against the limits never goes.
          for (const l of limits) l.pending = Math.max(0, l.pending - 1);
          for (const l of unknown) {
            l.probe?.end();
            l.probe = undefined;
          }
          throw e;
        }
      }
      return { limits, probing: unknown };
    }
  }

  /** Call when the request is done, with the answer's headers if there was an answer. */
  release(ticket: PacerTicket, headers?: Headers): void {
    const [global, route] = ticket.limits as [Limit, Limit];
    for (const l of ticket.limits) l.pending = Math.max(0, l.pending - 1);
    if (headers) {
      const now = this.clock.now();
      const reading = readRateLimit(headers);
      // A reset further away than any window is clock skew or nonsense: wait no longer than this.
      const capped = reading.reset !== undefined && reading.reset > now + MAX_WINDOW_WAIT_MS;
      const resetAt = capped ? now + MAX_WINDOW_WAIT_MS : reading.reset;
      global.learn(reading.global, resetAt, now, capped);
      route.learn(reading.route, resetAt, now, capped);
    }
    for (const l of ticket.probing) {
      l.probe?.end();
      l.probe = undefined;
    }
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
  const reset = readReset(headers);
  if (reset !== undefined) return Math.min(Math.max(0, reset - now), MAX_WINDOW_WAIT_MS) + jitter;
  return 1000 + jitter;
}

/** Exponential backoff with jitter: about 0.5 s, 1 s, 2 s, 4 s... capped at 8 s. */
export function backoffDelay(attempt: number, random: () => number, baseMs = 500): number {
  const ceiling = Math.min(baseMs * 2 ** (attempt - 1), 8000);
  return Math.floor(ceiling / 2 + random() * (ceiling / 2));
}
