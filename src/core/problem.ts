import { inertLine } from './escape.js';

/** An error stops the run before any request; a warning is shown and the run goes on. */
export type Severity = 'error' | 'warning';

/**
 * A problem found in the configuration: data, so that the CLI (or a library caller) decides how
 * to show it. It never holds a value from the environment. `formatProblem` writes it as
 * `file:line:col  path  message  (remedy)`.
 */
export interface Problem {
  /** An error stops the run; a warning does not. */
  severity: Severity;
  /** Stable identifier, for example `schema.unknown-key` or `config.duplicate-name`. */
  code: string;
  /** The file as the user named it (relative to the working directory where possible). */
  file: string;
  /** 1-based line and column; 0 when the problem concerns the file as a whole. */
  line: number;
  col: number;
  /** Where in the document: `webhooks[2].url`; empty for the document itself. */
  path: string;
  /** What is wrong. */
  message: string;
  /** What to do about it, where there is one thing to do. */
  remedy?: string;
}

export interface Position {
  line: number;
  col: number;
}

/**
 * `file:line:col  webhooks[2].url  message  (remedy)`, as one inert line: a file name, key or
 * name from the config shows with its control characters escaped (`\n`, `\u001b`), and never
 * as a CI runner's command (`::error::`), so it can be printed to a terminal or a CI log as is.
 */
export function formatProblem(p: Problem): string {
  const level = p.severity === 'warning' ? 'warning: ' : '';
  const remedy = p.remedy ? `  (${p.remedy})` : '';
  if (p.line === 0) return inertLine(`${p.file}  ${level}${p.message}${remedy}`);
  return inertLine(
    `${p.file}:${p.line}:${p.col}  ${p.path || '(document)'}  ${level}${p.message}${remedy}`,
  );
}

export function compareProblems(a: Problem, b: Problem): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  return (
    a.line - b.line || a.col - b.col || (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}
