import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { importWebhooks, literal, secretVariable } from '../../../src/core/import/convert.js';
import type { LiveWebhook } from '../../../src/core/model.js';

const OWNER = 'managed-by-ldhooks';
const live = (fields: Partial<LiveWebhook> & { id: string }): LiveWebhook => ({
  url: 'https://hooks.example.com/in',
  on: true,
  tags: [],
  statements: [],
  ...fields,
});
const id = (c: string) => c.repeat(24);

/** The declared webhooks of the text, parsed back. */
const declared = (text: string) =>
  (parse(text) as { webhooks: Record<string, unknown>[] }).webhooks;

describe('importWebhooks: one webhook of each shape', () => {
  const cases: {
    shape: string;
    hook: LiveWebhook;
    options?: Parameters<typeof importWebhooks>[1];
    expected: Record<string, unknown> | undefined;
  }[] = [
    {
      shape: 'managed, unsigned, enabled, no statements',
      hook: live({ id: id('a'), name: 'plain', tags: [OWNER] }),
      expected: { name: 'plain', url: 'https://hooks.example.com/in' },
    },
    {
      shape: 'disabled',
      hook: live({ id: id('a'), name: 'off', tags: [OWNER], on: false }),
      expected: { name: 'off', url: 'https://hooks.example.com/in', on: false },
    },
    {
      shape: 'signed (hand-set or generated: the API cannot tell)',
      hook: live({ id: id('a'), name: 'my hook.2', tags: [OWNER], secret: 'hand-set' }),
      expected: {
        name: 'my hook.2',
        url: 'https://hooks.example.com/in',
        secret: '${LDHOOKS_SECRET_MY_HOOK_2}',
      },
    },
    {
      shape: 'signed, --keep-live-secrets',
      hook: live({ id: id('a'), name: 's', tags: [OWNER], secret: 'generated-by-ld' }),
      options: { keepLiveSecrets: true },
      expected: { name: 's', url: 'https://hooks.example.com/in', sign: true },
    },
    {
      shape: 'empty secret: unsigned',
      hook: live({ id: id('a'), name: 's', tags: [OWNER], secret: '' }),
      expected: { name: 's', url: 'https://hooks.example.com/in' },
    },
    {
      shape: 'many tags, sorted, repeats and the owner tag removed',
      hook: live({ id: id('a'), name: 't', tags: ['z', OWNER, 'a', 'm', 'a', 'b', 'c', 'd'] }),
      expected: {
        name: 't',
        url: 'https://hooks.example.com/in',
        tags: ['a', 'b', 'c', 'd', 'm', 'z'],
      },
    },
    {
      shape: 'notResources / notActions, deny, empty lists dropped, canonical order',
      hook: live({
        id: id('a'),
        name: 'st',
        tags: [OWNER],
        statements: [
          { effect: 'deny', notResources: ['proj/b', 'proj/a'], notActions: ['x'], resources: [] },
          { effect: 'allow', resources: ['*'], actions: ['*'] },
        ],
      }),
      expected: {
        name: 'st',
        url: 'https://hooks.example.com/in',
        statements: [
          { effect: 'allow', resources: ['*'], actions: ['*'] },
          { effect: 'deny', notResources: ['proj/a', 'proj/b'], notActions: ['x'] },
        ],
      },
    },
    {
      shape: 'unmanaged with --all: adopt',
      hook: live({ id: id('a'), name: 'u', tags: ['x'] }),
      options: { all: true },
      expected: { name: 'u', url: 'https://hooks.example.com/in', tags: ['x'], adopt: true },
    },
    {
      shape: 'unmanaged without --all: not imported',
      hook: live({ id: id('a'), name: 'u' }),
      expected: undefined,
    },
    {
      shape: 'owned by another config: skipped even with --all',
      hook: live({ id: id('a'), name: 'u', tags: ['managed-by-team'] }),
      options: { all: true },
      expected: undefined,
    },
    {
      shape: 'no name: not declared',
      hook: live({ id: id('a'), tags: [OWNER] }),
      expected: undefined,
    },
    {
      shape: '${ in values written as $${',
      hook: live({ id: id('a'), name: 'a${B}', url: 'https://x.example.com/$${c}', tags: [OWNER] }),
      expected: { name: 'a$${B}', url: 'https://x.example.com/$$${c}' },
    },
  ];
  it.each(cases)('$shape', ({ hook, options, expected }) => {
    const result = importWebhooks([hook], options);
    expect(declared(result.text)).toEqual(expected ? [expected] : []);
    expect(result.imported).toBe(expected ? 1 : 0);
    if (hook.secret) expect(result.text).not.toContain(hook.secret);
    // Declared and commented-out webhooks carry their id; skipped ones are only reported.
    const shown = expected !== undefined || result.skipped.some((x) => x.suggestedName);
    expect(result.text.includes(`# id: ${hook.id}`)).toBe(shown);
  });
});

describe('importWebhooks: the report and the document', () => {
  it('leaves out duplicate names and unnamed webhooks, shown commented out with a unique name', () => {
    const r = importWebhooks(
      [
        live({ id: id('1'), name: 'twin', tags: [OWNER] }),
        live({ id: id('2'), name: 'twin' }),
        live({ id: id('3') }),
        live({ id: id('4'), name: 'webhook-33333333' }),
        live({ id: id('5'), name: 'pair', tags: [OWNER] }),
        live({ id: id('6'), name: 'pair', tags: [OWNER] }),
      ],
      { all: true },
    );
    // The managed twin is unambiguous to the planner, which matches managed webhooks first.
    expect(declared(r.text).map((w) => w.name)).toEqual(['twin', 'webhook-33333333']);
    expect(r.skipped.map((s) => [s.reason, s.suggestedName, s.managed])).toEqual([
      ['duplicate-name', 'pair-55555555', true],
      ['duplicate-name', 'pair-66666666', true],
      ['duplicate-name', 'twin-22222222', false],
      ['unnamed', 'webhook-33333333-2', false],
    ]);
    expect(r.text).toContain('# - name: webhook-33333333-2');
    expect(r.notes.join('\n')).toMatch(/warning: .*the next plan would delete it/);
    expect(r.notes.join('\n')).toMatch(/stays unmanaged/);
  });

  it('never makes a managed webhook ambiguous through an unrelated one of the same name', () => {
    const r = importWebhooks([
      live({ id: id('1'), name: 'alerts', tags: [OWNER] }),
      live({ id: id('2'), name: 'alerts' }),
      live({ id: id('3'), name: 'pager', tags: [OWNER] }),
      live({ id: id('4'), name: 'pager', tags: ['managed-by-team-b'] }),
    ]);
    expect(declared(r.text).map((w) => w.name)).toEqual(['alerts', 'pager']);
  });

  it('gives no secret a variable an existing config already reads', () => {
    const r = importWebhooks([live({ id: id('1'), name: 'a_b', tags: [OWNER], secret: 's' })], {
      reservedVariables: new Set(['LDHOOKS_SECRET_A_B']),
    });
    expect(r.secretVariables.map((v) => v.variable)).toEqual(['LDHOOKS_SECRET_A_B_2']);
  });

  it('leaves out a webhook that also carries another owner tag', () => {
    const r = importWebhooks([
      live({ id: id('1'), name: 'shared', tags: [OWNER, 'managed-by-team-b'] }),
    ]);
    expect(declared(r.text)).toEqual([]);
    expect(r.skipped.map((s) => [s.reason, s.ownerTags])).toEqual([
      ['owned-elsewhere', ['managed-by-team-b']],
    ]);
  });

  it('sorts by name and lists one secret variable per signed webhook, unique', () => {
    const r = importWebhooks([
      live({ id: id('1'), name: 'b-x', tags: [OWNER], secret: 's1' }),
      live({ id: id('2'), name: 'b_x', tags: [OWNER], secret: 's2' }),
      live({ id: id('3'), name: 'a', tags: [OWNER] }),
    ]);
    expect(declared(r.text).map((w) => w.name)).toEqual(['a', 'b-x', 'b_x']);
    expect(r.secretVariables.map((v) => v.variable)).toEqual([
      'LDHOOKS_SECRET_B_X',
      'LDHOOKS_SECRET_B_X_2',
    ]);
  });

  it('starts with the schema comment, writes ownerTag only when not the default', () => {
    const r = importWebhooks([live({ id: id('1'), name: 'a', tags: ['managed-by-team'] })], {
      ownerTag: 'managed-by-team',
      schema: 'schemas/ldhooks.schema.json',
    });
    expect(r.text.split('\n')[0]).toBe(
      '# yaml-language-server: $schema=schemas/ldhooks.schema.json',
    );
    expect(parse(r.text)).toMatchObject({ version: 1, ownerTag: 'managed-by-team' });
    expect(parse(importWebhooks([]).text)).toEqual({ version: 1, webhooks: [] });
  });

  it('reports what it leaves out', () => {
    const r = importWebhooks([
      live({ id: id('1'), name: 'u' }),
      live({ id: id('2'), name: 'theirs', tags: ['managed-by-x'] }),
    ]);
    expect(r.notes).toEqual([
      `skipped "theirs" (${id('2')}): owned by managed-by-x`,
      '1 webhook without managed-by-ldhooks not imported (--all imports them as adopt: true)',
    ]);
  });

  it('derives variable names and literals', () => {
    expect(secretVariable('slack.prod-1 x')).toBe('LDHOOKS_SECRET_SLACK_PROD_1_X');
    expect(literal('a${b}$${c}')).toBe('a$${b}$$${c}');
  });
});
