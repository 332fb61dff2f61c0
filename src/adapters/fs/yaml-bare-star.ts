import { pointerSegments } from '../../core/pointer.js';

/**
 * `actions: [*]` reads as an alias with no name, not as the text `*`: the YAML parser says only
 * "Alias cannot be an empty string". A `*` that ends where a value ends (before `]`, `,`, `}`,
 * a comment or the end of the line) is almost always meant as "every action" or "every resource".
 */
const BARE_STAR = /^\*[ \t]*(?:[\]},#]|\r?\n|$)/;

export interface BareStar {
  message: string;
  remedy: string;
}

/**
 * The message and remedy for a bare `*` at `offset`, or undefined when it is something else.
 * `pointer` is where the parser placed it, when it did: its key names what `*` means there.
 */
export function bareStar(text: string, offset: number, pointer?: string): BareStar | undefined {
  if (!BARE_STAR.test(text.slice(offset, offset + 80))) return undefined;
  const placed = pointer === undefined ? [] : pointerSegments(pointer);
  const key = placed.findLast((s) => !/^\d+$/.test(s)) ?? enclosingKey(text, offset) ?? 'actions';
  const every = /resources$/i.test(key) ? 'every resource' : 'every action';
  return {
    message: 'a bare * is a YAML alias (a reference to an &anchor), not the text "*"',
    remedy: `quote the *, keeping the other items: ${key}: ["*"] for ${every}`,
  };
}

/** The key whose value holds the `*`: on its line (`key: [*]`), or above a `- *` item. */
function enclosingKey(text: string, offset: number): string | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const before = text.slice(lineStart, offset);
  const inline = /([A-Za-z_][\w-]*)\s*:\s*(?:\[[^\]]*)?$/.exec(before);
  if (inline) return inline[1];
  if (!/^\s*-\s*$/.test(before)) return undefined;
  const above = text.slice(0, lineStart).split('\n').reverse();
  for (const line of above) {
    const m = /^\s*(?:-\s+)?([A-Za-z_][\w-]*)\s*:\s*(?:#.*)?$/.exec(line);
    if (m) return m[1];
    if (!/^\s*(?:-.*)?(?:#.*)?$/.test(line)) return undefined;
  }
  return undefined;
}
