import type { Clock } from '../adapters/launchdarkly/pacer.js';

/** What a command may touch: injected so that commands stay testable and never reach for globals. */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** Where SIGINT and SIGTERM arrive (the process, in production). */
  signals: NodeJS.EventEmitter;
  /** The time for waits, retries and rate-limit windows; the system clock when absent. */
  clock?: Clock;
}

/** An error the CLI reports as one message with an exit code; never a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function writeLine(stream: NodeJS.WritableStream, line = ''): void {
  stream.write(`${line}\n`);
}
