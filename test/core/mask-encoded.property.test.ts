import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/adapters/launchdarkly/redact.js';
import { excerpt, Masker } from '../../src/core/mask.js';
import { check } from '../support/property.js';

// Characters of URLs, secrets and keys, and the ones each encoding treats specially.
const CHARS = [...'aZq09', ...'/?&=#:.-_~+%', ' ', '"', '\\', '<', '>', "'", '\n', 'é', '€', '🚀'];
const text = (min: number, max: number) =>
  fc.array(fc.constantFrom(...CHARS), { minLength: min, maxLength: max }).map((a) => a.join(''));

const SHOWN = '***';
const hex = (n: number, w: number, upper: boolean) => {
  const h = n.toString(16).padStart(w, '0');
  return upper ? h.toUpperCase() : h;
};
const utf8 = (s: string) => [...new TextEncoder().encode(s)];

/** One character as a server may write it: each an encoding found in the wild. */
const CHARACTER_ENCODINGS: ((c: string) => string)[] = [
  (c) => c,
  (c) => JSON.stringify(c).slice(1, -1),
  (c) =>
    Array.from({ length: c.length }, (_, i) => `\\u${hex(c.charCodeAt(i), 4, false)}`).join(''),
  (c) => Array.from({ length: c.length }, (_, i) => `\\u${hex(c.charCodeAt(i), 4, true)}`).join(''),
  (c) => (c === '/' ? '\\/' : JSON.stringify(c).slice(1, -1)),
  (c) =>
    utf8(c)
      .map((b) => `%${hex(b, 2, true)}`)
      .join(''),
  (c) =>
    utf8(c)
      .map((b) => `%${hex(b, 2, false)}`)
      .join(''),
  (c) => (c === ' ' ? '+' : encodeURIComponent(c)),
  (c) => `&#${c.codePointAt(0)};`,
  (c) => `&#x${hex(c.codePointAt(0) as number, 1, true)};`,
];

/** A whole message as a server may echo it. */
const MESSAGE_ENCODINGS: Record<string, (s: string) => string> = {
  json: (s) => JSON.stringify(s),
  'json, PHP slashes': (s) => JSON.stringify(s).replace(/\//g, '\\/'),
  'json, Go HTML-safe': (s) =>
    JSON.stringify(s).replace(/&/g, '\\u0026').replace(/</g, '\\u003c').replace(/>/g, '\\u003e'),
  'json, ASCII only': (s) =>
    JSON.stringify(s).replace(
      /[^\x20-\x7e]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    ),
  'percent, upper': (s) => encodeURIComponent(s),
  'percent, lower': (s) => encodeURIComponent(s).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
  'form encoding': (s) => new URLSearchParams({ body: s }).toString(),
  'HTML escaping': (s) =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;'),
};

describe('Masker.text: a value in any form a server writes it in', () => {
  it('never shows a value a server echoed in a whole-message encoding', () => {
    check(
      fc.property(
        text(3, 24),
        text(0, 12),
        text(0, 12),
        fc.constantFrom(...Object.keys(MESSAGE_ENCODINGS)),
        (value, before, after, name) => {
          const encode = MESSAGE_ENCODINGS[name] as (s: string) => string;
          const masker = new Masker([{ value, shown: SHOWN }]);
          const out = masker.text(`error: ${encode(`${before}${value}${after}`)}`);
          expect(out, name).not.toContain(value);
          // Percent- and JSON-encoding encode character by character: the value's own form.
          if (!name.startsWith('form'))
            expect(out, name).not.toContain(encode(value).replace(/^"|"$/g, ''));
        },
      ),
      1000,
    );
  });

  it('never shows a value written in any mix of encodings, character by character', () => {
    check(
      fc.property(
        text(3, 24).chain((value) =>
          fc.tuple(
            fc.constant(value),
            fc.array(fc.nat(CHARACTER_ENCODINGS.length - 1), {
              minLength: [...value].length,
              maxLength: [...value].length,
            }),
          ),
        ),
        text(0, 8),
        ([value, choices], around) => {
          const written = [...value]
            .map((c, i) => (CHARACTER_ENCODINGS[choices[i] as number] as (c: string) => string)(c))
            .join('');
          const out = new Masker([{ value, shown: SHOWN }]).text(`${around}${written}${around}`);
          expect(out).not.toContain(written);
          expect(out).not.toContain(value);
        },
      ),
      1000,
    );
  });

  it('never shows the base64 of a value of 6 bytes or more, whatever bytes surround it', () => {
    check(
      fc.property(
        text(6, 24),
        fc.uint8Array({ maxLength: 5 }),
        fc.uint8Array({ maxLength: 5 }),
        fc.boolean(),
        (value, before, after, urlSafe) => {
          const bytes = new Uint8Array([...before, ...utf8(value), ...after]);
          let b64 = btoa(String.fromCharCode(...bytes));
          if (urlSafe) b64 = b64.replace(/\+/g, '-').replace(/\//g, '_');
          const out = new Masker([{ value, shown: SHOWN }]).text(`body=${b64}`);
          // The characters that encode the value's bytes alone.
          const span = b64.slice(
            Math.ceil((8 * before.length) / 6),
            Math.floor((8 * (before.length + utf8(value).length)) / 6),
          );
          expect(out).not.toContain(span);
        },
      ),
      1000,
    );
  });

  it('leaves text that holds no form of a value as it is', () => {
    const masker = new Masker([{ value: 'https://hooks.example.com/T0KEN', shown: SHOWN }]);
    for (const s of ['https://hooks.example.com/', 'T0KE', '%2F%2F', 'a\\/b &amp; c+d'])
      expect(masker.text(s)).toBe(s);
  });

  it('the client and excerpt mask first, cut next, escape last', () => {
    const value = 'https://hooks.example.com/services/T0KENPATH?k=v';
    const r = new Redactor('tok-123');
    r.url(value);
    const echoed = encodeURIComponent(JSON.stringify({ url: value })).replace(
      /%[0-9A-F]{2}/g,
      (m) => m.toLowerCase(),
    );
    for (let pad = 0; pad < 40; pad++) {
      const out = r.serverText(`${'x'.repeat(pad)}${echoed}\u009b2J`, 60);
      expect(out).not.toMatch(/T0KEN|services|%2fservices/i);
      expect(out).not.toContain('\u009b');
    }
    const masker = new Masker([{ value: 'T0KENPATH', shown: SHOWN }]);
    expect(excerpt(masker, `${'y'.repeat(195)}T0KENPATH`, 200)).toBe(`${'y'.repeat(195)}${SHOWN}`);
  });
});
