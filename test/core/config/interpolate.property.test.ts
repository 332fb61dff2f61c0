import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { interpolate } from '../../../src/core/config/interpolate.js';
import { escapeTemplate } from '../../../src/core/mask.js';

/** Characters that exercise every branch of the scanner, and a few that exercise none. */
const nearSyntax = fc.string({
  unit: fc.constantFrom('$', '{', '}', 'A', 'B', '_', '1', '-', ' ', '\n', 'é'),
  maxLength: 40,
});
const anyText = fc.oneof(nearSyntax, fc.string({ unit: 'grapheme', maxLength: 40 }));
const env = fc.dictionary(
  fc.constantFrom('A', 'B', '_', 'A1', 'AB'),
  fc.oneof(anyText, fc.constant('')),
  { maxKeys: 5 },
);

describe('interpolate (properties)', () => {
  it('gives back any text whose ${ are all escaped as $${ (as the masking module writes literals), and never marks it sensitive', () => {
    fc.assert(
      fc.property(anyText, env, (text, vars) => {
        expect(interpolate(escapeTemplate(text), vars)).toEqual({
          value: text,
          fromEnv: false,
          variables: [],
          issues: [],
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws, and locates every issue inside the text', () => {
    fc.assert(
      fc.property(anyText, env, (text, vars) => {
        const result = interpolate(text, vars);
        for (const issue of result.issues) {
          expect(text.startsWith('${', issue.offset)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
