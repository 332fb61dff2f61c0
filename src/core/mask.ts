/**
 * The one place that decides what a plan may show. Values are masked one by one, never whole
 * fields: a value that came from the environment shows as its template as written
 * (`proj/${PROJ}:env/production:flag/*`), a secret as `(sensitive)`, and everything else in
 * full, so that a reviewer always sees that something is there and whether it changes.
 *
 * Masking hides values, never structure: ldhooks' own words (keys, a patch's `op` and `path`, a
 * change's action, a field's name) never pass through a masker, and inside a longer value only a
 * sensitive value of at least {@link FRAGMENT} characters is looked for. A shorter one
 * (`PROJ=web`) shows as its template where it is the whole value, but is not cut out of words
 * that merely contain its letters (`web-alerts`, `/webhooks/`): so few letters tell a reader
 * nothing a guess would not, while cutting them out would show names and URLs that exist
 * nowhere. Free text ({@link Masker.text}) is masked for every value, whatever its length.
 *
 * Every masked string is in template syntax: a literal `${` inside it is written `$${`, so a
 * saved plan can resolve it again with the same interpolation the config files use.
 */

import { base64Forms, encodedPattern, MAY_HOLD_ENCODED } from './encoded.js';
import { escapeControl } from './escape.js';

/** Shown in place of a value that has no template to show: a secret. */
export const SENSITIVE = '(sensitive)';

/**
 * Shown in place of a secret that no config holds and that is made when the plan is applied
 * (`sign: true` without a secret): by LaunchDarkly for a create, by ldhooks for an update.
 */
export const GENERATED = '(generated)';

/**
 * Which values of a shown value are masked, shaped like the value (as Terraform's
 * `after_sensitive`): `true` at a masked leaf, an array of per-item masks, an object with only
 * the keys that hold something masked; `false` where nothing is.
 */
export type Mask = boolean | Mask[] | { [key: string]: Mask };

/** The JSON Schema of a Mask, for the schemas of plan JSON and saved plans (`$defs/mask`). */
export const maskSchema = {
  description:
    'Which values are masked, shaped like the value (as Terraform\'s after_sensitive): true at a masked value (a ${NAME} template or "(sensitive)"), a list of per-item masks, an object with only the keys that hold a masked value; false where nothing is masked.',
  anyOf: [
    { type: 'boolean' },
    { type: 'array', items: { $ref: '#/$defs/mask' } },
    { type: 'object', additionalProperties: { $ref: '#/$defs/mask' } },
  ],
} as const;

export interface Shown<T> {
  value: T;
  mask: Mask;
}

/** A sensitive value and what to show in its place. */
export interface MaskEntry {
  /** The real value: resolved from the environment, or a secret. */
  value: string;
  /** Its stand-in: the template as written (`${SLACK_URL}`), or `(sensitive)`. */
  shown: string;
}

/** Escapes `${` so that a literal string reads as itself in template syntax. */
export const escapeTemplate = (s: string): string => s.replace(/\$\{/g, () => '$${');

/**
 * The shortest piece of a sensitive value that text a server sent is searched for (see
 * Masker.serverText), and the shortest sensitive value that is looked for inside a longer value
 * (see Masker.string): a run of fewer characters is as likely to be a word's letters as a leak.
 */
export const FRAGMENT = 6;
/** A URL's scheme and host: not secret, and shared by many URLs. */
const ORIGIN = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;

/** Whether a sensitive value is long enough to be looked for inside a longer value. */
const findsInside = (e: MaskEntry): boolean => e.value.length >= FRAGMENT;

/**
 * Masks strings: an exact sensitive value shows as its stand-in, whatever its length; a value
 * that contains one of at least {@link FRAGMENT} characters (a live resource holding a project
 * key from the environment, a secret pasted into a URL) shows with each occurrence replaced.
 * Longer values are replaced first, so a value never leaks through a shorter one.
 */
export class Masker {
  // Private fields: neither JSON.stringify nor util.inspect shows the values they hold.
  readonly #exact = new Map<string, string>();
  readonly #byLength: MaskEntry[];
  /** The values looked for inside longer values: those of at least FRAGMENT characters. */
  readonly #inside: MaskEntry[];

  constructor(entries: Iterable<MaskEntry>) {
    const all: MaskEntry[] = [];
    for (const e of entries) {
      if (e.value === '' || this.#exact.has(e.value)) continue;
      this.#exact.set(e.value, e.shown);
      all.push(e);
    }
    this.#byLength = all.sort((a, b) => b.value.length - a.value.length);
    this.#inside = this.#byLength.filter(findsInside);
  }

  /**
   * A masker whose own entries come first: a webhook's values show as its own templates even
   * when another variable has the same value.
   */
  prefer(entries: readonly MaskEntry[]): Masker {
    return entries.length === 0 ? this : new Masker([...entries, ...this.#byLength]);
  }

  /**
   * This masker's values and then another's, masked in one pass, longest first: a value that
   * holds another is never left half-masked. For the same value, this masker's stand-in wins.
   */
  merge(other: Masker): Masker {
    if (other.empty) return this;
    return this.empty ? other : new Masker([...this.#byLength, ...other.#byLength]);
  }

  /** What serialization shows of a masker: how many values, never which. */
  toJSON(): string {
    return `Masker (${this.#byLength.length} sensitive values)`;
  }

  /** As {@link toJSON}, for console.log and util.inspect. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toJSON();
  }

  /** Nothing to mask: the common case, kept cheap. */
  get empty(): boolean {
    return this.#byLength.length === 0;
  }

  /**
   * One value (a name, a URL, a tag, a resource, an action): [as shown, masked?]. A sensitive
   * value shows as its stand-in where it is the whole value, whatever its length; inside a longer
   * value only one of at least {@link FRAGMENT} characters is replaced.
   */
  string(s: string): [string, boolean] {
    if (this.#byLength.length === 0) return [s, false];
    const exact = this.#exact.get(s);
    if (exact !== undefined) return [exact, true];
    if (!this.#inside.some((e) => s.includes(e.value))) return [s, false];
    // The literal pieces escaped, the sensitive values replaced by their stand-ins.
    return [replaceValues(s, this.#inside, escapeTemplate), true];
  }

  /** Any JSON-like value: strings masked, structure kept, with the mask that says where. */
  show<T>(value: T): Shown<T> {
    // Nothing to mask in it (the access token is always a value to mask, and seldom in a
    // plan): the value as it is, without building a masked copy to find that out.
    if (this.#byLength.length === 0 || !this.#touches(value)) return { value, mask: false };
    return walk(value, (s) => this.string(s)) as Shown<T>;
  }

  /** Whether {@link string} masks any string in a JSON-like value. */
  #touches(value: unknown): boolean {
    if (typeof value === 'string')
      return this.#exact.has(value) || this.#inside.some((e) => value.includes(e.value));
    if (Array.isArray(value)) return value.some((v) => this.#touches(v));
    if (value !== null && typeof value === 'object')
      return Object.values(value).some((v) => this.#touches(v));
    return false;
  }

  /**
   * One value quoted in ldhooks' own text (a live name in the list of unmanaged webhooks, a name
   * in a problem's message), masked as {@link string} masks it but in plain text: its stand-in
   * where it is a sensitive value, else every sensitive value of at least {@link FRAGMENT}
   * characters in it replaced, in every form {@link text} knows.
   */
  valueText(s: string): string {
    const exact = this.#exact.get(s);
    if (exact !== undefined) return exact;
    if (this.#inside.length === 0) return s;
    this.#insideOnly ??= new Masker(this.#inside);
    return this.#insideOnly.text(s);
  }

  #insideOnly: Masker | undefined;

  /**
   * Free text (an error message, what a server or a receiver said): every sensitive value
   * replaced, in every form a server may have encoded it in (JSON string escapes, percent- and
   * form-encoding, HTML character references, any mix of them, base64; see core/encoded.ts).
   */
  text(s: string): string {
    if (this.#byLength.length === 0) return s;
    let out = this.#byLength.some((e) => s.includes(e.value))
      ? replaceValues(s, this.#byLength, (piece) => piece)
      : s;
    const encoded = this.#encodedForms();
    if (MAY_HOLD_ENCODED.test(out)) {
      for (const e of encoded) out = out.replace(e.pattern, () => e.shown);
    }
    for (const e of encoded) {
      for (const form of e.base64) if (out.includes(form)) out = out.split(form).join(e.shown);
    }
    return out;
  }

  /**
   * Text a server or a receiver sent back: as {@link text}, and also every piece of at least
   * {@link FRAGMENT} characters of a sensitive value, for a server that quotes part of what it
   * was sent (the first 80% of a URL, the end of a secret). Only for text from elsewhere: a
   * user's own words (a --target) are masked by {@link text}, not cut into pieces.
   */
  serverText(s: string): string {
    return this.#fragments(this.text(s));
  }

  /**
   * What is left of a value a server cut short or quoted in part (the first 80% of a URL, the
   * end of a secret): every run of at least {@link FRAGMENT} characters of it replaced too. A
   * URL's origin is left out (it is shown anyway), so that `https://` in a server's text is not
   * taken for a piece of a webhook's URL.
   */
  #fragments(text: string): string {
    this.#grams ??= this.#byLength.flatMap((e) => {
      const secret = e.value.replace(ORIGIN, '');
      if (secret.length < FRAGMENT) return [];
      const grams = new Set<string>();
      for (let i = 0; i + FRAGMENT <= secret.length; i++) grams.add(secret.slice(i, i + FRAGMENT));
      return [{ secret, grams, shown: e.shown }];
    });
    let out = text;
    for (const { secret, grams, shown } of this.#grams) {
      if (out.length < FRAGMENT) break;
      let result = '';
      let from = 0;
      for (let i = 0; i + FRAGMENT <= out.length; ) {
        if (!grams.has(out.slice(i, i + FRAGMENT))) {
          i++;
          continue;
        }
        let end = i + FRAGMENT;
        while (end < out.length && secret.includes(out.slice(i, end + 1))) end++;
        result += out.slice(from, i) + shown;
        from = end;
        i = end;
      }
      out = result + out.slice(from);
    }
    return out;
  }

  #grams: { secret: string; grams: Set<string>; shown: string }[] | undefined;

  #encoded: { pattern: RegExp; base64: string[]; shown: string }[] | undefined;

  /** Made once, when free text first needs them: most maskers only ever mask values. */
  #encodedForms() {
    this.#encoded ??= this.#byLength.map((e) => ({
      pattern: encodedPattern(e.value),
      base64: base64Forms(e.value),
      shown: e.shown,
    }));
    return this.#encoded;
  }
}

/**
 * `s` with every occurrence of the entries' values replaced by their stand-ins, and the pieces
 * between them passed through `literal`. Occurrences that overlap are one stretch to hide: a value
 * that holds the others shows as its own stand-in, and two values that only overlap (the end of
 * one is the start of the other) show together as {@link SENSITIVE}. Replacing one value after
 * another would let the first cut the second, and leave part of it to print.
 */
function replaceValues(
  s: string,
  entries: readonly MaskEntry[],
  literal: (piece: string) => string,
): string {
  const found: { start: number; end: number; shown: string }[] = [];
  for (const e of entries) {
    for (let at = s.indexOf(e.value); at !== -1; at = s.indexOf(e.value, at + 1))
      found.push({ start: at, end: at + e.value.length, shown: e.shown });
  }
  // By start, and the longest first where two start together.
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let from = 0;
  for (let i = 0; i < found.length; ) {
    const first = found[i] as (typeof found)[number];
    let end = first.end;
    let j = i + 1;
    for (; j < found.length && (found[j] as (typeof found)[number]).start < end; j++)
      end = Math.max(end, (found[j] as (typeof found)[number]).end);
    out += literal(s.slice(from, first.start)) + (end === first.end ? first.shown : SENSITIVE);
    from = end;
    i = j;
  }
  return out + literal(s.slice(from));
}

/**
 * Text from elsewhere (a server's error body, a reason phrase, a receiver's answer), made safe
 * to print: every sensitive value replaced in every form, then cut to `max` characters, then
 * control characters escaped. Replacing first means that a value cut in two never shows its
 * first half; escaping last means that a value holding a control character is still found.
 */
export function excerpt(masker: Masker, s: string, max: number): string {
  const chars = Array.from(masker.serverText(s).trim());
  const cut = chars.length > max ? `${chars.slice(0, max).join('').trimEnd()}…` : chars.join('');
  return escapeControl(cut);
}

function walk(value: unknown, leaf: (s: string) => [string, boolean]): Shown<unknown> {
  if (typeof value === 'string') {
    const [shown, masked] = leaf(value);
    return { value: shown, mask: masked };
  }
  if (Array.isArray(value)) {
    const items = value.map((v) => walk(v, leaf));
    const any = items.some((i) => i.mask !== false);
    return { value: items.map((i) => i.value), mask: any ? items.map((i) => i.mask) : false };
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    const mask: Record<string, Mask> = {};
    for (const [k, v] of Object.entries(value)) {
      // A statement's effect is a word of the config format, allow or deny, whatever a variable
      // of the environment holds: hiding it would hide what the statement does, and nothing else.
      if (k === 'effect' && (v === 'allow' || v === 'deny')) {
        out[k] = v;
        continue;
      }
      const r = walk(v, leaf);
      out[k] = r.value;
      if (r.mask !== false) mask[k] = r.mask;
    }
    return { value: out, mask: Object.keys(mask).length > 0 ? mask : false };
  }
  return { value, mask: false };
}

/** True when the mask marks anything. */
export const isMasked = (mask: Mask | undefined): boolean =>
  mask !== undefined && mask !== false && !(typeof mask === 'object' && isEmptyMask(mask));

function isEmptyMask(mask: Mask[] | { [key: string]: Mask }): boolean {
  const values = Array.isArray(mask) ? mask : Object.values(mask);
  return values.every((m) => !isMasked(m));
}

/** The mask of one key of an object mask. */
export function maskAt(mask: Mask | undefined, key: string | number): Mask {
  if (mask === undefined || typeof mask === 'boolean') return mask ?? false;
  const m = Array.isArray(mask) ? mask[Number(key)] : (mask as Record<string, Mask>)[String(key)];
  return m ?? false;
}

/**
 * A live URL shows only its scheme and host, as written: webhook URLs often carry tokens in
 * their path, query or user part, and nothing says the live one does not. Nothing is
 * normalized (case, port), so two URLs that differ never read the same.
 */
export function originOnly(url: string): string {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/s.exec(url);
  if (!m) return SENSITIVE;
  const [, scheme, authority = '', rest = ''] = m;
  const at = authority.lastIndexOf('@');
  const host = at === -1 ? authority : `…@${authority.slice(at + 1)}`;
  return `${scheme}${host}${rest === '' || rest === '/' ? rest : '/…'}`;
}

/** The `${NAME}` references of a template (`$${` is a literal, not a reference). */
export function variablesOf(template: string): string[] {
  const names: string[] = [];
  for (const m of template.matchAll(/\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
    if (m[1] !== undefined) names.push(m[1]);
  }
  return names;
}

/**
 * Each environment variable that the sensitive values read, as a value to mask wherever it
 * appears (a live resource that holds the project key a template resolved to).
 */
export function variableEntries(
  entries: readonly MaskEntry[],
  env: Readonly<Record<string, string | undefined>>,
): MaskEntry[] {
  const out = new Map<string, MaskEntry>();
  for (const e of entries) {
    for (const name of variablesOf(e.shown)) {
      const value = env[name];
      if (value !== undefined && value !== '') out.set(name, { value, shown: `\${${name}}` });
    }
  }
  return [...out.values()];
}
