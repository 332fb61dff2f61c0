import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type Emulator,
  type EmulatorOptions,
  startEmulator,
} from '../../../src/adapters/emulator/index.js';
import { fakeClock, until } from '../../support/clock.js';

const running: Emulator[] = [];
async function emulator(options: EmulatorOptions = {}) {
  const e = await startEmulator(options);
  running.push(e);
  return e;
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.close()));
});

async function call(e: Emulator, method: string, p: string, body?: unknown, token = e.token) {
  const res = await fetch(`${e.url}${p}`, {
    method,
    headers: {
      Authorization: token,
      ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const POST = { url: 'https://hooks.example.com/a', sign: false, on: true, name: 'a', tags: ['x'] };

describe('the emulator', () => {
  it('creates, lists, reads, patches and deletes as LaunchDarkly does', async () => {
    const e = await emulator();
    const created = await call(e, 'POST', '/api/v2/webhooks', POST);
    expect(created.status).toBe(200);
    const id = created.body._id as string;
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    expect(created.body).toEqual({
      _links: { self: { href: `/api/v2/webhooks/${id}`, type: 'application/json' } },
      _id: id,
      name: 'a',
      url: 'https://hooks.example.com/a',
      on: true,
      tags: ['x'],
      _access: { allowed: [], denied: [] },
    });
    expect((await call(e, 'GET', '/api/v2/webhooks')).body.items).toEqual([created.body]);
    expect((await call(e, 'GET', `/api/v2/webhooks/${id}`)).body).toEqual(created.body);

    const patched = await call(e, 'PATCH', `/api/v2/webhooks/${id}`, [
      { op: 'replace', path: '/on', value: false },
      {
        op: 'add',
        path: '/statements',
        value: [{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }],
      },
      { op: 'replace', path: '/tags', value: ['x', 'y'] },
    ]);
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      on: false,
      tags: ['x', 'y'],
      statements: [{ effect: 'allow' }],
    });

    const removed = await call(e, 'PATCH', `/api/v2/webhooks/${id}`, [
      { op: 'remove', path: '/statements' },
    ]);
    expect(removed.body.statements).toBeUndefined();

    const deleted = await call(e, 'DELETE', `/api/v2/webhooks/${id}`);
    expect(deleted).toMatchObject({ status: 204, body: undefined });
    expect((await call(e, 'GET', `/api/v2/webhooks/${id}`)).status).toBe(404);
    expect(e.counts()).toEqual({ POST: 1, GET: 3, PATCH: 2, DELETE: 1 });
  });

  it('generates a secret when sign is true and none is given, and keeps a given one', async () => {
    const e = await emulator();
    const generated = await call(e, 'POST', '/api/v2/webhooks', { ...POST, sign: true });
    expect(generated.body.secret).toMatch(/^[0-9a-f]{32}$/);
    const given = await call(e, 'POST', '/api/v2/webhooks', {
      ...POST,
      sign: true,
      secret: 'mine',
    });
    expect(given.body.secret).toBe('mine');
    const unsigned = await call(e, 'POST', '/api/v2/webhooks', {
      ...POST,
      sign: false,
      secret: 'ignored',
    });
    expect(unsigned.body.secret).toBeUndefined();
  });

  it.each([
    [{ ...POST, url: undefined }, 'url is required'],
    [{ ...POST, sign: 'yes' }, 'sign is required and must be a boolean'],
    [{ ...POST, on: undefined }, 'on is required'],
    [{ ...POST, url: 'ftp://x' }, 'url must be an http or https URL'],
    [{ ...POST, tags: ['no spaces'] }, 'invalid tag "no spaces"'],
    [
      {
        ...POST,
        statements: [{ effect: 'allow', resources: ['a'], notResources: ['b'], actions: ['*'] }],
      },
      'exactly one of resources and notResources',
    ],
    [
      { ...POST, statements: [{ effect: 'allow', resources: [], actions: ['*'] }] },
      'non-empty array',
    ],
    [
      { ...POST, statements: [{ effect: 'maybe', resources: ['a'], actions: ['*'] }] },
      'effect must be',
    ],
    ['{not json', 'not JSON'],
  ])('answers 400 invalid_request to %j', async (body, message) => {
    const e = await emulator();
    const r = await call(e, 'POST', '/api/v2/webhooks', body);
    expect(r.status).toBe(400);
    expect(r.body.code).toBe('invalid_request');
    expect(r.body.message).toContain(message);
    expect(r.body.id).toMatch(/\S/);
  });

  it.each([
    [
      [{ op: 'replace', path: '/_id', value: 'x' }],
      400,
      'invalid_request',
      'fields starting with _ belong to LaunchDarkly',
    ],
    [
      [{ op: 'move', from: '/a', path: '/b' }],
      400,
      'invalid_request',
      'unsupported patch operation',
    ],
    [[{ op: 'replace', path: '/color', value: 'x' }], 422, 'patch_failed', ''],
    [[{ op: 'test', path: '/on', value: false }], 409, 'optimistic_locking_error', ''],
    [[{ op: 'add', path: '/color', value: 'red' }], 400, 'invalid_request', 'unknown field color'],
    [
      [{ op: 'replace', path: '/url', value: 'nope' }],
      400,
      'invalid_request',
      'url must be an absolute URL',
    ],
    [{ op: 'replace' }, 400, 'invalid_request', 'JSON Patch array'],
  ])('refuses the patch %j', async (ops, status, code, message) => {
    const e = await emulator();
    const { body } = await call(e, 'POST', '/api/v2/webhooks', POST);
    const r = await call(e, 'PATCH', `/api/v2/webhooks/${body._id}`, ops);
    expect([r.status, r.body.code]).toEqual([status, code]);
    expect(r.body.message).toContain(message);
    expect((await call(e, 'GET', `/api/v2/webhooks/${body._id}`)).body).toEqual(body);
  });

  it('takes replace of a secret or statements a webhook lacks, and the empty secret as unsigned', async () => {
    const e = await emulator();
    const { body } = await call(e, 'POST', '/api/v2/webhooks', POST);
    const path = `/api/v2/webhooks/${body._id}`;
    expect(body.secret).toBeUndefined();
    const statements = [{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }];
    const signed = await call(e, 'PATCH', path, [
      { op: 'replace', path: '/secret', value: 'shh' },
      { op: 'replace', path: '/statements', value: statements },
    ]);
    expect(signed.status).toBe(200);
    expect(signed.body).toMatchObject({ secret: 'shh', statements });
    const unsigned = await call(e, 'PATCH', path, [
      { op: 'replace', path: '/secret', value: '' },
      { op: 'remove', path: '/statements' },
    ]);
    expect(unsigned.status).toBe(200);
    expect(unsigned.body).toEqual(body);
    expect(e.store.get(body._id as string)?.secret).toBeUndefined();
  });

  it('checks the Authorization header on every route', async () => {
    const e = await emulator({ token: 'right' });
    for (const [method, p] of [
      ['GET', '/api/v2/webhooks'],
      ['POST', '/api/v2/webhooks'],
      ['DELETE', '/api/v2/webhooks/aaaaaaaaaaaaaaaaaaaaaaaa'],
      ['GET', '/_emulator/requests'],
    ] as const) {
      const r = await call(e, method, p, undefined, 'wrong');
      expect([r.status, r.body.code, r.body.message]).toEqual([
        401,
        'unauthorized',
        'Invalid access token',
      ]);
    }
  });

  it('persists to a file atomically and loads it at start', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-emu-'));
    const data = path.join(dir, 'ld.json');
    const first = await emulator({ data });
    const { body } = await call(first, 'POST', '/api/v2/webhooks', { ...POST, sign: true });
    await first.close();
    const second = await emulator({ data });
    expect((await call(second, 'GET', '/api/v2/webhooks')).body.items).toEqual([body]);
    const saved = JSON.parse(await readFile(data, 'utf8'));
    expect(saved).toMatchObject({
      format: 'ldhooks-emulator',
      version: 1,
      webhooks: [{ _id: body._id }],
    });
  });

  it('refuses a data file in a directory that does not exist at start', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-emu-'));
    const data = path.join(dir, 'nowhere', 'ld.json');
    await expect(startEmulator({ data })).rejects.toThrow(
      `cannot keep the data file ${data}: its directory ${path.dirname(data)} does not exist`,
    );
  });

  it('undoes a change it could not write, so that it never serves what it answered 500 to', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-emu-'));
    const data = path.join(dir, 'ld.json');
    const e = await emulator({ data });
    const kept = await call(e, 'POST', '/api/v2/webhooks', POST);
    expect(kept.status).toBe(200);
    await rm(dir, { recursive: true });
    const lost = await call(e, 'POST', '/api/v2/webhooks', { ...POST, name: 'b' });
    expect(lost.status).toBe(500);
    const id = kept.body._id as string;
    const patch = [{ op: 'replace', path: '/on', value: false }];
    expect((await call(e, 'PATCH', `/api/v2/webhooks/${id}`, patch)).status).toBe(500);
    expect((await call(e, 'DELETE', `/api/v2/webhooks/${id}`)).status).toBe(500);
    expect((await call(e, 'GET', '/api/v2/webhooks')).body.items).toEqual([kept.body]);
  });

  it('refuses a corrupt data file and leaves it untouched', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-emu-'));
    const data = path.join(dir, 'ld.json');
    await writeFile(data, '{"format": "ldhooks-emulator", "version": 1, "webhooks": [');
    await expect(startEmulator({ data })).rejects.toThrow(
      /the data file .*ld\.json is not usable: not valid JSON .*the emulator never empties a data file by itself/,
    );
    await writeFile(
      data,
      '{"format": "ldhooks-emulator", "version": 1, "webhooks": [{"_id": "xyz"}]}',
    );
    await expect(startEmulator({ data })).rejects.toThrow(
      'webhooks[0]: _id must be 24 hex characters',
    );
    expect(await readFile(data, 'utf8')).toContain('"xyz"');
  });

  it('rate-limits per 10-second window with the headers LaunchDarkly sends', async () => {
    const clock = fakeClock({ start: 5_000_000 });
    const e = await emulator({ rateLimit: 2, clock });
    const a = await call(e, 'GET', '/api/v2/webhooks');
    clock.advance(2_500);
    const b = await call(e, 'GET', '/api/v2/webhooks');
    const c = await call(e, 'GET', '/api/v2/webhooks');
    expect([a.status, b.status, c.status]).toEqual([200, 200, 429]);
    expect([
      a.headers.get('x-ratelimit-global-remaining'),
      b.headers.get('x-ratelimit-global-remaining'),
      c.headers.get('x-ratelimit-global-remaining'),
    ]).toEqual(['1', '0', '0']);
    // A global limit alone: no route has a limit of its own, so no route header (as LaunchDarkly
    // sends none on routes without one).
    expect(a.headers.get('x-ratelimit-route-remaining')).toBeNull();
    // The window opened with the first request and lasts 10 s; 7.5 s of it are left.
    for (const r of [a, b, c]) expect(r.headers.get('x-ratelimit-reset')).toBe('5010000');
    expect(c.headers.get('retry-after')).toBe('8');
    expect(c.body.code).toBe('rate_limited');
    expect(e.requests.map((r) => r.at)).toEqual([5_000_000, 5_002_500, 5_002_500]);
    clock.advance(7_499);
    expect((await call(e, 'GET', '/api/v2/webhooks')).status).toBe(429);
    clock.advance(1);
    const next = await call(e, 'GET', '/api/v2/webhooks');
    expect(next.status).toBe(200);
    expect(next.headers.get('x-ratelimit-reset')).toBe('5020000');
  });

  it('counts each route (method and URL pattern) on its own, beside the global limit', async () => {
    const clock = fakeClock({ start: 0 });
    const e = await emulator({ rateLimit: 5, routeRateLimit: 2, clock });
    const seen: (string | number | null)[][] = [];
    const send = async (method: string, p: string, body?: unknown) => {
      const r = await call(e, method, p, body);
      const h = (name: string) => r.headers.get(name);
      seen.push([
        method,
        r.status,
        h('x-ratelimit-global-remaining'),
        h('x-ratelimit-route-remaining'),
        h('x-ratelimit-reset'),
        h('retry-after'),
      ]);
      return r;
    };
    await send('GET', '/api/v2/webhooks'); // opens the first window, to 10 000
    clock.advance(3_000);
    const a = await send('POST', '/api/v2/webhooks', POST);
    await send('POST', '/api/v2/webhooks', { ...POST, name: 'b' });
    await send('POST', '/api/v2/webhooks', { ...POST, name: 'c' }); // the route's third: refused
    // Another route, with its own count; the global one is spent by then.
    await send('GET', `/api/v2/webhooks/${a.body._id}`);
    await send('PATCH', `/api/v2/webhooks/${a.body._id}`, [
      { op: 'replace', path: '/on', value: false },
    ]);
    clock.advance(7_000); // every count starts again, at the same moment
    for (const name of ['d', 'e', 'f']) await send('POST', '/api/v2/webhooks', { ...POST, name });
    clock.advance(25_000); // windows follow one another whether requests come or not
    await send('GET', '/api/v2/webhooks');
    expect(seen).toEqual([
      ['GET', 200, '4', '1', '10000', null],
      ['POST', 200, '3', '1', '10000', null],
      ['POST', 200, '2', '0', '10000', null],
      ['POST', 429, '1', '0', '10000', '7'],
      ['GET', 200, '0', '1', '10000', null],
      ['PATCH', 429, '0', '1', '10000', '7'],
      ['POST', 200, '4', '1', '20000', null],
      ['POST', 200, '3', '0', '20000', null],
      ['POST', 429, '2', '0', '20000', '10'],
      ['GET', 200, '4', '1', '40000', null],
    ]);
    expect(e.store.all().map((w) => w.name)).toEqual(['a', 'b', 'd', 'e']);
  });

  it('limits only the routes it names, and counts no route for a path the API lacks', async () => {
    const e = await emulator({
      routeRateLimit: { 'PATCH /api/v2/webhooks/{id}': 1 },
      clock: fakeClock({ start: 0 }),
    });
    const { body } = await call(e, 'POST', '/api/v2/webhooks', POST);
    const patch = () =>
      call(e, 'PATCH', `/api/v2/webhooks/${body._id}`, [
        { op: 'replace', path: '/on', value: true },
      ]);
    const first = await patch();
    const second = await patch();
    expect([first.status, second.status]).toEqual([200, 429]);
    expect(first.headers.get('x-ratelimit-route-remaining')).toBe('0');
    expect(first.headers.get('x-ratelimit-global-remaining')).toBeNull();
    expect(second.headers.get('retry-after')).toBe('10');
    for (const other of [
      await call(e, 'GET', `/api/v2/webhooks/${body._id}`),
      await call(e, 'GET', '/api/v2/elsewhere'),
    ]) {
      expect(other.headers.get('x-ratelimit-route-remaining')).toBeNull();
      expect(other.headers.get('x-ratelimit-reset')).toBeNull();
    }
  });

  it.each([
    [{ rateLimit: 0 }, 'rateLimit must be a whole number of requests from 1 to 1000000, not 0'],
    [
      { rateLimit: '5' },
      'rateLimit must be a whole number of requests from 1 to 1000000, not "5" (a string)',
    ],
    [
      { rateLimit: { n: 5 } },
      'rateLimit must be a whole number of requests from 1 to 1000000, not a value of type object',
    ],
    [
      { rateLimit: 1_000_001 },
      'rateLimit must be a whole number of requests from 1 to 1000000, not 1000001',
    ],
    [
      { routeRateLimit: 1.5 },
      'routeRateLimit must be a whole number of requests from 1 to 1000000, not 1.5',
    ],
    [
      { routeRateLimit: { 'PUT /api/v2/webhooks/{id}': 1 } },
      'routeRateLimit names "PUT /api/v2/webhooks/{id}", not a route; the routes are GET /api/v2/webhooks, POST /api/v2/webhooks, GET /api/v2/webhooks/{id}, PATCH /api/v2/webhooks/{id}, DELETE /api/v2/webhooks/{id}',
    ],
    [
      { routeRateLimit: { 'GET /api/v2/webhooks': -2 } },
      'routeRateLimit["GET /api/v2/webhooks"] must be a whole number of requests from 1 to 1000000, not -2',
    ],
  ] as [EmulatorOptions, string][])(
    'refuses rate limits it cannot keep: %j',
    async (options, message) => {
      await expect(startEmulator(options)).rejects.toThrow(message);
    },
  );

  it('refuses a BigInt limit by name, as any other value that is not a number', async () => {
    await expect(startEmulator({ rateLimit: 10n as unknown as number })).rejects.toThrow(
      'rateLimit must be a whole number of requests from 1 to 1000000, not 10n (a bigint)',
    );
  });

  it('takes the window length as an option', async () => {
    const clock = fakeClock({ start: 0 });
    const e = await emulator({ rateLimit: 1, windowMs: 250, clock });
    const statuses: number[] = [];
    for (const step of [0, 100, 149, 1, 250]) {
      clock.advance(step);
      statuses.push((await call(e, 'GET', '/api/v2/webhooks')).status);
    }
    expect(statuses).toEqual([200, 429, 429, 200, 200]);
    for (const bad of [0, 60_001, 1.5]) {
      await expect(startEmulator({ windowMs: bad })).rejects.toThrow(
        `windowMs must be a whole number of milliseconds from 1 to 60000, not ${bad}`,
      );
    }
  });

  it('reads the system clock when given none', async () => {
    const before = Date.now();
    const e = await emulator({ rateLimit: 5 });
    const r = await call(e, 'GET', '/api/v2/webhooks');
    const after = Date.now();
    const reset = Number(r.headers.get('x-ratelimit-reset'));
    expect(reset).toBeGreaterThanOrEqual(before + 10_000);
    expect(reset).toBeLessThanOrEqual(after + 10_000);
  });

  it('holds every API answer for latencyMs on the clock it is given, never the control routes', async () => {
    const held: (() => void)[] = [];
    const waits: number[] = [];
    const clock = {
      now: () => 7_000,
      sleep: (ms: number) => {
        waits.push(ms);
        return new Promise<void>((resolve) => held.push(resolve));
      },
    };
    const e = await emulator({ latencyMs: 50, clock });
    const created = call(e, 'POST', '/api/v2/webhooks', POST);
    let answered = false;
    void created.then(() => {
      answered = true;
    });
    await until(() => held.length === 1);
    // The request waits: nothing is stored nor answered until its latency is over.
    expect(answered).toBe(false);
    expect(e.store.all()).toHaveLength(0);
    expect((await call(e, 'GET', '/_emulator/requests')).status).toBe(200);
    expect(waits).toEqual([50]);
    held.shift()?.();
    const { body } = await created;
    expect(e.store.all()).toHaveLength(1);

    const read = call(e, 'GET', `/api/v2/webhooks/${body._id}`);
    await until(() => held.length === 1);
    held.shift()?.();
    expect((await read).body).toEqual(body);
    expect(waits).toEqual([50, 50]);
  });

  it('waits latencyMs on a real timer without a clock, and refuses a bad latencyMs', async () => {
    const e = await emulator({ latencyMs: 1 });
    expect((await call(e, 'GET', '/api/v2/webhooks')).status).toBe(200);
    for (const bad of [-1, 1.5, Number.NaN, 60_001, 3e9]) {
      await expect(startEmulator({ latencyMs: bad })).rejects.toThrow(
        `latencyMs must be a whole number of milliseconds from 0 to 60000, not ${bad}`,
      );
    }
  });

  it('injects faults: a status, a dropped connection, a commit then a drop, a delay', async () => {
    const e = await emulator();
    e.inject({ kind: 'status', status: 503, method: 'GET', count: 2 });
    expect((await call(e, 'GET', '/api/v2/webhooks')).status).toBe(503);
    expect((await call(e, 'GET', '/api/v2/webhooks')).status).toBe(503);
    expect((await call(e, 'GET', '/api/v2/webhooks')).status).toBe(200);

    e.inject({ kind: 'drop', method: 'POST' });
    await expect(call(e, 'POST', '/api/v2/webhooks', POST)).rejects.toThrow();
    expect(e.store.all()).toHaveLength(0);

    e.inject({ kind: 'commit-then-drop', method: 'POST' });
    await expect(call(e, 'POST', '/api/v2/webhooks', POST)).rejects.toThrow();
    expect(e.store.all()).toHaveLength(1);

    e.inject({ kind: 'delay', delayMs: 60_000, method: 'GET' });
    const slow = fetch(`${e.url}/api/v2/webhooks`, {
      headers: { Authorization: e.token },
      signal: AbortSignal.timeout(200),
    });
    await expect(slow).rejects.toThrow(/aborted/i);
    expect((await call(e, 'GET', '/api/v2/webhooks')).status).toBe(200);
    expect(e.requests.map((r) => [r.method, r.status])).toEqual([
      ['GET', 503],
      ['GET', 503],
      ['GET', 200],
      ['POST', undefined],
      ['POST', undefined],
      ['GET', undefined],
      ['GET', 200],
    ]);
  });

  it.each([
    [400, 'invalid_request'],
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [409, 'optimistic_locking_error'],
    [410, 'gone'],
    [429, 'rate_limited'],
    [500, 'internal_server_error'],
    [503, 'internal_server_error'],
  ])('answers an injected %i fault with its own error code, %s', async (status, code) => {
    const e = await emulator();
    e.inject({ kind: 'status', status, method: 'GET' });
    const r = await call(e, 'GET', '/api/v2/webhooks');
    expect([r.status, r.body.code, r.body.message]).toEqual([status, code, 'injected fault']);
  });

  it('plays a hostile server: redirect, echo, stall, endless pages, odd values, duplicates', async () => {
    const e = await emulator();
    const created = (await call(e, 'POST', '/api/v2/webhooks', POST)).body;

    e.inject({ kind: 'redirect', method: 'GET', status: 307, location: 'https://x.example/y' });
    const moved = await fetch(`${e.url}/api/v2/webhooks`, {
      headers: { Authorization: e.token },
      redirect: 'manual',
    });
    expect([moved.status, moved.headers.get('location')]).toEqual([307, 'https://x.example/y']);

    e.inject({ kind: 'echo', method: 'PATCH', pad: 3 });
    const echoed = await call(e, 'PATCH', `/api/v2/webhooks/${created._id}`, [
      { op: 'replace', path: '/secret', value: 'shh' },
    ]);
    expect(echoed.status).toBe(400);
    expect(echoed.body.message).toBe(
      `xxxtoken ${e.token} body [{"op":"replace","path":"/secret","value":"shh"}] held ${JSON.stringify(e.store.all())}`,
    );
    expect([echoed.body.code, echoed.body.id]).toEqual([echoed.body.message, echoed.body.message]);
    expect(echoed.headers.get('x-request-id')).toBe(e.token);
    expect(e.store.get(created._id)?.secret).toBeUndefined();
    e.inject({ kind: 'echo', method: 'GET', format: 'html', status: 502 });
    const page = await fetch(`${e.url}/api/v2/webhooks`, { headers: { Authorization: e.token } });
    expect([page.status, page.headers.get('content-type')]).toEqual([
      502,
      'text/html; charset=utf-8',
    ]);
    expect(await page.text()).toContain(`<title>token ${e.token} body  held [{`);

    e.inject({ kind: 'stall', method: 'GET', bytes: 5 });
    const stalled = await fetch(`${e.url}/api/v2/webhooks`, {
      headers: { Authorization: e.token },
    });
    const reader = (stalled.body as ReadableStream<Uint8Array>).getReader();
    expect(Buffer.from((await reader.read()).value ?? []).toString()).toBe('{"_li');
    await reader.cancel();

    e.inject({ kind: 'paginate', method: 'GET', count: 2 });
    const first = (await call(e, 'GET', '/api/v2/webhooks')).body;
    const second = (await call(e, 'GET', first._links.next.href)).body;
    expect(first._links.next.href).toMatch(/^\/api\/v2\/webhooks\?page=/);
    expect(second._links.next.href).not.toBe(first._links.next.href);
    expect((await call(e, 'GET', '/api/v2/webhooks')).body._links.next).toBeUndefined();

    e.inject({ kind: 'odd', method: 'GET', count: 2, fields: { statements: [null], name: null } });
    expect((await call(e, 'GET', '/api/v2/webhooks')).body.items[0]).toMatchObject({
      statements: [null],
      name: null,
    });
    expect((await call(e, 'GET', `/api/v2/webhooks/${created._id}`)).body.name).toBeNull();

    e.inject({ kind: 'duplicate', method: 'GET' });
    expect((await call(e, 'GET', '/api/v2/webhooks')).body.items).toEqual([created, created]);
    expect((await call(e, 'GET', '/api/v2/webhooks')).body.items).toEqual([created]);
  });

  it.each([
    [{ kind: 'redirect', location: 7 }, 'location must be a string'],
    [{ kind: 'stall', bytes: -1 }, 'bytes must be a whole number >= 0'],
    [{ kind: 'echo', pad: 1.5 }, 'pad must be a whole number >= 0'],
    [{ kind: 'odd', fields: [1] }, 'fields must be a JSON object'],
    [{ kind: 'echo', format: 'xml' }, 'format must be json, text or html'],
  ])('refuses the fault %j', async (fault, message) => {
    const e = await emulator();
    const r = await call(e, 'POST', '/_emulator/faults', fault);
    expect([r.status, r.body.message]).toEqual([400, message]);
  });

  it('takes faults and reports requests over HTTP too', async () => {
    const e = await emulator();
    expect(
      (
        await call(e, 'POST', '/_emulator/faults', {
          kind: 'status',
          status: 500,
          method: 'DELETE',
        })
      ).status,
    ).toBe(204);
    expect((await call(e, 'POST', '/_emulator/faults', { kind: 'explode' })).status).toBe(400);
    expect((await call(e, 'DELETE', '/api/v2/webhooks/aaaaaaaaaaaaaaaaaaaaaaaa')).status).toBe(500);
    expect((await call(e, 'DELETE', '/api/v2/webhooks/aaaaaaaaaaaaaaaaaaaaaaaa')).status).toBe(404);
    const log = await call(e, 'GET', '/_emulator/requests');
    expect(log.body.counts).toEqual({ DELETE: 2 });
  });
});
