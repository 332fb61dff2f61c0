import { parentPointer } from './pointer.js';
import type { Position } from './problem.js';

/** Positions by JSON Pointer; the fs adapter computes line and column only when asked. */
export interface PositionLookup {
  get(pointer: string): Position | undefined;
}

/**
 * One YAML document after parsing and `${NAME}` interpolation, with the position of every
 * value and key, keyed by JSON Pointer. The fs adapter produces it; the core only reads it.
 */
export interface SourceDocument {
  file: string;
  /** 0-based index of the document inside its file (files may hold several). */
  index: number;
  value: unknown;
  /** Position of each value (`''` is the document root). */
  values: PositionLookup;
  /** Position of each mapping key, keyed by the pointer of the value it introduces. */
  keys: PositionLookup;
  /** Pointers of values that came, wholly or partly, from the environment. */
  sensitive: ReadonlySet<string>;
  /** The text as written (with its `${NAME}` references) of each value that came from the environment. */
  templates: ReadonlyMap<string, string>;
  /** Where the characters of a string value start, when the source spells it verbatim on one line. */
  strings: PositionLookup;
  /** Pointers of values whose `${NAME}` could not be resolved: already reported, not re-checked. */
  unresolved: ReadonlySet<string>;
}

/** The position of a value, else of its key, else of its nearest located ancestor. */
export function positionOf(doc: SourceDocument, pointer: string, preferKey = false): Position {
  let p: string | undefined = pointer;
  for (;;) {
    const found = preferKey
      ? (doc.keys.get(p) ?? doc.values.get(p))
      : (doc.values.get(p) ?? doc.keys.get(p));
    if (found) return found;
    if (p === '') return { line: 1, col: 1 };
    p = parentPointer(p);
  }
}

export function isSensitive(doc: SourceDocument, pointer: string): boolean {
  if (doc.sensitive.size === 0) return false;
  if (doc.sensitive.has(pointer)) return true;
  const prefix = `${pointer}/`;
  for (const s of doc.sensitive) if (s.startsWith(prefix)) return true;
  return false;
}
