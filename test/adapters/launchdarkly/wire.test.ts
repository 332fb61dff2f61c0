import { describe, expect, it } from 'vitest';
import { OddWebhookError, toLiveWebhook } from '../../../src/adapters/launchdarkly/wire.js';
import { WEBHOOK_ID, webhookRep } from '../../support/nock.js';

const ID = WEBHOOK_ID;
const rep = webhookRep;
const LIVE = {
  id: ID,
  name: 'slack',
  url: 'https://hooks.example.com/x',
  on: true,
  tags: ['managed-by-ldhooks'],
  statements: [],
};

describe('toLiveWebhook', () => {
  it.each([
    ['a null name as no name', { name: null }, { name: undefined }],
    ['a missing name as no name', { name: undefined }, { name: undefined }],
    ['a null secret as none', { secret: null }, {}],
    ['the empty secret as none (unsigned)', { secret: '' }, {}],
    ['null tags as none', { tags: null }, { tags: [] }],
    ['null statements as none', { statements: null }, { statements: [] }],
    [
      'empty and null statement lists as left out',
      {
        statements: [
          {
            effect: 'allow',
            resources: ['proj/*'],
            notResources: [],
            actions: ['*'],
            notActions: null,
          },
        ],
      },
      { statements: [{ effect: 'allow', resources: ['proj/*'], actions: ['*'] }] },
    ],
  ])('reads %s', (_, over, expected) => {
    const out = toLiveWebhook(rep(over));
    const want = { ...LIVE, ...expected } as Record<string, unknown>;
    for (const k of Object.keys(want)) if (want[k] === undefined) delete want[k];
    expect(out).toEqual(want);
    expect('name' in out).toBe(want.name !== undefined);
  });

  it.each([
    ['statements: [null]', { statements: [null] }, 'statements[0] is not an object'],
    [
      'a statement without an effect',
      { statements: [{ resources: ['x'] }] },
      'statements[0] has no effect',
    ],
    [
      'a list of numbers',
      { statements: [{ effect: 'allow', actions: [1] }] },
      'statements[0].actions is not a list of strings',
    ],
    ['statements that are an object', { statements: {} }, 'its statements are not a list'],
    ['a number as name', { name: 7 }, 'its name is not a string'],
    ['no url', { url: null }, 'its url is missing or not a string'],
    ['"on" as a string', { on: 'yes' }, '"on" is missing or not true or false'],
    ['a tag that is not a string', { tags: ['a', null] }, 'its tags are not a list of strings'],
    ['a secret that is an object', { secret: {} }, 'its secret is not a string'],
  ])('refuses %s, naming the webhook', (_, over, why) => {
    expect(() => toLiveWebhook(rep(over))).toThrow(OddWebhookError);
    expect(() => toLiveWebhook(rep(over))).toThrow(`webhook ${ID}: `);
    expect(() => toLiveWebhook(rep(over))).toThrow(why);
  });

  it('refuses what is no webhook at all, and shows a hostile id inert and short', () => {
    expect(() => toLiveWebhook(null)).toThrow('a webhook in the answer is not a JSON object');
    expect(() => toLiveWebhook(rep({ _id: 5 }))).toThrow('webhook (without an _id): it has no _id');
    const hostile = `\u001b[2J${'z'.repeat(100)}\nforged`;
    const e = (() => {
      try {
        toLiveWebhook(rep({ _id: hostile, on: null }));
      } catch (error) {
        return error as Error;
      }
    })();
    expect(e?.message).toMatch(/^webhook \\u001b\[2Jz{36}…: its "on"/);
  });
});
