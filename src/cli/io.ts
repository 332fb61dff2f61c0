import type { FsReader } from '../adapters/fs/fs-reader.js';
import { inertText } from '../core/escape.js';
import type { Clock } from '../core/port.js';
import { formatProblem, type Problem } from '../core/problem.js';

/** What a command may touch: injected so that commands stay testable and never reach for globals. */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Where SIGINT and SIGTERM arrive (the process, in production). */
  signals: NodeJS.EventEmitter;
  /** Ends the process at once (a second SIGINT during apply); process.exit unless a test gives its own. */
  exit?: (code: number) => void;
  /** Time for waits and retries; the system clock unless a test gives its own. */
  clock?: Clock;
  /** How files the user names are read; Node's unless a test swaps a file as it is read. */
  fs?: FsReader;
}

/** An error the CLI reports as one message with an exit code; never a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 1,
    /** What to do, when the message does not say it: the reports' "What to do". */
    readonly remedy?: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * Writes a line (or several) to a terminal or a log, made inert: whatever a value in it holds,
 * every control character but the line breaks shows escaped, and no line reads as a CI runner's
 * command (`::error::`, `##[warning]`). Values are escaped where they are put in a line too, so
 * that a newline in a name shows as `\n` rather than starting a line.
 */
export function writeLine(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(`${inertText(line)}\n`);
}

/**
 * A whole document (a Markdown or JSON report) made inert as {@link writeLine} makes a line: in
 * JSON the escapes read as the same characters, so the document means what it meant.
 */
export function writeDocument(stream: NodeJS.WritableStream, text: string): void {
  stream.write(inertText(text));
}

/** Each problem on its own line of stderr, with its place and remedy. */
export function printProblems(problems: readonly Problem[], io: CliIO): void {
  for (const p of problems) writeLine(io.stderr, formatProblem(p));
}
