import { describe, expect, it } from 'vitest';
import { FRAGMENT, Masker, SENSITIVE } from '../../src/core/mask.js';

// Values (names, URLs, tags, resources, actions) and free text are masked by different rules
// (README, "What is never printed"): a value shows an environment value as its template where it
// is the whole value, and inside a longer value only when it has FRAGMENT characters or more;
// free text is masked for every value, whatever its length.

const five = 'abcde';
const six = 'abcdef';
const masker = new Masker([
  { value: 'web', shown: '${PROJ}' },
  { value: five, shown: '${FIVE}' },
  { value: six, shown: '${SIX}' },
  { value: 'k3y-s3cr3t', shown: SENSITIVE },
]);

describe('Masker.string: one value', () => {
  it('shows a value from the environment as its template where it is the whole value, whatever its length', () => {
    expect(masker.string('web')).toEqual(['${PROJ}', true]);
    expect(masker.string(five)).toEqual(['${FIVE}', true]);
    expect(masker.string('k3y-s3cr3t')).toEqual([SENSITIVE, true]);
  });

  it(`leaves a value of fewer than ${FRAGMENT} characters inside a longer value as written`, () => {
    expect(masker.string('web-alerts')).toEqual(['web-alerts', false]);
    expect(masker.string('https://example.com/webhooks/in')).toEqual([
      'https://example.com/webhooks/in',
      false,
    ]);
    expect(masker.string(`x-${five}-x`)).toEqual([`x-${five}-x`, false]);
  });

  it(`masks a value of ${FRAGMENT} characters or more inside a longer value, and a secret`, () => {
    expect(masker.string(`x-${six}-x`)).toEqual(['x-${SIX}-x', true]);
    expect(masker.string('https://example.com/k3y-s3cr3t/web')).toEqual([
      `https://example.com/${SENSITIVE}/web`,
      true,
    ]);
  });

  it('marks nothing masked in a structure that only holds short values inside longer ones', () => {
    const value = { name: 'web-alerts', actions: ['updateOn'], tags: ['web', 'prod'] };
    expect(masker.show(value)).toEqual({
      value: { name: 'web-alerts', actions: ['updateOn'], tags: ['${PROJ}', 'prod'] },
      mask: { tags: [true, false] },
    });
    expect(masker.show({ name: 'web-alerts' })).toEqual({
      value: { name: 'web-alerts' },
      mask: false,
    });
  });
});

describe('Masker.valueText: a value quoted in a sentence', () => {
  it('masks as Masker.string does, in plain text, and long values in their encoded forms too', () => {
    expect(masker.valueText('web')).toBe('${PROJ}');
    expect(masker.valueText('web-dashboard')).toBe('web-dashboard');
    expect(masker.valueText(`managed-by-${six}`)).toBe('managed-by-${SIX}');
    expect(masker.valueText('hook-k3y%2Ds3cr3t')).toBe(`hook-${SENSITIVE}`);
  });
});

describe('Masker.text: free text', () => {
  it('masks every value, whatever its length: a server may echo a short one anywhere', () => {
    expect(masker.text('project web not found')).toBe('project ${PROJ} not found');
    expect(masker.text(`saw ${five}`)).toBe('saw ${FIVE}');
  });
});

describe('values that overlap', () => {
  const secret = 'AAAAAABBBBBB';
  const url = 'BBBBBBCCCCCCC';
  const overlapping = new Masker([
    { value: secret, shown: SENSITIVE },
    { value: url, shown: '${U}' },
  ]);
  const tag = `t-${secret.slice(0, 6)}${url}`;

  it('hide the whole stretch they cover: no part of either prints', () => {
    for (const shown of [
      overlapping.string(tag)[0],
      overlapping.text(tag),
      overlapping.valueText(tag),
    ]) {
      expect(shown).toBe(`t-${SENSITIVE}`);
      expect(shown).not.toContain('AAAAAA');
      expect(shown).not.toContain('CCCCCC');
    }
  });

  it('a value that holds another shows as its own stand-in; values side by side as both', () => {
    const m = new Masker([
      { value: 'abcdefghij', shown: '${LONG}' },
      { value: 'cdefgh', shown: '${INNER}' },
      { value: 'zzzzzz', shown: '${Z}' },
    ]);
    expect(m.string('x-abcdefghij-y')[0]).toBe('x-${LONG}-y');
    expect(m.string('cdefghzzzzzz')[0]).toBe('${INNER}${Z}');
    expect(m.text('cdefgh and abcdefghij')).toBe('${INNER} and ${LONG}');
  });
});

describe("a statement's effect", () => {
  it('shows as written even when a variable holds allow or deny', () => {
    const m = new Masker([
      { value: 'allow', shown: '${F}' },
      { value: 'deny', shown: '${G}' },
    ]);
    const shown = m.show({
      statements: [
        { effect: 'allow', resources: ['proj/allow:env/x'], actions: ['*'] },
        { effect: 'deny', resources: ['deny'], actions: ['*'] },
      ],
    });
    expect(shown.value.statements.map((s) => s.effect)).toEqual(['allow', 'deny']);
    // The values beside it are still masked where they are whole.
    expect(shown.value.statements[1]?.resources).toEqual(['${G}']);
    expect(shown.mask).toEqual({ statements: [false, { resources: [true] }] });
  });
});
