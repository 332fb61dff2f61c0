import { describe, expect, it } from 'vitest';
import type { Statement } from '../../../src/core/model.js';
import { decide, parseResource, specifierMatches } from '../../../src/core/policy/evaluate.js';

const res = (text: string) => {
  const r = parseResource(text);
  if (!r.resource) throw new Error(r.error);
  return r.resource;
};

const FLAG = 'proj/mobile:env/production:flag/checkout';
const allow = (resources: string[], actions: string[] = ['*']): Statement => ({
  effect: 'allow',
  resources,
  actions,
});
const deny = (resources: string[], actions: string[] = ['*']): Statement => ({
  effect: 'deny',
  resources,
  actions,
});

describe('specifierMatches', () => {
  it.each([
    ['*', FLAG, true],
    ['proj/*:env/production:flag/*', FLAG, true],
    ['proj/*:env/*:flag/check*', FLAG, true],
    ['proj/*:env/staging:flag/*', FLAG, false],
    ['proj/*', FLAG, false],
    ['proj/*:env/production', FLAG, false],
    ['proj/*:env/production:segment/*', 'proj/mobile:env/production:segment/beta', true],
    [
      'proj/*:env/production:flag/*;payments',
      'proj/mobile:env/production:flag/checkout;payments,critical',
      true,
    ],
    [
      'proj/*:env/production:flag/*;payments,critical',
      'proj/mobile:env/production:flag/checkout;payments',
      false,
    ],
    [
      'proj/*:env/production:flag/*;pay*',
      'proj/mobile:env/production:flag/checkout;payments',
      true,
    ],
    ['proj/*;team-a:env/*:flag/*', 'proj/mobile;team-a:env/production:flag/checkout', true],
    ['proj/*;team-a:env/*:flag/*', FLAG, false],
    ['member/*', 'member/alice', true],
    ['proj/*:env/production:flg/*', FLAG, false],
  ])('%s matches %s: %s', (pattern, resource, expected) => {
    expect(specifierMatches(pattern, res(resource))).toBe(expected);
  });
});

describe('decide', () => {
  it.each<[string, Statement[], string, string, boolean, number | undefined]>([
    ['an allow that matches', [allow(['proj/*:env/production:flag/*'])], FLAG, 'updateOn', true, 0],
    [
      'nothing that allows',
      [allow(['proj/*:env/staging:flag/*'])],
      FLAG,
      'updateOn',
      false,
      undefined,
    ],
    [
      'a deny beats an allow, whatever the order',
      [allow(['*']), deny(['proj/*:env/*:flag/checkout'])],
      FLAG,
      'updateOn',
      false,
      1,
    ],
    ['a deny that does not match', [allow(['*']), deny(['member/*'])], FLAG, 'updateOn', true, 0],
    [
      'actions filter',
      [allow(['*'], ['createFlag', 'deleteFlag'])],
      FLAG,
      'updateOn',
      false,
      undefined,
    ],
    ['action globs', [allow(['*'], ['update*'])], FLAG, 'updateOn', true, 0],
    [
      'notResources inverts',
      [{ effect: 'allow', notResources: ['member/*'], actions: ['*'] }],
      FLAG,
      'updateOn',
      true,
      0,
    ],
    [
      'notResources excludes',
      [{ effect: 'allow', notResources: ['member/*'], actions: ['*'] }],
      'member/alice',
      'updateRole',
      false,
      undefined,
    ],
    [
      'notActions inverts',
      [{ effect: 'allow', resources: ['*'], notActions: ['deleteFlag'] }],
      FLAG,
      'updateOn',
      true,
      0,
    ],
    [
      'notActions excludes',
      [{ effect: 'allow', resources: ['*'], notActions: ['deleteFlag'] }],
      FLAG,
      'deleteFlag',
      false,
      undefined,
    ],
    [
      'a deny with notActions',
      [allow(['*']), { effect: 'deny', resources: ['*'], notActions: ['updateOn'] }],
      FLAG,
      'deleteFlag',
      false,
      1,
    ],
    [
      'tags must all match (AND)',
      [allow(['proj/*:env/*:flag/*;a,b'])],
      'proj/x:env/y:flag/z;a',
      'updateOn',
      false,
      undefined,
    ],
  ])('%s', (_, statements, resource, action, received, statement) => {
    const d = decide(statements, res(resource), action);
    expect([d.received, d.statement, d.byDefault]).toEqual([received, statement, false]);
  });

  it("uses LaunchDarkly's default without statements: flag changes in production only", () => {
    expect(decide([], res(FLAG), 'updateOn')).toMatchObject({ received: true, byDefault: true });
    expect(decide([], res('proj/mobile:env/staging:flag/checkout'), 'updateOn')).toMatchObject({
      received: false,
      byDefault: true,
    });
    expect(
      decide([], res('proj/mobile:env/production:segment/beta'), 'updateIncluded').received,
    ).toBe(false);
  });
});

describe('decide, where a {property:value} selector decides', () => {
  const SELECTED = 'proj/*:env/production:flag/*{kind:boolean}';
  it.each<[string, Statement[], boolean, boolean, string[], number | undefined]>([
    [
      'an allow that depends on a selector',
      [allow([SELECTED])],
      false,
      true,
      ['{kind:boolean}'],
      0,
    ],
    [
      'an allow beside a deny that depends on a selector',
      [allow(['*']), deny(['proj/*:env/*:flag/*{team:a}'])],
      false,
      true,
      ['{team:a}'],
      0,
    ],
    [
      'notResources that depend on a selector',
      [{ effect: 'allow', notResources: [SELECTED], actions: ['*'] }],
      false,
      true,
      ['{kind:boolean}'],
      0,
    ],
    [
      'a certain deny beside an allow that depends on one',
      [allow([SELECTED]), deny(['*'])],
      false,
      false,
      [],
      1,
    ],
    [
      'a selector on a segment that does not match',
      [allow(['proj/*:env/staging:flag/*{kind:boolean}'])],
      false,
      false,
      [],
      undefined,
    ],
    ['an allow that does not depend on one', [allow(['*']), allow([SELECTED])], true, false, [], 0],
  ])('%s', (_, statements, received, mayReceive, dependsOn, statement) => {
    const d = decide(statements, res(FLAG), 'updateOn');
    expect([d.received, d.mayReceive, d.dependsOn, d.statement]).toEqual([
      received,
      mayReceive,
      dependsOn,
      statement,
    ]);
    if (mayReceive) expect(d.reason).toMatch(/^may receive, depending on \{/);
    else expect(d.reason).not.toContain('may receive');
  });
});

describe('parseResource', () => {
  it('takes tags inline and refuses globs', () => {
    expect(res('proj/m:env/p:flag/f;a,b').segments.at(-1)).toEqual({
      kind: 'flag',
      name: 'f',
      tags: ['a', 'b'],
    });
    expect(parseResource('proj/*:env/p:flag/f').error).toContain('the resource must be concrete');
    expect(parseResource('proj/x:').error).toContain('ends with ":"');
  });
});
