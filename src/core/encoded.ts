/**
 * The forms in which a server that repeats a value by accident may write it. A value is found
 * in any of them, so that masking it in free text (an error message, a receiver's answer)
 * leaves nothing of it to read:
 *
 * - as is;
 * - inside a JSON string: any character as `\uXXXX` (either case of hex), the short escapes
 *   `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t` (so PHP's `\/` and Go's `\u0026`);
 * - percent-encoded, upper- or lower-case hex, a space also as `+` (form encoding);
 * - as an HTML character reference (`&#47;`, `&#x2F;`, `&amp;`);
 * - any mix of those, character by character;
 * - base64, standard or URL-safe, of the value alone or inside longer bytes (every alignment),
 *   for a value of 6 bytes or more.
 */

/** One hexadecimal digit either case: `[fF]`. */
const hexDigit = (d: string) => (/[a-f]/i.test(d) ? `[${d.toLowerCase()}${d.toUpperCase()}]` : d);
const hex = (n: number, width: number) =>
  Array.from(n.toString(16).padStart(width, '0'), hexDigit).join('');

const REGEXP_SPECIAL = /[\\^$.*+?()[\]{}|/-]/g;
const literal = (s: string) => s.replace(REGEXP_SPECIAL, '\\$&');

const JSON_SHORT: Record<string, string> = {
  '"': '\\\\"',
  '\\': '\\\\\\\\',
  '/': '\\\\/',
  '\b': '\\\\b',
  '\f': '\\\\f',
  '\n': '\\\\n',
  '\r': '\\\\r',
  '\t': '\\\\t',
};
const HTML_NAMED: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

const utf8 = new TextEncoder();

/** Every way one character (a code point) may be written. */
function characterForms(ch: string): string {
  const forms = new Set<string>([literal(ch)]);
  // JSON: each UTF-16 unit as \uXXXX, and the short escape.
  forms.add(
    Array.from({ length: ch.length }, (_, i) => `\\\\u${hex(ch.charCodeAt(i), 4)}`).join(''),
  );
  if (JSON_SHORT[ch]) forms.add(JSON_SHORT[ch]);
  // Percent-encoding of its UTF-8 bytes; a space as + in a form.
  forms.add(Array.from(utf8.encode(ch), (b) => `%${hex(b, 2)}`).join(''));
  if (ch === ' ') forms.add('\\+');
  // HTML character references, decimal or hexadecimal, the semicolon optional.
  const cp = ch.codePointAt(0) as number;
  forms.add(`&#0*${cp};?`);
  forms.add(`&#[xX]0*${hex(cp, 1)};?`);
  if (HTML_NAMED[ch]) forms.add(HTML_NAMED[ch]);
  return `(?:${[...forms].join('|')})`;
}

/** A pattern that finds the value in any mix of its character forms. */
export function encodedPattern(value: string): RegExp {
  return new RegExp(Array.from(value, characterForms).join(''), 'g');
}

const BASE64_MIN = 7;

/**
 * The base64 text that the value's bytes always encode to, standard and URL-safe, whatever
 * bytes come before and after them: for each of the three alignments, the characters that
 * depend on the value's bytes alone. Too short a piece could match by chance: none under 7
 * characters, which a value of 6 bytes or more always has.
 */
export function base64Forms(value: string): string[] {
  const bytes = utf8.encode(value);
  const out = new Set<string>();
  for (const before of [0, 1, 2]) {
    const all = new Uint8Array(before + bytes.length);
    all.set(bytes, before);
    const b64 = btoa(String.fromCharCode(...all));
    const start = Math.ceil((8 * before) / 6);
    const end = Math.floor((8 * all.length) / 6);
    const piece = b64.slice(start, end);
    if (piece.length < BASE64_MIN) continue;
    out.add(piece);
    out.add(piece.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...out];
}

/** Characters without which no text holds an encoded form (the literal one aside). */
export const MAY_HOLD_ENCODED = /[\\%&+]/;
