import { describe, expect, it } from 'vitest';
import { globMatch, parseSpecifier } from '../../../src/core/policy/specifier.js';

// [specifier, segments as kind/name;tags{sel}, issues as severity@column: message]
const CASES: [string, string[], string[]][] = [
  ['*', [], []],
  ['proj/*', ['proj/*'], []],
  ['proj/mobile', ['proj/mobile'], []],
  ['proj/*:env/production', ['proj/*', 'env/production'], []],
  ['proj/*:env/production:flag/*', ['proj/*', 'env/production', 'flag/*'], []],
  ['proj/mobile:env/*:flag/checkout-*', ['proj/mobile', 'env/*', 'flag/checkout-*'], []],
  [
    'proj/mobile;team-a:env/*;qa_*:flag/checkout-*',
    ['proj/mobile;team-a', 'env/*;qa_*', 'flag/checkout-*'],
    [],
  ],
  ['proj/*:env/*:flag/*;testing-tag', ['proj/*', 'env/*', 'flag/*;testing-tag'], []],
  ['proj/*:env/*:flag/*;a,b,c', ['proj/*', 'env/*', 'flag/*;a,b,c'], []],
  ['proj/*:env/*:segment/beta-users', ['proj/*', 'env/*', 'segment/beta-users'], []],
  ['member/*', ['member/*'], []],
  ['member/alice.smith', ['member/alice.smith'], []],
  ['webhook/*', ['webhook/*'], []],
  ['role/*', ['role/*'], []],
  ['team/platform', ['team/platform'], []],
  ['proj/*:metric/*', ['proj/*', 'metric/*'], []],
  [
    'proj/*:env/production:flag/*{critical:true}',
    ['proj/*', 'env/production', 'flag/*{critical:true}'],
    [],
  ],
  ['proj/*:env/*;prod*,eu*:flag/*', ['proj/*', 'env/*;prod*,eu*', 'flag/*'], []],
  ['proj/a.b_c-d', ['proj/a.b_c-d'], []],
  ['relay-proxy-config/*', ['relay-proxy-config/*'], []],
  ['code-reference-repository/*', ['code-reference-repository/*'], []],
  ['acct', [], ['error@1: segment "acct" at column 1 has no "/"']],
  [
    'proj/*:flg/*',
    ['proj/*', 'flg/*'],
    ['warning@8: unknown resource kind "flg" at column 8, did you mean "flag"?'],
  ],
  [
    'proj/*:env/production:flg/*',
    ['proj/*', 'env/production', 'flg/*'],
    ['warning@23: unknown resource kind "flg" at column 23, did you mean "flag"?'],
  ],
  [
    'projj/*',
    ['projj/*'],
    ['warning@1: unknown resource kind "projj" at column 1, did you mean "proj"?'],
  ],
  ['widget/*', ['widget/*'], ['warning@1: unknown resource kind "widget" at column 1']],
  [
    'proj/*:segmnet/*',
    ['proj/*', 'segmnet/*'],
    ['warning@8: unknown resource kind "segmnet" at column 8, did you mean "segment"?'],
  ],
  ['', [], ['error@1: empty resource specifier']],
  ['proj/', [], ['error@6: missing name after "proj/" at column 6']],
  ['proj/*:', ['proj/*'], ['error@7: the specifier ends with ":" at column 7']],
  ['proj/*::env/*', ['proj/*'], ['error@8: empty segment at column 8']],
  [':proj/*', [], ['error@1: empty segment at column 1']],
  ['proj/*:env', ['proj/*'], ['error@8: segment "env" at column 8 has no "/"']],
  ['Proj/*', [], ['error@1: resource kind "Proj" at column 1 is not a word']],
  ['proj/my project', ['proj/my'], ['error@8: unexpected " " at column 8']],
  ['proj/*;', [], ['error@8: empty tag at column 8']],
  ['proj/*;a,', [], ['error@10: empty tag at column 10']],
  [
    'proj/*:env/*:flag/*{critical}',
    ['proj/*', 'env/*'],
    ['error@20: malformed selector at column 20'],
  ],
  [
    'proj/*:env/*:flag/*{critical:true',
    ['proj/*', 'env/*'],
    ['error@20: malformed selector at column 20'],
  ],
  ['proj/*/env/*', ['proj/*'], ['error@7: unexpected "/" at column 7']],
  [
    'proj/*:env/*:flag/x?',
    ['proj/*', 'env/*', 'flag/x'],
    ['error@20: unexpected "?" at column 20'],
  ],
  ['proj/*:/flag/*', ['proj/*'], ['error@8: resource kind "" at column 8 is not a word']],
];

const show = (s: ReturnType<typeof parseSpecifier>['segments'][number]) =>
  `${s.kind}/${s.name}${s.tags.length ? `;${s.tags.join(',')}` : ''}${s.selector ? `{${s.selector.property}:${s.selector.value}}` : ''}`;

describe('parseSpecifier', () => {
  it('has at least 40 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(40));

  it.each(CASES)('%j', (text, segments, issues) => {
    const parsed = parseSpecifier(text);
    expect(parsed.segments.map(show)).toEqual(segments);
    expect(parsed.issues.map((i) => `${i.severity}@${i.column}: ${i.message}`)).toEqual(issues);
    expect(parsed.any).toBe(text === '*');
  });
});

describe('globMatch', () => {
  it.each([
    ['*', 'anything', true],
    ['checkout-*', 'checkout-v2', true],
    ['checkout-*', 'checkout', false],
    ['*-prod', 'eu-prod', true],
    ['a*b*c', 'axxbyyc', true],
    ['a.b', 'axb', false],
    ['exact', 'exact', true],
    ['exact', 'Exact', false],
  ])('%s ~ %s = %s', (pattern, value, expected) => {
    expect(globMatch(pattern, value)).toBe(expected);
  });
});
