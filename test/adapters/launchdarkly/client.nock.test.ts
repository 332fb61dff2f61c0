import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { LaunchDarklyClient } from '../../../src/adapters/launchdarkly/client.js';
import { ApiError } from '../../../src/adapters/launchdarkly/errors.js';
import { MAX_WINDOW_WAIT_MS } from '../../../src/adapters/launchdarkly/pacer.js';
import { fakeClock } from '../../support/clock.js';
import { useNockStrictly, WEBHOOK_ID } from '../../support/nock.js';

const BASE = 'https://app.launchdarkly.com';
const TOKEN = 'api-0123456789-secret-token';
const ID = WEBHOOK_ID;

const rep = (over: Record<string, unknown> = {}) => ({
  _links: { self: { href: `/api/v2/webhooks/${ID}`, type: 'application/json' } },
  _id: ID,
  name: 'slack',
  url: 'https://hooks.example.com/x',
  on: true,
  tags: ['managed-by-ldhooks'],
  ...over,
});

function client(over: Partial<ConstructorParameters<typeof LaunchDarklyClient>[0]> = {}) {
  const clock = fakeClock();
  return {
    sleeps: clock.sleeps,
    client: new LaunchDarklyClient({
      baseUri: BASE,
      token: TOKEN,
      clock,
      random: () => 0,
      userAgent: 'ldhooks/9.9.9-test',
      ...over,
    }),
  };
}

useNockStrictly();

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    expect((e as Error).message).not.toContain(TOKEN);
    expect(JSON.stringify(e)).not.toContain(TOKEN);
    return e as ApiError;
  }
  throw new Error('expected a rejection');
}

describe('requests', () => {
  it('sends the bare token, the API version and the user agent on every request', async () => {
    const scope = nock(BASE, {
      reqheaders: {
        authorization: TOKEN,
        'ld-api-version': '20240415',
        'user-agent': 'ldhooks/9.9.9-test',
      },
    })
      .get('/api/v2/webhooks')
      .reply(200, { _links: {}, items: [rep()] })
      .post('/api/v2/webhooks', {
        url: 'https://hooks.example.com/x',
        sign: false,
        on: true,
        name: 'slack',
      })
      .reply(200, rep())
      .patch(`/api/v2/webhooks/${ID}`, [{ op: 'replace', path: '/on', value: false }])
      .reply(200, rep({ on: false }))
      .get(`/api/v2/webhooks/${ID}`)
      .reply(200, rep())
      .delete(`/api/v2/webhooks/${ID}`)
      .reply(204);
    const { client: c } = client();
    expect(await c.list()).toEqual([
      {
        id: ID,
        name: 'slack',
        url: 'https://hooks.example.com/x',
        on: true,
        tags: ['managed-by-ldhooks'],
        statements: [],
      },
    ]);
    expect(
      (
        await c.create(
          { url: 'https://hooks.example.com/x', sign: false, on: true, name: 'slack' },
          'm',
        )
      ).id,
    ).toBe(ID);
    expect((await c.update(ID, [{ op: 'replace', path: '/on', value: false }])).on).toBe(false);
    expect((await c.get(ID)).name).toBe('slack');
    await c.remove(ID);
    scope.done();
  });

  it('follows _links.next when the list is paginated', async () => {
    nock(BASE)
      .get('/api/v2/webhooks')
      .reply(200, { _links: { next: { href: '/api/v2/webhooks?offset=1' } }, items: [rep()] })
      .get('/api/v2/webhooks')
      .query({ offset: '1' })
      .reply(200, { _links: {}, items: [rep({ _id: 'aaaaaaaaaaaaaaaaaaaaaaaa', name: 'two' })] });
    const { client: c } = client();
    expect((await c.list()).map((w) => w.name)).toEqual(['slack', 'two']);
  });

  it('refuses a _links.next that leads to another host', async () => {
    nock(BASE)
      .get('/api/v2/webhooks')
      .reply(200, { _links: { next: { href: 'https://evil.example.com/steal' } }, items: [] });
    const e = await rejection(client().client.list());
    expect(e.message).toContain('_links.next leads to another host (https://evil.example.com)');
  });
});

describe('error mapping', () => {
  it.each([
    [400, 'invalid_request', 'Invalid request body', 'rejected the request body'],
    [401, 'unauthorized', 'Invalid access token', 'check the access token in LD_ACCESS_TOKEN'],
    [
      403,
      'forbidden',
      'Forbidden. Access to the requested resource was denied.',
      'lacks a role that can write webhooks',
    ],
    [404, 'not_found', 'Invalid resource identifier', 'no longer exists'],
    [409, 'optimistic_locking_error', 'Conflict', 'plan again'],
    [422, 'patch_failed', 'Patch failed', 'plan again'],
  ])(
    '%i becomes an ApiError with code, message, request id and remedy',
    async (status, code, message, remedy) => {
      nock(BASE).patch(`/api/v2/webhooks/${ID}`).reply(status, { code, message, id: 'req-42' });
      const e = await rejection(
        client().client.update(ID, [{ op: 'replace', path: '/on', value: true }]),
      );
      expect(e.method).toBe('PATCH');
      expect(e.path).toBe(`/api/v2/webhooks/${ID}`);
      expect(e.status).toBe(status);
      expect(e.code).toBe(code);
      expect(e.ldMessage).toBe(message);
      expect(e.requestId).toBe('req-42');
      expect(e.message).toContain(
        `PATCH /api/v2/webhooks/${ID} failed: ${status} ${code}: ${message} (request id req-42); `,
      );
      expect(e.remedy).toContain(remedy);
    },
  );

  it('says a 403 on a read is about reading webhooks, not writing them', async () => {
    nock(BASE)
      .get('/api/v2/webhooks')
      .reply(403, { code: 'forbidden', message: 'Forbidden', id: 'req-43' });
    const e = await rejection(client().client.list());
    expect(e.remedy).toBe(
      'the access token cannot read webhooks; give it a role that may read them (plan needs only that; apply also needs to write them, as Writer or Admin may)',
    );
    expect(e.message).not.toContain('can write webhooks');
  });

  it('scrubs the token if the server ever echoes it', async () => {
    nock(BASE)
      .get('/api/v2/webhooks')
      .reply(401, { code: 'unauthorized', message: `token ${TOKEN} is invalid` });
    const e = await rejection(client().client.list());
    expect(e.ldMessage).toBe('token (access token) is invalid');
  });

  it('reports a body that is not JSON', async () => {
    nock(BASE).get('/api/v2/webhooks').reply(200, '<html>proxy login</html>');
    const e = await rejection(client().client.list());
    expect(e.message).toContain('unexpected response: the body is not JSON');
  });
});

describe('rate limits', () => {
  it('waits Retry-After seconds (with jitter) after a 429, then succeeds', async () => {
    nock(BASE)
      .get('/api/v2/webhooks')
      .reply(429, { code: 'rate_limited', message: 'slow down' }, { 'Retry-After': '3' })
      .get('/api/v2/webhooks')
      .reply(200, { _links: {}, items: [] });
    const { client: c, sleeps } = client({ random: () => 0.5 });
    expect(await c.list()).toEqual([]);
    expect(sleeps).toEqual([3125]);
  });

  it('waits until X-Ratelimit-Reset (epoch ms), on a fake clock', async () => {
    // The injected clock is the fake timer: it stands still during a request and advances only
    // when the client sleeps, so the wait is exact however busy the machine is. (vitest's fake
    // timers race real socket I/O here: fetch needs timer ticks of its own.)
    const clock = fakeClock({ start: 1_700_000_000_000 });
    const sleeps = clock.sleeps;
    const sentAt: number[] = [];
    nock(BASE)
      .get('/api/v2/webhooks')
      .reply(() => {
        sentAt.push(clock.now());
        return [
          429,
          { code: 'rate_limited', message: 'slow down' },
          { 'X-Ratelimit-Reset': String(1_700_000_004_000) },
        ];
      })
      .get('/api/v2/webhooks')
      .reply(() => {
        sentAt.push(clock.now());
        return [200, { _links: {}, items: [] }];
      });
    const c = new LaunchDarklyClient({ baseUri: BASE, token: TOKEN, clock, random: () => 0 });
    expect(await c.list()).toEqual([]);
    expect(sleeps).toEqual([4_000]);
    expect(sentAt).toEqual([1_700_000_000_000, 1_700_000_004_000]);
  });

  it('clamps a negative or past X-Ratelimit-Reset to now', async () => {
    nock(BASE)
      .get('/api/v2/webhooks')
      .reply(429, { code: 'rate_limited', message: 'x' }, { 'X-Ratelimit-Reset': '-5000' })
      .get('/api/v2/webhooks')
      .reply(200, { _links: {}, items: [] });
    const { client: c, sleeps } = client();
    await c.list();
    expect(sleeps).toEqual([0]);
  });

  it('gives up after the 429 budget with a rate-limit remedy', async () => {
    nock(BASE)
      .get('/api/v2/webhooks')
      .times(3)
      .reply(429, { code: 'rate_limited', message: 'x' }, { 'Retry-After': '1' });
    const { client: c, sleeps } = client({ rateLimitRetries: 2 });
    const e = await rejection(c.list());
    expect(e.status).toBe(429);
    expect(e.remedy).toContain('lower --parallelism');
    expect(sleeps).toEqual([1000, 1000]);
  });

  it('gives up in bounded time on a server that rate-limits forever with hostile headers', async () => {
    const forever = {
      'Retry-After': 'never',
      'X-Ratelimit-Global-Remaining': '-1',
      'X-Ratelimit-Route-Remaining': 'none',
      'X-Ratelimit-Reset': String(1_700_000_000_000 + 86_400_000),
    };
    nock(BASE)
      .get('/api/v2/webhooks')
      .times(3)
      .reply(429, { code: 'rate_limited', message: 'x' }, forever);
    const { client: c, sleeps } = client({ rateLimitRetries: 2 });
    const e = await rejection(c.list());
    expect(e.status).toBe(429);
    expect(e.message).toContain('lower --parallelism');
    // A reset a day away is clock skew: each wait stops at MAX_WINDOW_WAIT_MS, and the pacer
    // does not wait again on top of the retry's wait.
    expect(sleeps).toEqual([MAX_WINDOW_WAIT_MS, MAX_WINDOW_WAIT_MS]);
  });

  it('paces itself: spreads what is left over the time to the reset, then waits for it', async () => {
    const clock = fakeClock({ start: 1_000_000 });
    const reset = String(1_000_000 + 6_000);
    const sentAt: number[] = [];
    const answer = (headers: Record<string, string>) => () => {
      sentAt.push(clock.now());
      return [200, rep(), headers] as [number, unknown, Record<string, string>];
    };
    nock(BASE)
      .get(`/api/v2/webhooks/${ID}`)
      .reply(
        answer({
          'X-Ratelimit-Global-Remaining': '1',
          'X-Ratelimit-Route-Remaining': '5',
          'X-Ratelimit-Reset': reset,
        }),
      )
      .get(`/api/v2/webhooks/${ID}`)
      .reply(answer({ 'X-Ratelimit-Global-Remaining': '0', 'X-Ratelimit-Reset': reset }))
      .get(`/api/v2/webhooks/${ID}`)
      .reply(answer({}));
    const c = new LaunchDarklyClient({ baseUri: BASE, token: TOKEN, clock, random: () => 0 });
    await c.get(ID);
    await c.get(ID);
    await c.get(ID);
    // The global limit is the tighter (1 left against 5): its last request goes halfway to the
    // reset, and the next one at the reset.
    expect(sentAt).toEqual([1_000_000, 1_003_000, 1_006_000]);
    expect(clock.sleeps).toEqual([3_000, 3_000]);
  });

  it('says when it waits for a window as long as it ever does, and asks again then', async () => {
    const clock = fakeClock({ start: 1_000_000 });
    const logs: string[] = [];
    nock(BASE)
      .get(`/api/v2/webhooks/${ID}`)
      .reply(200, rep(), {
        'X-Ratelimit-Global-Remaining': '0',
        'X-Ratelimit-Reset': String(1_000_000 + 90_000),
      })
      .get(`/api/v2/webhooks/${ID}`)
      .reply(200, rep(), {
        'X-Ratelimit-Global-Remaining': '0',
        'X-Ratelimit-Reset': String(1_000_000 + 20_000 + MAX_WINDOW_WAIT_MS),
      })
      .get(`/api/v2/webhooks/${ID}`)
      .reply(200, rep());
    const c = new LaunchDarklyClient({
      baseUri: BASE,
      token: TOKEN,
      clock,
      random: () => 0,
      log: (line) => logs.push(line),
    });
    await c.get(ID);
    await c.get(ID);
    await c.get(ID);
    expect(clock.sleeps).toEqual([MAX_WINDOW_WAIT_MS, 20_000]);
    expect(logs).toEqual([
      `rate limit window used up: waiting ${MAX_WINDOW_WAIT_MS / 1000}.0 s, the longest ldhooks waits for a window, then asking again (the server's next window is further away)`,
      'rate limit window used up: waiting 20.0 s for the next',
    ]);
  });
});

describe('retries', () => {
  it('retries a 5xx GET with exponential backoff, then succeeds', async () => {
    nock(BASE)
      .get('/api/v2/webhooks')
      .reply(502, 'bad gateway')
      .get('/api/v2/webhooks')
      .reply(503, { code: 'service_unavailable', message: 'x' })
      .get('/api/v2/webhooks')
      .reply(200, { _links: {}, items: [] });
    const { client: c, sleeps } = client({ random: () => 0 });
    expect(await c.list()).toEqual([]);
    expect(sleeps).toEqual([250, 500]);
  });

  it('retries a network error on PATCH, saying why', async () => {
    nock(BASE)
      .patch(`/api/v2/webhooks/${ID}`)
      .replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
      .patch(`/api/v2/webhooks/${ID}`)
      .reply(200, rep({ on: false }));
    const logs: string[] = [];
    const { client: c } = client({ log: (line) => logs.push(line) });
    expect((await c.update(ID, [{ op: 'replace', path: '/on', value: false }])).on).toBe(false);
    expect(logs).toEqual([
      expect.stringMatching(
        /^PATCH \/api\/v2\/webhooks\/\w+: no response \(connection reset \(ECONNRESET: socket hang up\)\); retry 1 of 4 in /,
      ),
    ]);
  });

  it('gives up on a network error with its cause, redacted', async () => {
    nock(BASE)
      .get('/api/v2/webhooks')
      .times(3)
      .replyWithError({ code: 'ENOTFOUND', message: `getaddrinfo ENOTFOUND ${TOKEN}.example` });
    const e = await rejection(client({ retries: 2 }).client.list());
    expect(e.status).toBeUndefined();
    expect(e.message).toBe(
      'GET /api/v2/webhooks failed: host not found by DNS (ENOTFOUND: getaddrinfo ENOTFOUND (access token).example); check the network and the base URI (--base-uri, LD_BASE_URI); ldhooks retried before giving up',
    );
  });

  it('gives up when the retry budget is spent, naming the last failure', async () => {
    nock(BASE).get('/api/v2/webhooks').times(3).reply(500, { code: 'internal', message: 'boom' });
    const { client: c, sleeps } = client({ retries: 2 });
    const e = await rejection(c.list());
    expect(e.status).toBe(500);
    expect(e.message).toBe(
      'GET /api/v2/webhooks failed: 500 internal: boom; LaunchDarkly failed to answer after several retries; try again later',
    );
    expect(sleeps).toHaveLength(2);
  });

  it('takes a 404 on a retried DELETE as done', async () => {
    nock(BASE)
      .delete(`/api/v2/webhooks/${ID}`)
      .replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
      .delete(`/api/v2/webhooks/${ID}`)
      .reply(404, { code: 'not_found', message: 'Invalid resource identifier' });
    await expect(client().client.remove(ID)).resolves.toEqual({ alreadyGone: false });
  });

  it('takes a 404 on a first DELETE as done: someone deleted the webhook already', async () => {
    nock(BASE)
      .delete(`/api/v2/webhooks/${ID}`)
      .reply(404, { code: 'not_found', message: 'Invalid resource identifier' });
    await expect(client().client.remove(ID)).resolves.toEqual({ alreadyGone: true });
  });

  it('says nothing of a DELETE that found the webhook', async () => {
    nock(BASE).delete(`/api/v2/webhooks/${ID}`).reply(204);
    await expect(client().client.remove(ID)).resolves.toEqual({ alreadyGone: false });
  });

  it('does not repeat a POST blindly: a re-list finds the webhook, so exactly one POST', async () => {
    const body = {
      url: 'https://hooks.example.com/x',
      sign: false,
      on: true,
      name: 'slack',
      tags: ['managed-by-ldhooks'],
    };
    const scope = nock(BASE)
      .post('/api/v2/webhooks', body)
      .once()
      .replyWithError({ code: 'ECONNRESET', message: 'socket hang up' })
      .get('/api/v2/webhooks')
      .reply(200, {
        _links: {},
        items: [rep({ name: 'other', _id: 'bbbbbbbbbbbbbbbbbbbbbbbb' }), rep()],
      });
    const logs: string[] = [];
    const created = await client({ log: (line) => logs.push(line) }).client.create(
      body,
      'managed-by-ldhooks',
    );
    expect(created.id).toBe(ID);
    // The log says why the outcome is unknown.
    expect(logs).toEqual([
      'POST /api/v2/webhooks: outcome unknown (no response: connection reset (ECONNRESET: socket hang up)); looking for the webhook before trying again',
    ]);
    scope.done();
  });

  it('creates again after a POST of unknown outcome when the re-list does not find it', async () => {
    const body = {
      url: 'https://hooks.example.com/x',
      sign: false,
      on: true,
      name: 'slack',
      tags: ['managed-by-ldhooks'],
    };
    nock(BASE)
      .post('/api/v2/webhooks', body)
      .reply(503, { code: 'unavailable', message: 'x' })
      .get('/api/v2/webhooks')
      .reply(200, { _links: {}, items: [] })
      .post('/api/v2/webhooks', body)
      .reply(200, rep());
    expect((await client().client.create(body, 'managed-by-ldhooks')).id).toBe(ID);
  });

  it('never retries a POST that LaunchDarkly refused', async () => {
    nock(BASE)
      .post('/api/v2/webhooks')
      .once()
      .reply(400, { code: 'invalid_request', message: 'bad url' });
    const e = await rejection(
      client().client.create({ url: 'x', sign: false, on: true, name: 'n' }, 'm'),
    );
    expect(e.status).toBe(400);
  });

  it('times out a request that never answers and says so', async () => {
    nock(BASE).get('/api/v2/webhooks').times(2).delay(500).reply(200, { _links: {}, items: [] });
    const { client: c } = client({ timeoutMs: 50, retries: 1 });
    const e = await rejection(c.list());
    expect(e.status).toBeUndefined();
    expect(e.message).toContain('GET /api/v2/webhooks failed: no complete answer within 50 ms');
  });
});
