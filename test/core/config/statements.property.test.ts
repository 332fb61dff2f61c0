import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalStatement,
  canonicalStatements,
  sameStatements,
  statementsKey,
} from '../../../src/core/config/statements.js';
import type { Statement } from '../../../src/core/model.js';
import { sortedUnique } from '../../../src/core/sorted-unique.js';
import { check } from '../../support/property.js';

// Small alphabets make repeats and shared prefixes common, which is where sorting and
// de-duplication go wrong; fullUnicode strings bring surrogate pairs and code-unit ordering.
const word = fc.oneof(
  fc.constantFrom('*', 'proj/*', 'proj/a', 'proj/b', 'updateOn', 'createFlag', 'a', 'B', ''),
  fc.string({ unit: 'grapheme-ascii', maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 4 }),
);
const list = fc.array(word, { maxLength: 6 });

// Any mix of lists, not only the shapes the schema allows: canonicalization must not care.
const statement: fc.Arbitrary<Statement> = fc
  .record(
    {
      effect: fc.constantFrom('allow' as const, 'deny' as const),
      resources: list,
      notResources: list,
      actions: list,
      notActions: list,
    },
    { requiredKeys: ['effect'] },
  )
  .map((s) => s as Statement);
const statements = fc.array(statement, { maxLength: 8 });

/** A permutation of `items`, drawn by fast-check so that a failure shrinks to a small one. */
const permutationOf = <T>(items: readonly T[]) =>
  fc.shuffledSubarray([...items], { minLength: items.length, maxLength: items.length });

/** The same statement with its keys inserted in another order and every list permuted. */
function reordered(s: Statement, keyOrder: number[], lists: (l: string[]) => string[]): Statement {
  const entries = Object.entries(s);
  const out: Record<string, unknown> = {};
  for (const i of keyOrder) {
    const [key, value] = entries[i % entries.length] as [string, unknown];
    out[key] = Array.isArray(value) ? lists(value) : value;
  }
  for (const [key, value] of entries) if (!(key in out)) out[key] = value;
  return out as unknown as Statement;
}

describe('sortedUnique', () => {
  it('gives a strictly ascending list of exactly the input values', () => {
    check(
      fc.property(fc.array(word), (input) => {
        const out = sortedUnique(input);
        for (let i = 1; i < out.length; i++)
          expect((out[i - 1] as string) < (out[i] as string)).toBe(true);
        expect(new Set(out)).toEqual(new Set(input));
      }),
    );
  });

  it('is idempotent and independent of input order', () => {
    check(
      fc.property(
        fc.array(word).chain((input) => fc.tuple(fc.constant(input), permutationOf(input))),
        ([input, permuted]) => {
          const out = sortedUnique(input);
          expect(sortedUnique(out)).toEqual(out);
          // A fresh list even when the input is already its own answer: callers may change it.
          expect(sortedUnique(out)).not.toBe(out);
          expect(sortedUnique(permuted)).toEqual(out);
          expect(sortedUnique([...input, ...permuted])).toEqual(out);
        },
      ),
    );
  });
});

describe('canonicalStatements', () => {
  it('is idempotent, and its key is its serialization', () => {
    check(
      fc.property(statements, (input) => {
        const once = canonicalStatements(input);
        const twice = canonicalStatements(once);
        expect(twice).toEqual(once);
        expect(JSON.stringify(twice)).toBe(JSON.stringify(once));
        expect(statementsKey(once)).toBe(JSON.stringify(once));
        expect(statementsKey(twice)).toBe(statementsKey(once));
      }),
    );
  });

  it('does not depend on the order of statements, of their keys or of their lists', () => {
    check(
      fc.property(
        statements.chain((input) =>
          fc.tuple(
            fc.constant(input),
            permutationOf(input),
            fc.array(fc.nat(), { minLength: 5, maxLength: 5 }),
            fc.boolean(),
          ),
        ),
        ([input, permuted, keyOrder, reverseLists]) => {
          const lists = (l: string[]) =>
            reverseLists ? [...l].reverse() : [...l.slice(1), ...l.slice(0, 1)];
          const other = permuted.map((s) => reordered(s, keyOrder, lists));
          expect(statementsKey(canonicalStatements(other))).toBe(
            statementsKey(canonicalStatements(input)),
          );
          // Repeats, of whole statements or of list items, change nothing either.
          const repeated = [
            ...input,
            ...other.map((s) => reordered(s, keyOrder, (l) => [...l, ...l])),
          ];
          expect(JSON.stringify(canonicalStatements(repeated))).toBe(
            JSON.stringify(canonicalStatements(input)),
          );
        },
      ),
    );
  });

  it('keeps every statement, as a set, and nothing else but empty lists, sorted by serialization', () => {
    check(
      fc.property(statements, (input) => {
        const out = canonicalStatements(input);
        const keys = out.map((s) => JSON.stringify(s));
        for (let i = 1; i < keys.length; i++)
          expect((keys[i - 1] as string) < (keys[i] as string)).toBe(true);
        expect(new Set(keys)).toEqual(
          new Set(input.map((s) => JSON.stringify(canonicalStatement(s)))),
        );
        for (const [i, s] of input.entries()) {
          const c = canonicalStatement(s);
          expect(Object.keys(c)[0]).toBe('effect');
          expect(c.effect).toBe(s.effect);
          for (const key of ['resources', 'notResources', 'actions', 'notActions'] as const) {
            // An empty list says nothing: it is left out, as a missing one.
            const given = s[key] ?? [];
            expect(c[key] === undefined, `${i}.${key}`).toBe(given.length === 0);
            if (given.length > 0) expect(new Set(c[key])).toEqual(new Set(given));
          }
        }
      }),
    );
  });
});

describe('sameStatements', () => {
  // A canonical list changed in one place: a statement, a list or an item dropped or repeated.
  const changed = (list: Statement[], at: number, how: number): Statement[] => {
    const out = structuredClone(list);
    const s = out[at % Math.max(out.length, 1)];
    if (!s) return [{ effect: 'allow', resources: ['*'], actions: ['*'] }];
    const key = (['resources', 'notResources', 'actions', 'notActions'] as const)[how % 4];
    if (how % 5 === 4) s.effect = s.effect === 'allow' ? 'deny' : 'allow';
    else if (key && s[key]) s[key] = how % 2 ? [...(s[key] ?? []), 'x'] : s[key]?.slice(1);
    else out.pop();
    return out;
  };

  it('says the same exactly when the serializations are, for canonical lists', () => {
    check(
      fc.property(statements, statements, fc.nat(), fc.nat(), (a, b, at, how) => {
        const canonical = canonicalStatements(a);
        expect(sameStatements(structuredClone(canonical), canonical)).toBe(true);
        for (const other of [canonicalStatements(b), changed(canonical, at, how)]) {
          expect(sameStatements(other, canonical)).toBe(
            JSON.stringify(other) === statementsKey(canonical),
          );
        }
        // For any list, "the same" never hides a difference the canonical form would show.
        if (sameStatements(b, canonical))
          expect(statementsKey(canonicalStatements(b))).toBe(statementsKey(canonical));
      }),
    );
  });
});
