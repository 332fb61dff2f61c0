import { fullFormats } from 'ajv-formats/dist/formats.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { uri } from '../../../src/core/config/formats.js';
import { check } from '../../support/property.js';

// The config validator checks `format: uri` with src/core/config/formats.ts, a cheaper pattern
// than ajv-formats' for strings without "[": it must decide exactly what ajv-formats decides.

const ajvUri = fullFormats.uri as (value: string) => boolean;

/**
 * Characters of every class the patterns tell apart (unreserved, sub-delims, ":" and "@",
 * delimiters), percent-encodings well-formed or not, and, less often, characters no URI has:
 * enough valid runs that every branch of both patterns is reached with a chance to pass.
 */
const uriChar = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom(..."aZf09-._~!$&'()*+,;=vV") },
  { weight: 3, arbitrary: fc.constantFrom(...':@/?#') },
  { weight: 2, arbitrary: fc.constantFrom('%20', '%aF', '%0g', '%', '%2') },
  { weight: 1, arbitrary: fc.constantFrom(...'[] "<>\\^`{|}é\n\t') },
);
const chars = (max: number) => fc.string({ unit: uriChar, maxLength: max });
const hex = fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEFg'), maxLength: 5 });
const octet = fc.oneof(fc.nat({ max: 300 }).map(String), fc.constantFrom('01', '001', '', 'a'));

/** Strings shaped like URIs, part by part, so that most reach deep into both patterns. */
const uriLike = fc
  .tuple(
    fc.constantFrom('https', 'HTTP', 'a+b-c.d', '1x', '', 'urn', 'x'),
    fc.constantFrom(':', '', '::'),
    fc.constantFrom('//', '/', '', '///'),
    fc.option(
      chars(6).map((u) => `${u}@`),
      { nil: '' },
    ),
    fc.oneof(
      chars(12),
      fc.tuple(octet, octet, octet, octet).map((o) => o.join('.')),
      fc
        .array(fc.oneof(hex, fc.constantFrom('', ':', '::', 'v1.x', '1.2.3.4')), { maxLength: 9 })
        .map((groups) => `[${groups.join(':')}]`),
      fc.array(hex, { maxLength: 9 }).map((groups) => `[${groups.join(':')}`),
    ),
    fc.option(
      fc.nat({ max: 99999 }).map((p) => `:${p}`),
      { nil: '' },
    ),
    fc.array(
      chars(6).map((s) => `/${s}`),
      { maxLength: 3 },
    ),
    fc.option(
      chars(6).map((q) => `?${q}`),
      { nil: '' },
    ),
    fc.option(
      chars(6).map((f) => `#${f}`),
      { nil: '' },
    ),
  )
  .map((parts) => parts.flat().join(''));

describe('the uri format', () => {
  it('decides what ajv-formats decides, on URI-shaped and on arbitrary strings', () => {
    check(
      fc.property(fc.oneof(uriLike, chars(40), fc.string()), (s) => {
        expect(uri(s), JSON.stringify(s)).toBe(ajvUri(s));
      }),
      20_000,
    );
  });

  it.each([
    ['https://hooks.example.com/launchdarkly', true],
    ['https://1.2.3.4:8080/x', true],
    ['https://300.1.1.1/', true],
    ['https://[::1]/x', true],
    ['http://[v1.a]/', true],
    ['https://[::1/x', false],
    ['https://[not-ipv6]/', false],
    ['https://exa mple.com', false],
    ['https://%zz.example.com', false],
    ['example.com', false],
  ])('%s: %s, as ajv-formats says', (s, valid) => {
    expect(ajvUri(s)).toBe(valid);
    expect(uri(s)).toBe(valid);
  });
});
