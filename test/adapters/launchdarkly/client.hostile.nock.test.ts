import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { LaunchDarklyClient } from '../../../src/adapters/launchdarkly/client.js';
import { ApiError } from '../../../src/adapters/launchdarkly/errors.js';
import { SettingsError } from '../../../src/adapters/launchdarkly/settings.js';
import { Masker } from '../../../src/core/mask.js';
import { fakeClock } from '../../support/clock.js';
import { useNockStrictly, WEBHOOK_ID, webhookRep } from '../../support/nock.js';

const BASE = 'https://app.launchdarkly.com';
const TOKEN = 'api-0123456789-secret-token';
const ID = WEBHOOK_ID;
/** Sent in a POST: the server knows it from then on. */
const SECRET = 'Hs9-post-secret-Q7';
/** A value from the environment, told to the client by the run's masker. */
const ENV_VALUE = 'https://hooks.slack.example/services/T0/B0/ENVTOKEN42';
/** A live secret the client read in a listing. */
const LIVE_SECRET = 'Lv8-live-secret-Z3';
const SENSITIVE = [TOKEN, SECRET, ENV_VALUE, 'ENVTOKEN42', LIVE_SECRET];

const rep = webhookRep;

const POST = {
  name: 'slack',
  url: ENV_VALUE,
  sign: true,
  secret: SECRET,
  on: true,
  tags: ['managed-by-ldhooks'],
};

function client(over: Partial<ConstructorParameters<typeof LaunchDarklyClient>[0]> = {}) {
  const logs: string[] = [];
  const c = new LaunchDarklyClient({
    baseUri: BASE,
    token: TOKEN,
    clock: fakeClock(),
    random: () => 0,
    retries: 1,
    rateLimitRetries: 1,
    // The run's masker: a value from the environment and a declared secret.
    masker: new Masker([
      { value: ENV_VALUE, shown: '${SLACK_URL}' },
      { value: SECRET, shown: '(sensitive)' },
    ]),
    log: (l) => logs.push(l),
    ...over,
  });
  return { client: c, logs };
}

useNockStrictly();

async function failure(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

/** Every way the error can be printed or serialized holds none of the sensitive values. */
function expectClean(e: ApiError, logs: string[] = []) {
  const printed = [
    e.message,
    String(e),
    JSON.stringify(e),
    e.code,
    e.ldMessage,
    e.requestId,
    ...logs,
  ]
    .filter((x) => x !== undefined)
    .join('\n');
  for (const value of SENSITIVE) expect(printed).not.toContain(value);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: none may reach a terminal
  expect(e.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
}

/** What a server that repeats everything it knows says. */
const echo = `token ${TOKEN} secret ${SECRET} url ${ENV_VALUE} live ${LIVE_SECRET}\n\u001b[2J`;

describe('a token unfit for a header', () => {
  it.each([
    ['a line break', 'api-abcSECRET\nX'],
    ['a carriage return', 'api-abcSECRET\rX'],
    ['a space', 'api-abcSECRET X'],
    ['a NUL', 'api-abcSECRET\u0000'],
    ['a non-ASCII letter', 'api-abcSECRÉT'],
    ['a character past Latin-1', 'api-abcSECRET\u2028'],
  ])('with %s fails before any request, never echoing it', (_, token) => {
    let thrown: unknown;
    try {
      client({ token });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(SettingsError);
    const message = (thrown as Error).message;
    expect(message).toContain('cannot be sent in an HTTP header');
    expect(message).not.toContain('abcSECRET');
    expect(message).not.toContain('SECR');
  });
});

describe('nothing sensitive is ever printed, whatever the server says', () => {
  const cases: [string, () => void, (c: LaunchDarklyClient) => Promise<unknown>][] = [
    [
      'a JSON error on GET: code, message and id',
      () => nock(BASE).get('/api/v2/webhooks').reply(400, { code: echo, message: echo, id: echo }),
      (c) => c.list(),
    ],
    [
      'the request-id header',
      () =>
        nock(BASE)
          .get('/api/v2/webhooks')
          .reply(403, { code: 'forbidden', message: 'no' }, { 'X-Request-Id': `${TOKEN}` }),
      (c) => c.list(),
    ],
    [
      'a plain-text body',
      () => nock(BASE).get('/api/v2/webhooks').reply(401, echo, { 'Content-Type': 'text/plain' }),
      (c) => c.list(),
    ],
    [
      'an HTML page, the values split by markup',
      () =>
        nock(BASE)
          .get('/api/v2/webhooks')
          .reply(
            502,
            `<html><head><title>${echo}</title></head><body>${TOKEN.slice(0, 8)}<b></b>${TOKEN.slice(8)}</body></html>`,
            { 'Content-Type': 'text/html' },
          )
          .get('/api/v2/webhooks')
          .reply(502, `<p>${echo}</p>`),
      (c) => c.list(),
    ],
    [
      'a 429 after the rate-limit budget',
      () =>
        nock(BASE)
          .get('/api/v2/webhooks')
          .times(2)
          .reply(429, { code: echo, message: echo }, { 'Retry-After': '1' }),
      (c) => c.list(),
    ],
    [
      'a POST refused with its body repeated',
      () =>
        nock(BASE)
          .post('/api/v2/webhooks')
          .reply(400, { message: JSON.stringify(POST) }),
      (c) => c.create(POST, 'managed-by-ldhooks'),
    ],
    [
      'a POST answered 5xx, then a re-list, then 5xx again',
      () =>
        nock(BASE)
          .post('/api/v2/webhooks')
          .reply(500, { message: echo })
          .get('/api/v2/webhooks')
          .reply(200, { items: [] })
          .post('/api/v2/webhooks')
          .reply(500, { message: echo, id: echo }),
      (c) => c.create(POST, 'managed-by-ldhooks'),
    ],
    [
      'a PATCH that set a secret, repeated JSON-escaped',
      () =>
        nock(BASE)
          .patch(`/api/v2/webhooks/${ID}`)
          .reply(422, { message: JSON.stringify({ value: `"${'new"secret\\x'}"` }) }),
      (c) => c.update(ID, [{ op: 'replace', path: '/secret', value: 'new"secret\\x' }]),
    ],
    [
      'a DELETE refused',
      () => nock(BASE).delete(`/api/v2/webhooks/${ID}`).reply(409, { message: echo, code: echo }),
      (c) => c.remove(ID),
    ],
    [
      'a network error that quotes the token',
      () =>
        nock(BASE)
          .get('/api/v2/webhooks')
          .times(2)
          .replyWithError({ code: 'EPROTO', message: `bad header ${TOKEN}\n` }),
      (c) => c.list(),
    ],
    [
      'a webhook that cannot be read, with the token as its id',
      () =>
        nock(BASE)
          .get('/api/v2/webhooks')
          .reply(200, { items: [rep({ _id: TOKEN, statements: [null] })] }),
      (c) => c.list(),
    ],
  ];

  it.each(cases)('%s', async (_, mock, act) => {
    const { client: c, logs } = client();
    // The live secret is known from a listing before the failure.
    nock(BASE)
      .get(`/api/v2/webhooks/${ID}`)
      .reply(200, rep({ secret: LIVE_SECRET }));
    await c.get(ID);
    mock();
    const e = await failure(act(c));
    expectClean(e, logs);
  });

  it('replaces the values before cutting: one across the cut shows no part of itself', async () => {
    const { client: c } = client();
    c.redactWith(new Masker([{ value: 'env-VALUE-across-cut', shown: '${ACROSS}' }]));
    const values = [TOKEN, 'env-VALUE-across-cut'];
    for (const value of values) {
      for (let pad = 285; pad <= 305; pad++) {
        for (const [type, body] of [
          ['json', { message: `${'.'.repeat(pad)}${value} tail` }],
          ['text', `${'.'.repeat(pad)}${value} tail`],
        ] as const) {
          nock(BASE)
            .get('/api/v2/webhooks')
            .reply(400, body, {
              'Content-Type': type === 'json' ? 'application/json' : 'text/plain',
            });
          const e = await failure(c.list());
          // From five characters on: shorter prefixes ("api-") occur in any message.
          for (let n = 5; n <= value.length; n++)
            expect(e.message, `${type}, pad ${pad}`).not.toContain(value.slice(0, n));
        }
      }
    }
  });

  it('knows, without being told, every secret it sent or received and every webhook URL', async () => {
    const { client: c } = client({ masker: new Masker([]) });
    const generated = 'generated-secret-77';
    nock(BASE)
      .get('/api/v2/webhooks')
      .reply(200, { items: [rep({ secret: LIVE_SECRET })] })
      .post('/api/v2/webhooks')
      .reply(400, { message: `${SECRET} ${ENV_VALUE}` })
      .patch(`/api/v2/webhooks/${ID}`)
      .reply(400, { message: `${generated} ${LIVE_SECRET}` });
    await c.list();
    const posted = await failure(c.create(POST, 'managed-by-ldhooks'));
    expect(posted.ldMessage).toBe('(sensitive) https://hooks.slack.example/…');
    const patched = await failure(
      c.update(ID, [{ op: 'replace', path: '/secret', value: generated }]),
    );
    expect(patched.ldMessage).toBe('(sensitive) (sensitive)');
  });

  it('scrubs a token too short to be scrubbed before (3 characters)', async () => {
    const { client: c } = client({ token: 'Zq7' });
    nock(BASE)
      .get('/api/v2/webhooks')
      .reply(401, { code: 'unauthorized', message: 'token Zq7 is wrong', id: 'Zq7' });
    const e = await failure(c.list());
    expect(e.message).not.toContain('Zq7');
    expect(e.ldMessage).toBe('token (access token) is wrong');
  });
});

describe('redirects', () => {
  it('are refused on GET, naming the status and the origin only', async () => {
    nock(BASE)
      .get('/api/v2/webhooks')
      .reply(302, 'moved', { Location: 'https://elsewhere.example:8443/steal?key=abc#x' });
    const e = await failure(client().client.list());
    expect(e.status).toBe(302);
    expect(e.message).toContain(
      'GET /api/v2/webhooks failed: 302: a redirect to https://elsewhere.example:8443, not followed',
    );
    expect(e.message).not.toContain('steal');
    expect(e.message).not.toContain('key=abc');
  });

  it('are refused on POST: the body and its secret are sent once, to the base URI only', async () => {
    nock(BASE)
      .post('/api/v2/webhooks', POST)
      .once()
      .reply(307, '', { Location: 'https://elsewhere.example/api/v2/webhooks' });
    const e = await failure(client().client.create(POST, 'managed-by-ldhooks'));
    expect(e.message).toContain('307: a redirect to https://elsewhere.example, not followed');
  });

  it.each([
    ['/api/v2/other', 'a redirect to https://app.launchdarkly.com, not followed'],
    ['javascript:alert(1)', 'a redirect to a javascript: URL, not followed'],
    ['http://[::1', 'a redirect to a Location that is not a URL, not followed'],
    [undefined, 'a redirect without a Location, not followed'],
  ])('are refused whatever the Location (%s)', async (location, said) => {
    nock(BASE)
      .get('/api/v2/webhooks')
      .reply(301, '', location === undefined ? {} : { Location: location });
    expect((await failure(client().client.list())).message).toContain(said);
  });
});

describe('pagination and listings', () => {
  it('gives up on a _links.next that never ends, after the bound', async () => {
    let page = 0;
    nock(BASE)
      .get('/api/v2/webhooks')
      .query(true)
      .times(3)
      .reply(200, () => ({
        _links: { next: { href: `/api/v2/webhooks?page=${++page}` } },
        items: [rep()],
      }));
    const e = await failure(client({ maxPages: 3 }).client.list());
    expect(e.message).toContain('the list goes on past 3 pages (_links.next never ends)');
  });

  it('refuses a _links.next href that is not a string', async () => {
    nock(BASE)
      .get('/api/v2/webhooks')
      .reply(200, { _links: { next: { href: 42 } }, items: [] });
    const e = await failure(client().client.list());
    expect(e.message).toContain('_links.next has an href that is not a string');
  });

  it('counts a webhook listed twice once', async () => {
    nock(BASE)
      .get('/api/v2/webhooks')
      .reply(200, { items: [rep(), rep({ _id: 'aaaaaaaaaaaaaaaaaaaaaaaa' }), rep()] });
    expect((await client().client.list()).map((w) => w.id)).toEqual([
      ID,
      'aaaaaaaaaaaaaaaaaaaaaaaa',
    ]);
  });

  it('refuses a webhook listed twice with different values, naming it', async () => {
    nock(BASE)
      .get('/api/v2/webhooks')
      .reply(200, { items: [rep(), rep({ on: false })] });
    const e = await failure(client().client.list());
    expect(e.message).toContain(`webhook ${ID} is listed twice, with different values`);
  });

  it('reads odd but harmless values, and names the webhook of one it cannot read', async () => {
    nock(BASE)
      .get('/api/v2/webhooks')
      .reply(200, { items: [rep({ name: null, statements: null, tags: null })] })
      .get('/api/v2/webhooks')
      .reply(200, { items: [rep({ statements: [null] })] });
    const { client: c } = client();
    expect(await c.list()).toEqual([
      { id: ID, url: 'https://hooks.example.com/x', on: true, tags: [], statements: [] },
    ]);
    const e = await failure(c.list());
    expect(e.message).toContain(
      `unexpected response: webhook ${ID}: statements[0] is not an object`,
    );
    expect(e.message).not.toContain('Cannot read properties');
  });
});
