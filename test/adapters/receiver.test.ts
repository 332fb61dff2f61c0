import { afterEach, describe, expect, it } from 'vitest';
import { type Delivery, MAX_BODY_BYTES, startReceiver } from '../../src/adapters/receiver/index.js';
import { SAMPLE_CHANGE, samplePayload, summarizeDelivery } from '../../src/core/sample-payload.js';
import { signBody } from '../../src/core/signature.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('summarizeDelivery', () => {
  it('names the kind, name and title of a change-history entry', () => {
    expect(summarizeDelivery(samplePayload())).toBe(
      `flag "Checkout redesign": ${SAMPLE_CHANGE.title}`.slice(0, 159).concat('…'),
    );
    expect(summarizeDelivery('{"kind":"flag","name":"x"}')).toBe('flag "x"');
    expect(summarizeDelivery('{"title":"a\\u001b[31mb\\r\\nc"}')).toBe('a [31mb  c');
  });
  it('says what a body is when it is not one', () => {
    expect(summarizeDelivery('')).toBe('(empty body)');
    expect(summarizeDelivery('nope')).toBe('(not JSON, 4 bytes)');
    expect(summarizeDelivery('[1]')).toBe('(JSON, not a change-history entry)');
    expect(summarizeDelivery('{"a":1}')).toBe('(JSON, not a change-history entry)');
  });
  it('the sample is a change-history entry as LaunchDarkly sends it', () => {
    const entry = JSON.parse(samplePayload(1_800_000_000_000));
    expect(entry.date).toBe(1_800_000_000_000);
    for (const key of [
      '_links',
      '_id',
      'kind',
      'name',
      'description',
      'title',
      'titleVerb',
      'member',
      'target',
    ])
      expect(entry).toHaveProperty(key);
  });
});

describe('startReceiver', () => {
  async function start(secrets?: string[]) {
    const deliveries: Delivery[] = [];
    const receiver = await startReceiver({
      port: 0,
      ...(secrets ? { secrets } : {}),
      onDelivery: (d) => deliveries.push(d),
    });
    closers.push(() => receiver.close());
    return { receiver, deliveries };
  }

  it('answers 200 verified, 401 otherwise, 413 for a body too large, 405 for another method', async () => {
    const { receiver, deliveries } = await start(['a', 'b']);
    const body = samplePayload();
    const post = (b: string, sig?: string) =>
      fetch(receiver.url, {
        method: 'POST',
        body: b,
        headers: sig ? { 'x-ld-signature': sig } : {},
      }).then((r) => r.status);
    expect(await post(body, signBody(body, 'b'))).toBe(200);
    expect(await post(body, signBody(body, 'c'))).toBe(401);
    expect(await post('x'.repeat(MAX_BODY_BYTES + 1), signBody('x', 'a'))).toBe(413);
    expect((await fetch(receiver.url, { method: 'PUT', body })).status).toBe(405);
    expect(deliveries.map((d) => [d.status, d.signature])).toEqual([
      [200, { ok: true, secretIndex: 1 }],
      [401, { ok: false, reason: 'mismatch' }],
      [413, { ok: false, reason: 'too-large' }],
      [405, { ok: false, reason: 'missing' }],
    ]);
  });

  it('without secrets, accepts every POST unchecked, and tells a signed one from an unsigned one', async () => {
    const { receiver, deliveries } = await start();
    const res = await fetch(receiver.url, { method: 'POST', body: '{}' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('received (unsigned, not checked)\n');
    const signed = await fetch(receiver.url, {
      method: 'POST',
      body: '{}',
      headers: { 'x-ld-signature': signBody('{}', 'a') },
    });
    expect(signed.status).toBe(200);
    expect(await signed.text()).toBe('received (signed, but not checked: no secret configured)\n');
    expect(deliveries.map((d) => d.signature)).toEqual([
      { ok: true, unchecked: true, signed: false },
      { ok: true, unchecked: true, signed: true },
    ]);
  });

  it('refuses an empty secret: it would verify nothing', async () => {
    await expect(startReceiver({ port: 0, secrets: ['a', ' '] })).rejects.toThrow(
      'an empty secret verifies nothing',
    );
  });
});
