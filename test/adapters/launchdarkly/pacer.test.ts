import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_EMPTY_WINDOWS,
  MAX_WINDOW_WAIT_MS,
  type PacerTicket,
  RateLimitPacer,
  RateLimitStall,
  rateLimitDelay,
  routeOf,
} from '../../../src/adapters/launchdarkly/pacer.js';
import { readRateLimit } from '../../../src/adapters/launchdarkly/rate-limit-headers.js';
import { type FakeClock, fakeClock } from '../../support/clock.js';
import { check } from '../../support/property.js';

const T0 = 1_700_000_000_000;
const ROUTE = 'PATCH /api/v2/webhooks/{id}';

function headers(global?: string, route?: string, reset?: string): Headers {
  const h = new Headers();
  if (global !== undefined) h.set('X-Ratelimit-Global-Remaining', global);
  if (route !== undefined) h.set('X-Ratelimit-Route-Remaining', route);
  if (reset !== undefined) h.set('X-Ratelimit-Reset', reset);
  return h;
}

/** A pacer on a fake clock, without jitter, and what it said. */
function pacer(clock: FakeClock = fakeClock({ start: T0 })) {
  const told: number[] = [];
  return {
    clock,
    told,
    pacer: new RateLimitPacer(
      clock,
      () => 0,
      (ms) => told.push(ms),
    ),
  };
}

/** Acquires and releases one request answered with `answer`; resolves with when it went. */
async function send(p: RateLimitPacer, clock: FakeClock, answer?: Headers, route = ROUTE) {
  const ticket = await p.acquire(route);
  const at = clock.now();
  p.release(ticket, answer);
  return at;
}

/** Lets a few turns of the event loop pass: enough for anything not waiting to go on. */
async function turns(n = 20): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

describe('routeOf', () => {
  it.each([
    ['GET', '/api/v2/webhooks', 'GET /api/v2/webhooks'],
    ['GET', '/api/v2/webhooks?page=2', 'GET /api/v2/webhooks'],
    ['PATCH', '/api/v2/webhooks/57be1db38b75bf0772d11384', ROUTE],
    ['DELETE', '/api/v2/webhooks/abc%2Fdef', 'DELETE /api/v2/webhooks/{id}'],
  ])('%s %s is the route %s', (method, path, route) => {
    expect(routeOf(method, path)).toBe(route);
  });
});

describe('the pacer', () => {
  it('spreads what is left of a window evenly over the time to its reset', async () => {
    const { pacer: p, clock, told } = pacer();
    const reset = String(T0 + 10_000);
    const sent = [await send(p, clock, headers('4', undefined, reset))];
    for (let left = 3; left >= 0; left--)
      sent.push(await send(p, clock, headers(String(left), undefined, reset)));
    // The fifth request of the window is its last: the sixth waits for the reset, goes alone to
    // learn the new window, and its answer sets the pace again.
    sent.push(await send(p, clock, headers('4', undefined, String(T0 + 20_000))));
    sent.push(await send(p, clock));
    expect(sent.map((t) => t - T0)).toEqual([0, 2_000, 4_000, 6_000, 8_000, 10_000, 12_000]);
    expect(told).toEqual([]);
  });

  it('paces by the tighter of the global and the route limit; another route by the global one', async () => {
    const { pacer: p, clock } = pacer();
    const reset = String(T0 + 10_000);
    await send(p, clock, headers('99', '4', reset));
    // The route has 4 left, the account 99: the route sets the pace (10 s / 5).
    expect((await send(p, clock, headers('98', '3', reset))) - T0).toBe(2_000);
    // A route without a limit of its own goes at the account's pace: 98 left over 8 s.
    const other = 'GET /api/v2/webhooks';
    const first = await send(p, clock, headers('97', undefined, reset), other);
    const second = await send(p, clock, headers('96', undefined, reset), other);
    expect(first - T0).toBe(2_000 + Math.ceil(8_000 / 99));
    expect(second - first).toBeLessThan(100);
  });

  it('sends one request first when no answer has told a limit, and the others after its answer', async () => {
    const { pacer: p, clock } = pacer();
    const first = await p.acquire(ROUTE);
    const others: number[] = [];
    const waiting = [1, 2].map(() =>
      p.acquire(ROUTE).then((ticket) => {
        others.push(clock.now() - T0);
        return ticket;
      }),
    );
    await turns();
    expect(others).toEqual([]);
    p.release(first, headers('2', '2', String(T0 + 3_000)));
    const tickets = await Promise.all(waiting);
    // Two left over 3 s: one every second.
    expect(others).toEqual([1_000, 2_000]);
    for (const t of tickets) p.release(t);
  });

  it('counts what is on its way as spent, and never believes a late answer telling of more', async () => {
    const { pacer: p, clock } = pacer();
    const reset = String(T0 + 10_000);
    await send(p, clock, headers('9', undefined, reset));
    const a = await p.acquire(ROUTE);
    const b = await p.acquire(ROUTE);
    // b's answer comes first: 7 left, with a still on its way (it may not have arrived): 6.
    p.release(b, headers('7', undefined, reset));
    // a's answer comes late, from before b's: it tells of 8, which is no longer true.
    p.release(a, headers('8', undefined, reset));
    const before = clock.now();
    await send(p, clock, headers('5', undefined, reset));
    // 6 left over what remains of the window, after b.
    expect(clock.now() - before).toBe(Math.ceil((T0 + 10_000 - before) / 7));
  });

  it('tells of a wait only when a window is spent by someone else, once per window', async () => {
    const { pacer: p, clock, told } = pacer();
    const reset = String(T0 + 10_000);
    await send(p, clock, headers('50', undefined, reset));
    // Another client spent the window: nothing left, 10 s to go.
    await send(p, clock, headers('0', undefined, reset));
    // Two requests wait for the reset; the first goes alone to learn the new window.
    const waiting = [p.acquire(ROUTE), p.acquire(ROUTE)];
    const a = await waiting[0];
    expect(told).toEqual([10_000 - Math.ceil(10_000 / 51)]);
    p.release(a as PacerTicket, headers('3', undefined, String(T0 + 20_000)));
    p.release((await waiting[1]) as PacerTicket);
    expect(told).toHaveLength(1);
  });
});

describe('hostile rate-limit headers', () => {
  const ahead = (ms: number) => String(T0 + ms);
  it.each([
    ['no headers', headers(), 0],
    ['a count without a reset', headers('0'), 0],
    ['a negative count: none left', headers('-5', undefined, ahead(4_000)), 4_000],
    ['a count of none on the route', headers('10', '0', ahead(3_000)), 3_000],
    ['a count past any integer: not a count', headers('1'.repeat(30), undefined, ahead(5_000)), 0],
    ['a word', headers('lots', undefined, ahead(5_000)), 0],
    ['a fraction', headers('0.5', undefined, ahead(5_000)), 0],
    ['Infinity', headers('Infinity', undefined, ahead(5_000)), 0],
    ['hexadecimal', headers('0x0', undefined, ahead(5_000)), 0],
    ['a repeated header: the smaller count', headers('5, 0', undefined, ahead(2_000)), 2_000],
    [
      'a repeated reset: the later one',
      headers('0', undefined, `${ahead(1_000)}, ${ahead(2_000)}`),
      2_000,
    ],
    ['a reset in the past', headers('0', undefined, ahead(-1_000)), 0],
    ['a negative reset', headers('0', undefined, '-5000'), 0],
    ['a reset that is a word', headers('0', undefined, 'soon'), 0],
    ['a reset in seconds, not ms (long past)', headers('0', undefined, String(T0 / 1000 + 5)), 0],
    [
      'a reset a day away: clock skew, at most 15 s',
      headers('0', undefined, ahead(86_400_000)),
      MAX_WINDOW_WAIT_MS,
    ],
    ['a reset past any integer', headers('0', undefined, '9'.repeat(40)), 0],
  ])('%s: the next request waits a bounded time', async (_, answer, wait) => {
    const { pacer: p, clock } = pacer();
    await send(p, clock, answer);
    const before = clock.now();
    await send(p, clock);
    expect(clock.now() - before).toBe(wait);
  });

  it('never throws and never waits past a window, whatever the headers say', async () => {
    const value = fc.oneof(
      fc.constant(undefined),
      fc.string(),
      fc.integer().map(String),
      fc.integer({ min: -20_000, max: 40_000 }).map((ms) => String(T0 + ms)),
      fc.constantFrom('NaN', '-0', '1e309', ' 7 ', '7,8', '', '99999999999999999999'),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(value, value, value), { maxLength: 6 }),
        async (answers) => {
          const clock = fakeClock({ start: T0 });
          const p = new RateLimitPacer(clock, Math.random);
          for (const [g, r, reset] of answers) {
            const before = clock.now();
            const ticket = await p.acquire(ROUTE);
            expect(clock.now() - before).toBeLessThanOrEqual(MAX_WINDOW_WAIT_MS + 20);
            p.release(ticket, headers(g, r, reset));
          }
        },
      ),
      { numRuns: 300, seed: 20_240_415 },
    );
    check(
      fc.property(fc.string(), fc.string(), fc.string(), (g, r, reset) => {
        const reading = readRateLimit(headers(g, r, reset));
        for (const n of [reading.global, reading.route])
          if (n !== undefined) expect(Number.isSafeInteger(n) && n >= 0).toBe(true);
        if (reading.reset !== undefined) expect(Number.isSafeInteger(reading.reset)).toBe(true);
      }),
    );
  });

  it('waits a bounded time after a 429, whatever Retry-After and the reset say', () => {
    const at = (h: Record<string, string>) => rateLimitDelay(new Headers(h), T0, () => 0);
    expect(at({ 'Retry-After': '3' })).toBe(3_000);
    expect(at({ 'Retry-After': '-3' })).toBe(0);
    expect(at({ 'Retry-After': '1e9' })).toBe(60_000);
    expect(at({ 'Retry-After': 'later', 'X-Ratelimit-Reset': String(T0 + 2_000) })).toBe(2_000);
    expect(at({ 'X-Ratelimit-Reset': String(T0 + 86_400_000) })).toBe(MAX_WINDOW_WAIT_MS);
    expect(at({ 'X-Ratelimit-Reset': '-5000' })).toBe(0);
    expect(at({ 'X-Ratelimit-Reset': 'soon' })).toBe(1_000);
    expect(at({})).toBe(1_000);
  });
});

describe('RateLimitPacer: a server that keeps saying "later" is given up on', () => {
  it('windows that open empty, right after the reset they promised, three times in a row', async () => {
    const { pacer: p, clock } = pacer();
    // Every answer: nothing left, and a reset 15 s from now (the most a window is waited for).
    let sent = 0;
    const error = await (async () => {
      for (;;) {
        const ticket = await p.acquire(ROUTE);
        sent++;
        p.release(ticket, headers('0', '0', String(clock.now() + MAX_WINDOW_WAIT_MS)));
      }
    })().catch((e) => e);
    expect(error).toBeInstanceOf(RateLimitStall);
    expect((error as Error).message).toContain(
      `said ${MAX_EMPTY_WINDOWS} times in a row that no request was left in the rate-limit window right after the reset it had promised`,
    );
    // The first request, then one after each of the three empty windows: 45 s, not forever.
    expect(sent).toBe(1 + MAX_EMPTY_WINDOWS);
    expect(clock.now() - T0).toBeLessThanOrEqual((MAX_EMPTY_WINDOWS + 1) * MAX_WINDOW_WAIT_MS);
  });

  it('a window whose budget comes back is not a stall, however often it is used up', async () => {
    const { pacer: p, clock } = pacer();
    // Windows of 10 s that allow two requests each: every window is used up, and comes back.
    let windowEnd = T0 + 10_000;
    let inWindow = 0;
    for (let i = 0; i < 40; i++) {
      const ticket = await p.acquire(ROUTE);
      if (clock.now() >= windowEnd) {
        windowEnd += 10_000 * Math.ceil((clock.now() - windowEnd + 1) / 10_000);
        inWindow = 0;
      }
      inWindow++;
      const left = String(2 - inWindow);
      p.release(ticket, headers(left, left, String(windowEnd)));
    }
    // Forty requests at two a window: about twenty windows, none of them a stall.
    expect(clock.now() - T0).toBeGreaterThanOrEqual(19 * 10_000);
  });

  it('waits that add up past the bound, whatever the server says', async () => {
    const clock = fakeClock({ start: T0 });
    const p = new RateLimitPacer(clock, () => 0, undefined, { maxWaitMs: 60_000 });
    // One request left each time, and the reset always 15 s away: 7.5 s steps, forever.
    const error = await (async () => {
      for (;;) {
        const ticket = await p.acquire(ROUTE);
        p.release(ticket, headers('1', '1', String(clock.now() + MAX_WINDOW_WAIT_MS)));
      }
    })().catch((e) => e);
    expect(error).toBeInstanceOf(RateLimitStall);
    expect((error as Error).message).toMatch(/pass the bound of 60 s$/);
    expect(clock.now() - T0).toBeLessThanOrEqual(60_000);
  });

  it('counts requests waiting side by side once: the bound is on the time spent waiting', async () => {
    const clock = fakeClock({ start: T0 });
    const p = new RateLimitPacer(clock, () => 0, undefined, { maxWaitMs: 25_000 });
    // Four requests wait 10 s together, then four more: 20 s of waiting, not 80.
    await Promise.all([1, 2, 3, 4].map(() => p.wait(10_000, 'x')));
    await Promise.all([1, 2, 3, 4].map(() => p.wait(10_000, 'x')));
    expect(clock.now() - T0).toBe(20_000);
    // Overlapping waits add what they last past the ones before: 5 s more would pass 25 s.
    const error = await Promise.all([p.wait(4_000, 'x'), p.wait(6_000, 'the server')]).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(RateLimitStall);
    expect((error as Error).message).toBe(
      'the server; it has made ldhooks wait 24 s for rate limits in all, and waiting 2.0 s more would pass the bound of 25 s',
    );
  });
});
