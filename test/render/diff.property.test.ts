import { structuredPatch } from 'diff';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { blockList, yamlDiffLines, yamlOf } from '../../src/render/diff.js';
import { check } from '../support/property.js';

// Plans show tags and statements as YAML, written for the common lists without yaml's document
// model. yaml itself is the judge: for every list, the text is the one yaml's stringify writes.

// Characters that make yaml quote a string (indicators, spaces, a colon before a space, a
// leading dash or star), and words it reads as another type.
const tricky = fc.string({
  unit: fc.constantFrom(...'aZ_09./*-: #${}\'"!&|>%@`,[]?~\n\t'),
  maxLength: 10,
});
const plainish = fc.string({ unit: fc.constantFrom(...'aZn_09./*-:tuelrfsFNT'), maxLength: 70 });
const words = fc.constantFrom(
  'proj/p1:env/production:flag/*',
  'proj/${PROJ}:env/production',
  'updateOn',
  '*',
  'a:',
  'a:b',
  'null',
  'True',
  'false',
  '1',
  '1e3',
  '.inf',
  '0x1F',
  '-x',
  '_',
);
const text = fc.oneof(words, plainish, tricky);
const key = fc.oneof(
  fc.constantFrom('effect', 'resources', 'notResources', 'actions', 'notActions'),
  text,
);
const item = fc.oneof(
  text,
  fc.dictionary(
    key,
    fc.oneof(text, fc.array(text, { maxLength: 3 }), fc.constant(null), fc.integer()),
    {
      maxKeys: 4,
    },
  ),
  fc.array(text, { maxLength: 2 }),
);
const statement = fc.record(
  {
    effect: fc.constantFrom('allow', 'deny'),
    resources: fc.array(fc.oneof(words, plainish), { minLength: 1, maxLength: 3 }),
    notResources: fc.array(fc.oneof(words, plainish), { minLength: 1, maxLength: 3 }),
    actions: fc.array(fc.oneof(words, plainish), { minLength: 1, maxLength: 3 }),
    notActions: fc.array(fc.oneof(words, plainish), { minLength: 1, maxLength: 3 }),
  },
  { requiredKeys: ['effect'] },
);

describe('yamlOf', () => {
  it('writes any list as yaml does', () => {
    check(
      fc.property(fc.array(item, { maxLength: 4 }), (value) => {
        expect(yamlOf(value)).toBe(
          value.length === 0 ? '[]\n' : stringify(value, { lineWidth: 0 }),
        );
      }),
      2000,
    );
  });

  it('writes statements and tags of plain words itself, and as yaml does', () => {
    // Words YAML reads as themselves; "true" or "null" it would read as another type.
    const plainWord = fc
      .stringMatching(/^[a-z][a-z0-9/.*-]{0,20}(?::[a-z0-9/*]{1,8}){0,2}$/)
      .filter((w) => !/^(true|false|null)$/.test(w));
    check(
      fc.property(
        fc.oneof(
          fc.array(
            fc.record({
              effect: fc.constantFrom('allow', 'deny'),
              resources: fc.array(plainWord, { minLength: 1, maxLength: 3 }),
              actions: fc.array(plainWord, { minLength: 1, maxLength: 3 }),
            }),
            { minLength: 1, maxLength: 3 },
          ),
          fc.array(plainWord, { minLength: 1, maxLength: 4 }),
        ),
        (value) => {
          const own = blockList(value);
          // Not every word drawn is plain to YAML ("true", "null"): those go to yaml.
          if (value.flat().some((v) => typeof v === 'string' && /^(true|false|null)$/.test(v)))
            return;
          expect(own).toBeDefined();
          expect(own).toBe(stringify(value, { lineWidth: 0 }));
        },
      ),
      1000,
    );
  });

  it('writes generated statements as yaml does', () => {
    check(
      fc.property(fc.array(statement, { minLength: 1, maxLength: 3 }), (value) => {
        expect(yamlOf(value)).toBe(stringify(value, { lineWidth: 0 }));
      }),
      1000,
    );
  });
});

describe('yamlDiffLines', () => {
  // The diff library itself is the judge, hunk by hunk.
  const reference = (before: unknown, after: unknown) => {
    const patch = structuredPatch('before', 'after', yamlOf(before), yamlOf(after), '', '', {
      context: 3,
    });
    return patch.hunks.flatMap((h) => [
      `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`,
      ...h.lines.filter((l) => !l.startsWith('\\')),
    ]);
  };
  // Few words, so that the two sides often share lines and often share none.
  const few = fc.constantFrom('a', 'b', 'c', 'proj/*', 'updateOn', '*', 'x y');
  const side = fc.oneof(
    fc.array(few, { maxLength: 6 }),
    fc.array(
      fc.record({
        effect: fc.constantFrom('allow', 'deny'),
        actions: fc.array(few, { minLength: 1, maxLength: 3 }),
      }),
      { maxLength: 3 },
    ),
  );

  it('is the diff library’s, whether or not the two sides share a line', () => {
    check(
      fc.property(side, side, (before, after) => {
        expect(yamlDiffLines(before, after)).toEqual(reference(before, after));
      }),
      2000,
    );
  });
});
