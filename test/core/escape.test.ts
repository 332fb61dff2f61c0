import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeControl } from '../../src/core/escape.js';
import { check } from '../support/property.js';

const RAW =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: each invisible character on its own is the point
  // biome-ignore lint/suspicious/noControlCharactersInRegex: what must never be left
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\u00ad\u034f\u180e\u200b-\u200d\u2060-\u2064\u3164\ufeff\uffa0]|\udb40[\udc00-\udc7f\udd00-\uddef]/;

describe('escapeControl', () => {
  it.each([
    ['a\nb', 'a\\nb'],
    ['a\r\nb', 'a\\r\\nb'],
    ['tab\there', 'tab\\there'],
    ['\u001b[31mred\u001b[0m', '\\u001b[31mred\\u001b[0m'],
    ['nul\u0000', 'nul\\u0000'],
    ['del\u007f', 'del\\u007f'],
    ['csi\u009b2J', 'csi\\u009b2J'],
    ['line\u2028sep', 'line\\u2028sep'],
    ['bidi\u202eevil', 'bidi\\u202eevil'],
    ['isolate\u2066x\u2069', 'isolate\\u2066x\\u2069'],
    ['\ufeffversion', '\\ufeffversion'],
    ['zero\u200bwidth', 'zero\\u200bwidth'],
    ['word\u2060joiner', 'word\\u2060joiner'],
    ['a\u00ad', 'a\\u00ad'],
    ['url\u200c', 'url\\u200c'],
    ['tag\u{e0041}', 'tag\\u{e0041}'],
    ['filler\u3164', 'filler\\u3164'],
  ])('escapes %j visibly', (input, shown) => {
    expect(escapeControl(input)).toBe(shown);
  });

  it('leaves ordinary text alone, Unicode and backslashes included', () => {
    for (const s of ['slack-prod', 'café ☕ 🚀', 'C:\\path\\n', '| [x](y) `z`', ''])
      expect(escapeControl(s)).toBe(s);
  });

  it('never leaves a control character, and changes only them', () => {
    check(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        const out = escapeControl(s);
        expect(RAW.test(out)).toBe(false);
        expect(out.split('\\').join('')).not.toMatch(RAW);
        if (!RAW.test(s)) expect(out).toBe(s);
      }),
    );
  });
});
