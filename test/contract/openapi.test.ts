import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/adapters/emulator/index.js';
import { LaunchDarklyClient } from '../../src/adapters/launchdarkly/client.js';
import { fakeClock } from '../support/clock.js';
import { ROOT } from '../support/paths.js';

type Json = Record<string, unknown>;
const spec = JSON.parse(
  readFileSync(path.join(ROOT, 'reference/launchdarkly-webhooks-openapi.json'), 'utf8'),
) as { paths: Json; components: { schemas: Record<string, Json> } };

/**
 * The official schemas, made strict where LaunchDarkly's document is loose (no unknown fields),
 * so that a field the emulator or the client invents fails the contract.
 */
const STRICT = [
  'Webhooks',
  'Webhook',
  'webhookPost',
  'Statement',
  'StatementPost',
  'PatchOperation',
  'Link',
  'Access',
];
const schemas = structuredClone(spec.components.schemas);
for (const name of STRICT) (schemas[name] as Json).additionalProperties = false;

const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema({ $id: 'ld', components: { schemas } });
const check = (name: string, value: unknown) => {
  const validate = ajv.getSchema(`ld#/components/schemas/${name}`);
  if (!validate) throw new Error(`no schema ${name}`);
  const ok = validate(value);
  return ok ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
};

/** The schema the OpenAPI document gives for a route's answer with this status. */
function responseSchema(route: string, method: string, status: number): string | undefined {
  const op = (spec.paths[route] as Json)[method.toLowerCase()] as {
    responses: Record<string, Json>;
  };
  const response = op.responses[String(status)];
  if (!response) return undefined;
  const ref = (response.content as Json | undefined)?.['application/json'] as
    | { schema?: { $ref?: string } }
    | undefined;
  return ref?.schema?.$ref?.split('/').pop();
}

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ rateLimit: 1000 });
});
afterAll(async () => {
  await emulator.close();
});

async function call(method: string, p: string, body?: unknown, token = emulator.token) {
  const res = await fetch(`${emulator.url}${p}`, {
    method,
    headers: { Authorization: token, 'Content-Type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

function expectContract(route: string, method: string, res: { status: number; body: unknown }) {
  const declared = Object.keys(
    ((spec.paths[route] as Json)[method.toLowerCase()] as Json).responses as Json,
  );
  expect(declared, `${method} ${route} may answer ${res.status}`).toContain(String(res.status));
  const schema = responseSchema(route, method, res.status);
  if (schema === undefined) {
    expect(res.body).toBeUndefined();
    return;
  }
  expect(check(schema, res.body), `${method} ${route} ${res.status} matches ${schema}`).toEqual([]);
}

describe('the emulator against the official OpenAPI document', () => {
  it('has a contract checker that can fail', () => {
    expect(check('Webhook', { _id: 'x', url: 'u', on: true, tags: [] })).toEqual([
      " must have required property '_links'",
    ]);
    expect(
      check('Webhook', { _id: 'x', _links: {}, url: 'u', on: 'yes', tags: [], extra: 1 }),
    ).toHaveLength(2);
  });

  it('answers every route with the documented status and representation', async () => {
    const list = '/api/v2/webhooks';
    const one = '/api/v2/webhooks/{id}';
    const created = await call('POST', '/api/v2/webhooks', {
      name: 'contract',
      url: 'https://hooks.example.com/c',
      sign: true,
      on: true,
      tags: ['a'],
      statements: [
        { effect: 'allow', resources: ['proj/*:env/production:flag/*'], actions: ['*'] },
      ],
    });
    expectContract(list, 'POST', created);
    const id = created.body._id as string;
    expectContract(list, 'GET', await call('GET', '/api/v2/webhooks'));
    expectContract(one, 'GET', await call('GET', `/api/v2/webhooks/${id}`));
    expectContract(
      one,
      'PATCH',
      await call('PATCH', `/api/v2/webhooks/${id}`, [{ op: 'replace', path: '/on', value: false }]),
    );
    expectContract(one, 'DELETE', await call('DELETE', `/api/v2/webhooks/${id}`));
  });

  it('answers errors with the documented error representations', async () => {
    expectContract(
      '/api/v2/webhooks',
      'POST',
      await call('POST', '/api/v2/webhooks', { url: 'x' }),
    );
    expectContract(
      '/api/v2/webhooks',
      'GET',
      await call('GET', '/api/v2/webhooks', undefined, 'bad-token'),
    );
    expectContract(
      '/api/v2/webhooks/{id}',
      'GET',
      await call('GET', '/api/v2/webhooks/aaaaaaaaaaaaaaaaaaaaaaaa'),
    );
    expectContract(
      '/api/v2/webhooks/{id}',
      'DELETE',
      await call('DELETE', '/api/v2/webhooks/aaaaaaaaaaaaaaaaaaaaaaaa'),
    );
    expectContract(
      '/api/v2/webhooks/{id}',
      'PATCH',
      await call('PATCH', '/api/v2/webhooks/aaaaaaaaaaaaaaaaaaaaaaaa', [
        { op: 'replace', path: '/on', value: true },
      ]),
    );
  });

  it('answers 429 with the documented representation', async () => {
    // On a clock that stands still, the second request is in the first one's window however
    // long the machine takes between them.
    const limited = await startEmulator({ rateLimit: 1, clock: fakeClock() });
    try {
      const call2 = () =>
        fetch(`${limited.url}/api/v2/webhooks`, { headers: { Authorization: limited.token } });
      expect((await call2()).status).toBe(200);
      const res = await call2();
      expect(res.status).toBe(429);
      expectContract('/api/v2/webhooks', 'GET', { status: res.status, body: await res.json() });
    } finally {
      await limited.close();
    }
  });
});

describe('the client against the official OpenAPI document', () => {
  it('sends bodies that validate against webhookPost and JSONPatch', async () => {
    emulator.resetLog();
    const client = new LaunchDarklyClient({ baseUri: emulator.url, token: emulator.token });
    const hook = await client.create(
      {
        name: 'from-client',
        url: 'https://hooks.example.com/z',
        sign: true,
        secret: 's3cret',
        on: true,
        tags: ['managed-by-ldhooks'],
        statements: [{ effect: 'deny', notResources: ['member/*'], notActions: ['*'] }],
      },
      'managed-by-ldhooks',
    );
    await client.update(hook.id, [
      { op: 'replace', path: '/url', value: 'https://hooks.example.com/y' },
      { op: 'remove', path: '/secret' },
    ]);
    const post = emulator.requests.find((r) => r.method === 'POST');
    const patch = emulator.requests.find((r) => r.method === 'PATCH');
    expect(check('webhookPost', post?.body)).toEqual([]);
    expect(check('JSONPatch', patch?.body)).toEqual([]);
    expect(check('webhookPost', { url: 'x', on: true })).toEqual([
      " must have required property 'sign'",
    ]);
  });
});
