/**
 * LaunchDarkly's rate limits as its API documentation describes them: a global limit on every
 * request of the account, and route-level limits, where "a route represents a specific URL
 * pattern and verb" (so every PATCH of any webhook counts against one route,
 * `PATCH /api/v2/webhooks/{id}`). LaunchDarkly does not publish its numbers, so both are
 * options.
 */

/** The five webhook routes, as method and URL pattern: each has a route-level counter of its own. */
export const EMULATOR_ROUTES = [
  'GET /api/v2/webhooks',
  'POST /api/v2/webhooks',
  'GET /api/v2/webhooks/{id}',
  'PATCH /api/v2/webhooks/{id}',
  'DELETE /api/v2/webhooks/{id}',
] as const;

/** One API route of the emulator, a method and a URL pattern, as the per-route limit counts it. */
export type EmulatorRoute = (typeof EMULATOR_ROUTES)[number];

/** Requests per window for every route alike, or for the routes named (the others unlimited). */
export type RouteRateLimit = number | Partial<Record<EmulatorRoute, number>>;

/** The route a request is on, or undefined for a path or method the API does not have. */
export function routeOf(method: string, path: string): EmulatorRoute | undefined {
  const pattern = path === '/api/v2/webhooks' ? path : undefined;
  const one = /^\/api\/v2\/webhooks\/[^/]+$/.test(path) ? '/api/v2/webhooks/{id}' : undefined;
  const route = `${method} ${pattern ?? one}`;
  return (EMULATOR_ROUTES as readonly string[]).includes(route)
    ? (route as EmulatorRoute)
    : undefined;
}

/** One counter: the requests it has seen in the current window. */
class Counter {
  private window = Number.NaN;
  private used = 0;

  constructor(private readonly limit: number) {}

  /** Counts a request of window number `window`; every request counts, refused ones too. */
  take(window: number): { remaining: number; over: boolean } {
    if (window !== this.window) {
      this.window = window;
      this.used = 0;
    }
    this.used += 1;
    return { remaining: Math.max(0, this.limit - this.used), over: this.used > this.limit };
  }
}

export interface RateLimitVerdict {
  /** The headers to send with the answer, whatever it is. */
  headers: Record<string, string>;
  /** Seconds to wait, when the request is refused with 429. */
  retryAfter?: number;
}

export interface RateLimitOptions {
  /** Requests per window for the whole account; unlimited when absent. */
  rateLimit?: number | undefined;
  routeRateLimit?: RouteRateLimit | undefined;
  windowMs: number;
}

/**
 * The values the emulator's numeric options take, in the library and on the command line alike.
 * The longest window is the longest wait for a window's reset that ldhooks' client trusts
 * (longer, it asks again before the window is over, and meets 429s).
 */
export const EMULATOR_RANGES = Object.freeze({
  rateLimit: Object.freeze({ min: 1, max: 1_000_000, unit: 'requests' }),
  windowMs: Object.freeze({ min: 1, max: 60_000, unit: 'milliseconds' }),
  latencyMs: Object.freeze({ min: 0, max: 60_000, unit: 'milliseconds' }),
} as const);

type Range = (typeof EMULATOR_RANGES)[keyof typeof EMULATOR_RANGES];

/** What is wrong with `value` for an option of `range`, or undefined when it is in it. */
export function outOfRange(name: string, value: unknown, range: Range): string | undefined {
  if (Number.isInteger(value) && (value as number) >= range.min && (value as number) <= range.max)
    return undefined;
  const shown =
    typeof value === 'number'
      ? String(value)
      : typeof value === 'string'
        ? `${JSON.stringify(value)} (a string)`
        : typeof value === 'bigint'
          ? `${value}n (a bigint)`
          : value === null
            ? 'null'
            : `a value of type ${typeof value}`;
  return `${name} must be a whole number of ${range.unit} from ${range.min} to ${range.max}, not ${shown}`;
}

/** Checks the options; returns a message naming the one that is not usable. */
export function checkRateLimitOptions(o: RateLimitOptions): string | undefined {
  const requests = EMULATOR_RANGES.rateLimit;
  if (o.rateLimit !== undefined) {
    const wrong = outOfRange('rateLimit', o.rateLimit, requests);
    if (wrong) return wrong;
  }
  const route = o.routeRateLimit;
  if (route === undefined || typeof route === 'number') {
    return route === undefined ? undefined : outOfRange('routeRateLimit', route, requests);
  }
  if (typeof route !== 'object' || route === null)
    return 'routeRateLimit must be a number or an object';
  for (const [name, limit] of Object.entries(route)) {
    if (!(EMULATOR_ROUTES as readonly string[]).includes(name))
      return `routeRateLimit names ${JSON.stringify(name)}, not a route; the routes are ${EMULATOR_ROUTES.join(', ')}`;
    const wrong = outOfRange(`routeRateLimit[${JSON.stringify(name)}]`, limit, requests);
    if (wrong) return wrong;
  }
  return undefined;
}

/**
 * The global counter and one counter per limited route. A request takes one from each counter
 * that applies to it and is refused when any of them is over. `X-Ratelimit-Global-Remaining`
 * comes with every request when there is a global limit, `X-Ratelimit-Route-Remaining` with the
 * requests of a limited route.
 *
 * LaunchDarkly sends one `X-Ratelimit-Reset` for both counts, which tells a client something only
 * if both counts reset together: the counters keep their own counts over one grid of fixed
 * windows, laid from the first request the emulator receives (the first window opens with it,
 * each next one `windowMs` later, whether requests come or not).
 */
export class RateLimiter {
  private readonly global: Counter | undefined;
  private readonly routes = new Map<EmulatorRoute, Counter>();
  private readonly windowMs: number;
  private origin: number | undefined;

  constructor(options: RateLimitOptions) {
    const problem = checkRateLimitOptions(options);
    if (problem) throw new RangeError(problem);
    this.windowMs = options.windowMs;
    if (options.rateLimit !== undefined) this.global = new Counter(options.rateLimit);
    const route = options.routeRateLimit;
    for (const name of EMULATOR_ROUTES) {
      const limit = typeof route === 'number' ? route : route?.[name];
      if (limit !== undefined) this.routes.set(name, new Counter(limit));
    }
  }

  /** Counts a request arriving at `at` (epoch ms) on `route`. */
  take(at: number, route: EmulatorRoute | undefined): RateLimitVerdict {
    const headers: Record<string, string> = {};
    const counter = route && this.routes.get(route);
    if (!this.global && !counter) return { headers };
    this.origin ??= at;
    const window = Math.floor((at - this.origin) / this.windowMs);
    const reset = this.origin + (window + 1) * this.windowMs;
    let over = false;
    if (this.global) {
      const g = this.global.take(window);
      headers['X-Ratelimit-Global-Remaining'] = String(g.remaining);
      over ||= g.over;
    }
    if (counter) {
      const r = counter.take(window);
      headers['X-Ratelimit-Route-Remaining'] = String(r.remaining);
      over ||= r.over;
    }
    headers['X-Ratelimit-Reset'] = String(reset);
    if (!over) return { headers };
    return { headers, retryAfter: Math.max(1, Math.ceil((reset - at) / 1000)) };
  }
}
