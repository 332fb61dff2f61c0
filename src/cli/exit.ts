import { CommanderError } from 'commander';
import { formatProblem } from '../core/problem.js';
import {
  ApplyIncompleteError,
  ConfigInvalidError,
  GuardRefusedError,
  InterruptedError,
  OwnershipError,
  StalePlanError,
} from '../engine/errors.js';
import { CliError, type CliIO, writeLine } from './io.js';

/** The exit codes of the README: 0 success, 1 error, 2 changes (--detailed-exitcode), 3 refused. */
export const EXIT = { ok: 0, error: 1, changes: 2, refused: 3 } as const;

/** A run stopped by a signal exits as shells expect: 128 + the signal's number. */
export function signalExitCode(signal: 'SIGINT' | 'SIGTERM'): number {
  return signal === 'SIGINT' ? 130 : 143;
}

/**
 * The one place where a failure becomes an exit code and a message. Problems a failure carries
 * are printed first, each with its place and remedy.
 */
export function reportFailure(e: unknown, io: CliIO): number {
  if (e instanceof CommanderError) {
    // Help and version exit 0; usage errors were already printed by commander.
    return e.exitCode === 0 ? EXIT.ok : EXIT.error;
  }
  if (e instanceof ConfigInvalidError || e instanceof OwnershipError) {
    for (const p of e.problems) writeLine(io.stderr, formatProblem(p));
  }
  // Its report was printed already.
  if (e instanceof InterruptedError) return signalExitCode(e.signal);
  const message = e instanceof Error ? e.message : String(e);
  if (!(e instanceof ApplyIncompleteError)) writeLine(io.stderr, `error: ${message}`);
  if (e instanceof GuardRefusedError || e instanceof StalePlanError) return EXIT.refused;
  if (e instanceof CliError) return e.exitCode;
  // Everything else (an invalid config, an API failure, a damaged plan file, failed
  // operations) is an error.
  return EXIT.error;
}
