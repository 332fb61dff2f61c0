import type { VariableRead } from './config/interpolate.js';
import type { Position } from './problem.js';

/**
 * One YAML document after parsing and `${NAME}` interpolation. Everything about a value is asked
 * for by JSON Pointer (`''` is the root) and worked out only when asked: most values never have
 * a problem. The fs adapter produces it; the core only reads it.
 */
export interface SourceDocument {
  readonly file: string;
  /** 0-based index of the document inside its file (files may hold several). */
  readonly index: number;
  /** The plain value, `${NAME}` references replaced. */
  readonly value: unknown;
  /**
   * Where the value at `pointer` is written, else its key (the key first with `preferKey`),
   * else its nearest located ancestor; `{ line: 1, col: 1 }` when nothing is located.
   */
  locate(pointer: string, preferKey?: boolean): Position;
  /** Whether the value at `pointer`, or anything under it, came wholly or partly from the environment. */
  isSensitive(pointer: string): boolean;
  /** For a string that came from the environment: its text as written, `${NAME}` references and all. */
  templateOf(pointer: string): string | undefined;
  /**
   * For a string that came from the environment: the variables it read, each with whether it
   * was empty or only whitespace (never the value); empty for any other value.
   */
  variablesOf(pointer: string): readonly VariableRead[];
  /** Whether a `${NAME}` in this value could not be resolved: already reported, not re-checked. */
  isUnresolved(pointer: string): boolean;
  /**
   * Where the characters of a string value start, when the source spells it verbatim on one line
   * and it does not come from the environment: lets a problem inside the string point at its column.
   */
  stringStart(pointer: string): Position | undefined;
}
