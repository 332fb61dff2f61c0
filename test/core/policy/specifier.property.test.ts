import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KINDS } from '../../../src/core/policy/catalog.js';
import { parseSpecifier, type Segment } from '../../../src/core/policy/specifier.js';
import { check } from '../../support/property.js';

const PIECES = [
  ...KINDS.slice(0, 6),
  'flg',
  'Proj',
  '/',
  '*',
  ':',
  ';',
  ',',
  '{',
  '}',
  'critical',
  'true',
  'a',
  '-',
  '.',
  '_',
  ' ',
  '?',
  '😀',
  '\ud800',
  '',
];
const nameChars = fc.string({
  unit: fc.constantFrom(...'abcXYZ019._-*'.split('')),
  minLength: 1,
  maxLength: 8,
});
const segment = fc.record({
  kind: fc.oneof(fc.constantFrom(...KINDS), fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/)),
  name: nameChars,
  tags: fc.array(nameChars, { maxLength: 3 }),
  selector: fc.option(
    fc.record({
      property: fc.stringMatching(/^[a-z][a-zA-Z]{0,6}$/),
      value: fc
        .string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 8 })
        .filter((v) => !v.includes('}')),
    }),
    { nil: undefined },
  ),
});
const show = (s: Omit<Segment, 'column'>) =>
  `${s.kind}/${s.name}${s.tags.length ? `;${s.tags.join(',')}` : ''}${s.selector ? `{${s.selector.property}:${s.selector.value}}` : ''}`;
const wellFormed = fc.array(segment, { minLength: 1, maxLength: 5 }).map((segments) => ({
  segments,
  text: segments.map(show).join(':'),
}));

// A well-formed specifier with a few edits: the strings that reach every branch of the parser.
const edit = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('insert', 'delete', 'cut'),
  piece: fc.constantFrom(...PIECES),
});
const nearlyWellFormed = fc
  .tuple(wellFormed, fc.array(edit, { minLength: 1, maxLength: 3 }))
  .map(([{ text }, edits]) =>
    edits.reduce((t, e) => {
      const at = e.at % (t.length + 1);
      if (e.op === 'insert') return t.slice(0, at) + e.piece + t.slice(at);
      if (e.op === 'delete') return t.slice(0, at) + t.slice(at + 1);
      return t.slice(0, at);
    }, text),
  );

// Any string at all, strings built from the specifier's own pieces, and near misses, which
// reach far deeper into the parser than random characters do.
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.array(fc.constantFrom(...PIECES), { maxLength: 20 }).map((p) => p.join('')),
  nearlyWellFormed,
  nearlyWellFormed,
);

// A column may point one past the end only where something is missing at the end.
const AT_END =
  /^(empty resource specifier|missing name after "[^"]*" at column \d+|empty tag at column \d+)$/;

describe('parseSpecifier on any string', () => {
  it('never throws, and every column it reports points inside the string', () => {
    check(
      fc.property(anyText, (text) => {
        const parsed = parseSpecifier(text);
        expect(parsed.any).toBe(text === '*');
        for (const issue of parsed.issues) {
          expect(Number.isInteger(issue.column), issue.message).toBe(true);
          expect(issue.column, issue.message).toBeGreaterThanOrEqual(1);
          if (issue.column > text.length) {
            expect(issue.column, issue.message).toBe(text.length + 1);
            expect(issue.message).toMatch(AT_END);
          }
          const said = /at column (\d+)/.exec(issue.message);
          if (said) expect(Number(said[1]), issue.message).toBe(issue.column);
          const unexpected = /^unexpected "(.*)" at column \d+$/s.exec(issue.message);
          if (unexpected) expect(text[issue.column - 1]).toBe(unexpected[1]);
        }
        for (const s of parsed.segments) {
          expect(s.column).toBeGreaterThanOrEqual(1);
          expect(s.column).toBeLessThanOrEqual(text.length);
          expect(text.startsWith(`${s.kind}/${s.name}`, s.column - 1)).toBe(true);
        }
      }),
      1000,
    );
  });

  it('words every issue a second way that holds nothing of the string', () => {
    // The masked wordings are a fixed set: none can carry a character or a length of the text.
    const MASKED = new Set([
      'empty resource specifier',
      'a segment is empty',
      'a segment has no "/"',
      'a resource kind is not a word',
      'unknown resource kind',
      'a segment has no name after its "/"',
      'a tag is empty',
      'a selector is malformed',
      'it holds a character that names and tags may not',
      'the specifier ends with ":"',
    ]);
    check(
      fc.property(anyText, (text) => {
        for (const issue of parseSpecifier(text).issues) {
          expect(MASKED, issue.masked.message).toContain(issue.masked.message);
          expect(issue.masked.remedy ?? '', issue.message).not.toMatch(/column/);
          if (issue.code === 'policy.unknown-kind')
            expect(issue.masked.remedy).toMatch(/^known kinds: /);
        }
      }),
      1000,
    );
  });

  it('stops at the first error, and reports the segments before it', () => {
    check(
      fc.property(anyText, (text) => {
        const errors = parseSpecifier(text).issues.filter((i) => i.severity === 'error');
        expect(errors.length).toBeLessThanOrEqual(1);
        const [error] = errors;
        if (!error) return;
        for (const s of parseSpecifier(text).segments) expect(s.column).toBeLessThan(error.column);
      }),
      1000,
    );
  });
});

describe('parseSpecifier on well-formed specifiers', () => {
  it('finds no error, and its segments spell the specifier again', () => {
    check(
      fc.property(wellFormed, ({ segments, text }) => {
        const parsed = parseSpecifier(text);
        expect(parsed.issues.filter((i) => i.severity === 'error')).toEqual([]);
        expect(parsed.segments.map(show).join(':')).toBe(text);
        expect(parsed.segments.map(show)).toEqual(segments.map(show));
        for (const issue of parsed.issues) {
          expect(issue.code).toBe('policy.unknown-kind');
          expect(KINDS).not.toContain(text.slice(issue.column - 1).split('/')[0]);
        }
      }),
    );
  });
});
