import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { type Emulator, startEmulator } from '../../../src/adapters/emulator/index.js';
import { LaunchDarklyClient } from '../../../src/adapters/launchdarkly/client.js';
import { ApiError } from '../../../src/adapters/launchdarkly/errors.js';
import { type FakeClock, fakeClock, until } from '../../support/clock.js';
import { countFetches } from '../../support/fetches.js';

const MARKER = 'managed-by-ldhooks';
const BODY = {
  name: 'slack',
  url: 'https://hooks.example.com/s',
  sign: false,
  on: true,
  tags: [MARKER],
};

let emulator: Emulator;
let client: LaunchDarklyClient;
let clock: FakeClock;
const logs: string[] = [];

// No jitter, and a fake clock shared by client and emulator: every backoff is an exact,
// recorded number that costs no real time.
beforeEach(async () => {
  clock = fakeClock();
  emulator = await startEmulator({ clock });
  logs.length = 0;
  client = new LaunchDarklyClient({
    baseUri: emulator.url,
    token: emulator.token,
    clock,
    random: () => 0,
    log: (l) => logs.push(l),
  });
});
afterEach(async () => {
  await emulator.close();
});

describe('the client against the emulator over HTTP', () => {
  it('lists, creates, reads, updates and deletes', async () => {
    expect(await client.list()).toEqual([]);
    const created = await client.create(BODY, MARKER);
    expect(created).toEqual({
      id: created.id,
      name: 'slack',
      url: BODY.url,
      on: true,
      tags: [MARKER],
      statements: [],
    });
    expect(await client.get(created.id)).toEqual(created);
    const updated = await client.update(created.id, [
      { op: 'replace', path: '/on', value: false },
      { op: 'add', path: '/secret', value: 'shh' },
    ]);
    expect(updated).toMatchObject({ on: false, secret: 'shh' });
    expect(await client.list()).toEqual([updated]);
    await client.remove(created.id);
    expect(await client.list()).toEqual([]);
    expect(emulator.counts()).toEqual({ GET: 4, POST: 1, PATCH: 1, DELETE: 1 });
  });

  it('recovers from 5xx and dropped connections on reads and idempotent writes', async () => {
    const hook = await client.create(BODY, MARKER);
    emulator.inject({ kind: 'status', status: 502, method: 'GET', count: 2 });
    emulator.inject({ kind: 'drop', method: 'PATCH' });
    emulator.inject({ kind: 'commit-then-drop', method: 'DELETE' });
    expect(await client.list()).toHaveLength(1);
    expect((await client.update(hook.id, [{ op: 'replace', path: '/on', value: false }])).on).toBe(
      false,
    );
    await client.remove(hook.id); // the first DELETE committed, the retry meets a 404: done
    expect(emulator.store.all()).toEqual([]);
    expect(emulator.requests.map((r) => `${r.method} ${r.status ?? 'dropped'}`)).toEqual([
      'POST 200',
      'GET 502',
      'GET 502',
      'GET 200',
      'PATCH dropped',
      'PATCH 200',
      'DELETE dropped',
      'DELETE 404',
    ]);
    // Backoff from 500 ms, halved without jitter, doubling per retry of the same request.
    expect(clock.sleeps).toEqual([250, 500, 250, 250]);
  });

  it('creates exactly one webhook when the POST commits but the answer is lost', async () => {
    emulator.inject({ kind: 'commit-then-drop', method: 'POST' });
    const hook = await client.create(BODY, MARKER);
    expect(emulator.store.all().map((h) => h._id)).toEqual([hook.id]);
    expect(emulator.counts()).toEqual({ POST: 1, GET: 1 });
    expect(logs.join('\n')).toContain('outcome unknown');
    expect(clock.sleeps).toEqual([250]);
  });

  it('creates again when the POST was lost before it committed', async () => {
    emulator.inject({ kind: 'drop', method: 'POST' });
    await client.create(BODY, MARKER);
    expect(emulator.store.all()).toHaveLength(1);
    expect(emulator.counts()).toEqual({ POST: 2, GET: 1 });
    expect(clock.sleeps).toEqual([250]);
  });

  it('times out a slow answer and retries it', async () => {
    // The request timeout is ky's own setTimeout, not the injected clock. Only those timers are
    // faked, and only here, so the timeout fires when the test says, not when a loaded machine
    // gets round to it; sockets and the emulator keep running on real I/O.
    const timeoutMs = 30_000;
    client = clientWithTimeout(timeoutMs);
    emulator.inject({ kind: 'delay', delayMs: 10 * timeoutMs, method: 'GET' });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const listed = client.list();
      await until(() => emulator.requests.length === 1);
      vi.advanceTimersByTime(timeoutMs);
      expect(await listed).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
    expect(emulator.requests.map((r) => `${r.method} ${r.status ?? 'no answer'}`)).toEqual([
      'GET no answer',
      'GET 200',
    ]);
    expect(logs).toEqual([
      'GET /api/v2/webhooks: no response (no complete answer within 30 s); retry 1 of 4 in 0.3 s',
    ]);
    expect(clock.sleeps).toEqual([250]);
  });

  /**
   * Runs `act` with the request deadline's timer faked, and fires it once the answer's headers
   * have arrived and its body has stalled: a deadline that stopped at the headers would never
   * fire, and the test would fail on its own timeout.
   */
  async function afterHeadersStall<T>(act: () => Promise<T>, timeoutMs: number): Promise<T> {
    const real = globalThis.fetch;
    let answered = 0;
    globalThis.fetch = ((...args: Parameters<typeof fetch>) =>
      real(...args).then((r) => {
        answered += 1;
        return r;
      })) as typeof fetch;
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const done = act();
      await until(() => answered === 1);
      vi.advanceTimersByTime(timeoutMs);
      return await done;
    } finally {
      vi.useRealTimers();
      globalThis.fetch = real;
    }
  }

  /** A client with this per-request timeout, on the test's fake clock, logging to `logs`. */
  const clientWithTimeout = (timeoutMs: number) =>
    new LaunchDarklyClient({
      baseUri: emulator.url,
      token: emulator.token,
      clock,
      random: () => 0,
      timeoutMs,
      log: (l) => logs.push(l),
    });

  it('times out an answer that stalls after its first bytes, and retries the read', async () => {
    const timeoutMs = 30_000;
    client = clientWithTimeout(timeoutMs);
    const hook = await client.create(BODY, MARKER);
    emulator.resetLog();
    emulator.inject({ kind: 'stall', method: 'GET', bytes: 12 });
    expect(await afterHeadersStall(() => client.list(), timeoutMs)).toEqual([hook]);
    expect(emulator.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 200', 'GET 200']);
    expect(logs).toEqual([
      'GET /api/v2/webhooks: no response (no complete answer within 30 s); retry 1 of 4 in 0.3 s',
    ]);
  });

  it('takes a POST whose answer stalls as of unknown outcome: one webhook, found by a re-list', async () => {
    const timeoutMs = 30_000;
    client = clientWithTimeout(timeoutMs);
    emulator.inject({ kind: 'stall', method: 'POST' });
    const hook = await afterHeadersStall(() => client.create(BODY, MARKER), timeoutMs);
    expect(emulator.store.all().map((h) => h._id)).toEqual([hook.id]);
    expect(emulator.counts()).toEqual({ POST: 1, GET: 1 });
    expect(logs.join('\n')).toContain(
      'POST /api/v2/webhooks: outcome unknown (no response: no complete answer within 30 s)',
    );
  });

  it('never follows a redirect to another server, on GET or POST', async () => {
    const other = await startEmulator({ token: emulator.token });
    onTestFinished(() => other.close());
    other.store.put({ _id: 'f'.repeat(24), url: 'https://x.example', on: true, tags: [] });
    const location = `${other.url}/api/v2/webhooks?steal=1`;
    emulator.inject({ kind: 'redirect', method: 'GET', status: 302, location });
    emulator.inject({ kind: 'redirect', method: 'POST', status: 307, location });
    const listed = (await client.list().catch((e: unknown) => e)) as ApiError;
    expect(listed.message).toContain(`302: a redirect to ${other.url}, not followed`);
    const posted = (await client.create(BODY, MARKER).catch((e: unknown) => e)) as ApiError;
    expect(posted.message).toContain(`307: a redirect to ${other.url}, not followed`);
    expect(posted.message).not.toContain('steal');
    expect(other.requests).toEqual([]);
    expect(emulator.counts()).toEqual({ GET: 1, POST: 1 });
  });

  it('stops a list whose pages never end after 1000 pages', async () => {
    emulator.inject({ kind: 'paginate', method: 'GET', count: 1_000_000 });
    const error = (await client.list().catch((e: unknown) => e)) as ApiError;
    expect(error.message).toContain('the list goes on past 1000 pages (_links.next never ends)');
    expect(emulator.counts()).toEqual({ GET: 1000 });
  });

  it('reads a webhook listed twice as one, and refuses one it cannot read by its id', async () => {
    const hook = await client.create(BODY, MARKER);
    emulator.inject({ kind: 'duplicate', method: 'GET' });
    expect(await client.list()).toEqual([hook]);
    emulator.inject({ kind: 'odd', method: 'GET', fields: { name: null, statements: null } });
    const { name: _, ...nameless } = hook;
    expect(await client.list()).toEqual([nameless]);
    emulator.inject({ kind: 'odd', method: 'GET', fields: { statements: [null] } });
    const error = (await client.list().catch((e: unknown) => e)) as ApiError;
    expect(error.message).toContain(`webhook ${hook.id}: statements[0] is not an object`);
  });

  it('reports an error that retrying cannot fix, without the token', async () => {
    emulator.inject({ kind: 'status', status: 500, method: 'GET', count: 10 });
    const error = await client.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toMatch(
      /^GET \/api\/v2\/webhooks failed: 500 internal_server_error: injected fault \(request id [0-9a-f-]+\)/,
    );
    expect(JSON.stringify(error) + String(error)).not.toContain(emulator.token);
    expect(emulator.counts()).toEqual({ GET: 5 });
    expect(clock.sleeps).toEqual([250, 500, 1000, 2000]);
  });

  it('reports a wrong token as 401 with advice', async () => {
    const wrong = new LaunchDarklyClient({ baseUri: emulator.url, token: 'not-the-token' });
    const error = (await wrong.list().catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(401);
    expect(error.message).toContain('check the access token in LD_ACCESS_TOKEN');
    expect(error.message).not.toContain('not-the-token');
  });

  it('spreads its requests evenly through each window, and meets no 429', async () => {
    await emulator.close();
    // LaunchDarkly's 10-second window, on a fake clock shared with the client that does not
    // move while a request is in flight: every request lands at the virtual time it was sent.
    const fetches = countFetches();
    onTestFinished(fetches.restore);
    clock = fakeClock({ busy: () => fetches.inFlight() > 0 });
    emulator = await startEmulator({ rateLimit: 20, windowMs: 10_000, clock });
    client = new LaunchDarklyClient({
      baseUri: emulator.url,
      token: emulator.token,
      clock,
      random: () => 0,
      log: (l) => logs.push(l),
    });
    const start = clock.now();
    const hook = await client.create(BODY, MARKER);
    // 30 reads at once, at 20 per 10 s: the POST opens the window with 19 left, which go one
    // every 500 ms (the first read alone, to learn its route's limit); the 11 reads left start
    // the next window on time, at the same pace.
    await Promise.all(Array.from({ length: 30 }, () => client.get(hook.id)));
    expect(emulator.requests.filter((r) => r.status === 429)).toEqual([]);
    expect(emulator.requests.filter((r) => r.status === 200)).toHaveLength(31);
    expect(emulator.requests.map((r) => r.at - start)).toEqual(
      Array.from({ length: 31 }, (_, i) => i * 500),
    );
    // Never a stall worth telling: the last request of a window goes one step before its reset.
    expect(logs.filter((l) => l.includes('rate limit'))).toEqual([]);
  });
});
