import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closest, editDistance, MAX_SUGGESTED_LENGTH } from '../../src/core/suggest.js';
import { check } from '../support/property.js';

/** The suggestion by the definition: the first candidate at the smallest distance, if near enough. */
function bruteForce(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

describe('did you mean', () => {
  it('suggests the name a typo meant', () => {
    expect(closest('slakc-alerts', ['audit', 'slack-alerts', 'pager'])).toBe('slack-alerts');
    expect(closest('nothing-alike', ['audit', 'slack-alerts'])).toBeUndefined();
  });

  it('skipping candidates too long or too short to be near changes no suggestion', () => {
    const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'A'), maxLength: 12 });
    check(
      fc.property(word, fc.array(word, { maxLength: 8 }), (w, candidates) => {
        expect(closest(w, candidates)).toBe(bruteForce(w, candidates));
      }),
    );
  });

  it('offers nothing for a word longer than any typo, without comparing it', () => {
    const long = 'x'.repeat(MAX_SUGGESTED_LENGTH + 1);
    expect(closest(long, [long.slice(1), long])).toBeUndefined();
    expect(closest(long.slice(1), [long.slice(2)])).toBe(long.slice(2));
  });
});
