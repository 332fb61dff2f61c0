import { closest } from '../suggest.js';
import { KINDS } from './catalog.js';

/** One `kind/name[;tag,...][{property:value}]` segment of a resource specifier. */
export interface Segment {
  kind: string;
  name: string;
  tags: string[];
  selector?: { property: string; value: string };
  /** 1-based column of the kind inside the specifier. */
  column: number;
}

export interface SpecifierIssue {
  severity: 'error' | 'warning';
  code: string;
  /** 1-based column inside the specifier. */
  column: number;
  message: string;
  remedy?: string;
  /**
   * The same problem told without quoting the specifier or a column inside it, for a specifier
   * that holds a value from the environment: neither its text nor its length may show.
   */
  masked: { message: string; remedy?: string };
}

/** Shared between callers (parsing is memoized): never modify one. */
export interface ParsedSpecifier {
  /** Empty for the bare `*`, which matches every resource. */
  segments: Segment[];
  any: boolean;
  issues: SpecifierIssue[];
}

const KIND = /^[a-z][a-z0-9-]*$/;
const NAME_CHAR = /[A-Za-z0-9._*-]/;

/**
 * Parses a resource specifier strictly on shape: segments `kind/name[;tag,tag][{property:value}]`
 * joined by `:`, `*` as a glob in names and tags. An unknown kind is a warning, with a suggestion.
 */
export function parseSpecifier(text: string): ParsedSpecifier {
  // Configs repeat the same few specifiers across many webhooks: parse each once.
  let parsed = memo.get(text);
  if (!parsed) {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    parsed = parse(text);
    memo.set(text, parsed);
  }
  return parsed;
}

const MEMO_LIMIT = 10_000;
const memo = new Map<string, Readonly<ParsedSpecifier>>();

function parse(text: string): ParsedSpecifier {
  const issues: SpecifierIssue[] = [];
  const error = (
    column: number,
    message: string,
    masked: string,
    remedy: string,
    maskedRemedy = remedy,
  ) =>
    issues.push({
      severity: 'error',
      code: 'policy.specifier',
      column,
      message,
      remedy,
      masked: { message: masked, remedy: maskedRemedy },
    });
  if (text === '*') return { segments: [], any: true, issues };
  if (text.trim() === '') {
    error(
      1,
      'empty resource specifier',
      'empty resource specifier',
      'write kind/name segments such as proj/*:env/production:flag/*',
    );
    return { segments: [], any: false, issues };
  }
  const segments: Segment[] = [];
  let i = 0;
  while (i <= text.length) {
    const start = i;
    const slash = text.indexOf('/', i);
    const colon = text.indexOf(':', i);
    if (slash === -1 || (colon !== -1 && colon < slash)) {
      const end = colon === -1 ? text.length : colon;
      const word = text.slice(start, end);
      error(
        start + 1,
        word === ''
          ? `empty segment at column ${start + 1}`
          : `segment "${word}" at column ${start + 1} has no "/"`,
        word === '' ? 'a segment is empty' : 'a segment has no "/"',
        'write each segment as kind/name, such as env/production',
      );
      return { segments, any: false, issues };
    }
    const kind = text.slice(start, slash);
    if (!KIND.test(kind)) {
      error(
        start + 1,
        `resource kind "${kind}" at column ${start + 1} is not a word`,
        'a resource kind is not a word',
        'a kind is lower-case letters, digits and -, such as flag',
      );
      return { segments, any: false, issues };
    }
    if (!KINDS.includes(kind)) {
      const guess = closest(kind, KINDS);
      issues.push({
        severity: 'warning',
        code: 'policy.unknown-kind',
        column: start + 1,
        message: `unknown resource kind "${kind}" at column ${start + 1}${guess ? `, did you mean "${guess}"?` : ''}`,
        remedy: guess ? `write ${guess}/...` : `known kinds: ${KINDS.join(', ')}`,
        // No suggestion: one found by closeness to a hidden kind would tell what it is close to.
        masked: { message: 'unknown resource kind', remedy: `known kinds: ${KINDS.join(', ')}` },
      });
    }
    i = slash + 1;
    const nameStart = i;
    while (i < text.length && NAME_CHAR.test(text[i] as string)) i++;
    const name = text.slice(nameStart, i);
    if (name === '') {
      error(
        nameStart + 1,
        `missing name after "${kind}/" at column ${nameStart + 1}`,
        'a segment has no name after its "/"',
        `write ${kind}/* for any, or ${kind}/NAME`,
        'write KIND/* for any, or KIND/NAME',
      );
      return { segments, any: false, issues };
    }
    const tags: string[] = [];
    if (text[i] === ';') {
      i++;
      for (;;) {
        const tagStart = i;
        while (i < text.length && NAME_CHAR.test(text[i] as string)) i++;
        if (i === tagStart) {
          error(
            tagStart + 1,
            `empty tag at column ${tagStart + 1}`,
            'a tag is empty',
            'write tags as ;tag or ;tag1,tag2',
          );
          return { segments, any: false, issues };
        }
        tags.push(text.slice(tagStart, i));
        if (text[i] !== ',') break;
        i++;
      }
    }
    let selector: Segment['selector'];
    if (text[i] === '{') {
      const close = text.indexOf('}', i);
      const body = close === -1 ? '' : text.slice(i + 1, close);
      const sep = body.indexOf(':');
      if (close === -1 || sep <= 0 || sep === body.length - 1) {
        error(
          i + 1,
          `malformed selector at column ${i + 1}`,
          'a selector is malformed',
          'write it as {property:value}',
        );
        return { segments, any: false, issues };
      }
      selector = { property: body.slice(0, sep), value: body.slice(sep + 1) };
      i = close + 1;
    }
    segments.push({ kind, name, tags, ...(selector ? { selector } : {}), column: start + 1 });
    if (i === text.length) break;
    if (text[i] !== ':') {
      error(
        i + 1,
        `unexpected "${text[i]}" at column ${i + 1}`,
        'it holds a character that names and tags may not',
        'names and tags are letters, digits, ".", "_", "-" and *; segments are joined by ":"',
      );
      return { segments, any: false, issues };
    }
    i++;
    if (i === text.length) {
      error(
        i,
        `the specifier ends with ":" at column ${i}`,
        'the specifier ends with ":"',
        'remove the trailing ":" or add a segment',
      );
      return { segments, any: false, issues };
    }
  }
  return { segments, any: false, issues };
}

/** `*` globs: `*` matches any run of characters, everything else literally. */
export function globMatch(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (!pattern.includes('*')) return pattern === value;
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\-]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(value);
}
