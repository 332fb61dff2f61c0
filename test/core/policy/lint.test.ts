import { describe, expect, it } from 'vitest';
import { parseYamlSource } from '../../../src/adapters/fs/yaml-source.js';
import { validateConfig } from '../../../src/core/config/validate.js';

function lint(statements: string, defaults = '') {
  const yaml = `version: 1\n${defaults}webhooks:\n  - name: a\n    url: https://a.example.com\n${statements ? `    statements:\n${statements}` : ''}`;
  return validateConfig(parseYamlSource('p.yaml', yaml, {}).documents).problems.map(
    (p) => `${p.line}:${p.col} ${p.path} ${p.severity} ${p.code}: ${p.message}`,
  );
}

describe('policy lint', () => {
  it('accepts a sound policy without a word', () => {
    expect(
      lint(`      - { effect: allow, resources: ["proj/*:env/production:flag/*"], actions: [updateOn, createFlag] }
      - { effect: deny, resources: ["proj/*:env/production:flag/*;noisy"], actions: ["*"] }
`),
    ).toEqual([]);
  });

  it('flags a misspelled kind at its column, with a suggestion', () => {
    expect(
      lint(
        '      - { effect: allow, resources: ["proj/*:env/production:flg/*"], actions: ["*"] }\n',
      ),
    ).toEqual([
      '6:61 webhooks[0].statements[0].resources[0] warning policy.unknown-kind: unknown resource kind "flg" at column 23, did you mean "flag"?',
    ]);
  });

  it('flags a misspelled action with a suggestion', () => {
    expect(
      lint('      - { effect: allow, resources: ["proj/*:env/*:flag/*"], actions: [updaetOn] }\n'),
    ).toEqual([
      '6:72 webhooks[0].statements[0].actions[0] warning policy.unknown-action: unknown action "updaetOn", did you mean "updateOn"?',
    ]);
  });

  it('makes a broken specifier an error, at its column', () => {
    expect(
      lint('      - { effect: allow, resources: ["proj/*::flag/*"], actions: ["*"] }\n'),
    ).toContain(
      '6:46 webhooks[0].statements[0].resources[0] error policy.specifier: empty segment at column 8',
    );
  });

  it('flags an action that does not apply to the resource kind', () => {
    expect(lint('      - { effect: allow, resources: ["proj/*"], actions: [updateOn] }\n')).toEqual(
      [
        '6:59 webhooks[0].statements[0].actions[0] warning policy.action-kind: action "updateOn" does not apply to proj resources, so it never matches here',
      ],
    );
  });

  it('flags a statement that can never match, and the webhook that receives nothing', () => {
    expect(lint('      - { effect: allow, notResources: ["*"], actions: ["*"] }\n')).toEqual([
      '6:7 webhooks[0].statements warning policy.receives-nothing: this webhook receives no events: no allow statement can match',
      '6:40 webhooks[0].statements[0].notResources warning policy.never-matches: this statement can never match: notResources: ["*"] excludes every resource',
    ]);
  });

  it('flags an allow fully shadowed by a deny', () => {
    expect(
      lint(`      - { effect: allow, resources: ["proj/*:env/production:flag/*"], actions: [updateOn] }
      - { effect: deny, resources: ["proj/*:env/*:flag/*"], actions: ["*"] }
`),
    ).toEqual([
      '6:7 webhooks[0].statements warning policy.receives-nothing: this webhook receives no events: no allow statement can match',
      '6:9 webhooks[0].statements[0] warning policy.shadowed: this allow is fully shadowed by the deny at webhooks[0].statements[1]: it lets nothing through',
    ]);
  });

  it('does not call an allow shadowed when the deny is narrower', () => {
    expect(
      lint(`      - { effect: allow, resources: ["proj/*:env/*:flag/*"], actions: ["*"] }
      - { effect: deny, resources: ["proj/*:env/production:flag/*"], actions: ["*"] }
`),
    ).toEqual([]);
  });

  it('flags a webhook with only deny statements', () => {
    expect(lint('      - { effect: deny, resources: ["member/*"], actions: ["*"] }\n')).toEqual([
      '6:7 webhooks[0].statements warning policy.receives-nothing: this webhook receives no events: no allow statement can match',
    ]);
  });

  it('flags duplicate statements, whatever their list order', () => {
    expect(
      lint(`      - { effect: allow, resources: ["member/*", "webhook/*"], actions: ["*"] }
      - { effect: allow, resources: ["webhook/*", "member/*"], actions: ["*"] }
`),
    ).toEqual([
      '7:9 webhooks[0].statements[1] warning policy.duplicate: duplicate statement: the same as webhooks[0].statements[0]',
    ]);
  });

  it('lints the statements of defaults where they are written', () => {
    expect(
      lint(
        '',
        'defaults:\n  statements:\n    - { effect: allow, resources: ["proj/*:env/*:flg/*"], actions: ["*"] }\n',
      ),
    ).toEqual([
      '4:50 defaults.statements[0].resources[0] warning policy.unknown-kind: unknown resource kind "flg" at column 14, did you mean "flag"?',
    ]);
  });
});
