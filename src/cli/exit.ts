import { CommanderError } from 'commander';
import { ApiError } from '../adapters/launchdarkly/errors.js';
import { SettingsError } from '../adapters/launchdarkly/settings.js';
import { escapeControl } from '../core/escape.js';
import type { RunFailure } from '../core/failure.js';
import type { Masker } from '../core/mask.js';
import { formatProblem } from '../core/problem.js';
import {
  ApplyIncompleteError,
  ConfigInvalidError,
  GuardRefusedError,
  InterruptedError,
  OwnershipError,
  PlanFileError,
  StalePlanError,
  UnknownTargetError,
} from '../engine/errors.js';
import { CliError, type CliIO, writeLine } from './io.js';

/** The exit codes of the README: 0 success, 1 error, 2 changes (--detailed-exitcode), 3 refused. */
export const EXIT = { ok: 0, error: 1, changes: 2, refused: 3 } as const;

/** A run stopped by a signal exits as shells expect: 128 + the signal's number. */
export function signalExitCode(signal: 'SIGINT' | 'SIGTERM'): number {
  return signal === 'SIGINT' ? 130 : 143;
}

/** The exit code a failure ends the run with: the README's table, decided here only. */
export function exitCodeOf(e: unknown): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.error;
  if (e instanceof InterruptedError) return signalExitCode(e.signal);
  if (e instanceof GuardRefusedError || e instanceof StalePlanError) return EXIT.refused;
  if (e instanceof CliError) return e.exitCode;
  // Everything else (an invalid config, an API failure, a damaged plan file, failed
  // operations) is an error.
  return EXIT.error;
}

/**
 * The one place where a failure becomes an exit code and a message. Problems a failure carries
 * are printed first, each with its place and remedy.
 */
export function reportFailure(e: unknown, io: CliIO): number {
  // Help and version exit 0; usage errors were already printed by commander.
  if (e instanceof CommanderError) return exitCodeOf(e);
  if (e instanceof ConfigInvalidError || e instanceof OwnershipError) {
    for (const p of e.problems) writeLine(io.stderr, formatProblem(p));
  }
  // Its report was printed already.
  if (e instanceof InterruptedError) return exitCodeOf(e);
  // A message may hold a name or a path from the input: it prints as one line, escaped.
  if (!(e instanceof ApplyIncompleteError))
    writeLine(io.stderr, `error: ${escapeControl(messageOf(e))}`);
  return exitCodeOf(e);
}

const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** An ApiError's or a SettingsError's message ends with its remedy: the report gives the two apart. */
function withoutRemedy(message: string, remedy: string | undefined): string {
  return remedy && (message.endsWith(`; ${remedy}`) || message.endsWith(`: ${remedy}`))
    ? message.slice(0, -remedy.length - 2)
    : message;
}

/**
 * A failure as the plan and apply reports give it (Markdown, JSON): the same message as standard
 * error, what to do, the exit code, and what it carries (problems, the guard, the request).
 * `masker` hides what no report may show (the access token), whatever a message holds.
 */
export function describeFailure(e: unknown, masker: Masker): RunFailure {
  const exitCode = exitCodeOf(e);
  const base = (
    status: RunFailure['status'],
    kind: RunFailure['kind'],
    remedy?: string,
    message = messageOf(e),
  ): RunFailure => ({
    status,
    kind,
    message: masker.text(message),
    ...(remedy ? { remedy: masker.text(remedy) } : {}),
    exitCode,
    problems: [],
  });
  if (e instanceof ConfigInvalidError) {
    return {
      ...base(
        'invalid',
        'config',
        'fix each error at its file:line:col; ldhooks validate shows the same problems, offline and without a token',
      ),
      problems: e.problems,
    };
  }
  if (e instanceof OwnershipError) {
    return { ...base('invalid', 'ownership', 'do as each problem says'), problems: e.problems };
  }
  if (e instanceof UnknownTargetError)
    return base(
      'invalid',
      'target',
      'give --target the name of a webhook as the config writes it, or leave --target out to plan every webhook',
    );
  if (e instanceof SettingsError)
    return base('invalid', 'settings', e.remedy, withoutRemedy(e.message, e.remedy));
  if (e instanceof PlanFileError)
    return base(
      'invalid',
      'plan-file',
      'fix what the error names; a saved plan that cannot be used is made again with ldhooks plan --out FILE, reviewed, then applied',
    );
  if (e instanceof GuardRefusedError) {
    return {
      ...base('refused', 'guard', `if that is what you mean, ${e.refusal.allow}`),
      guard: { name: e.refusal.guard, override: e.refusal.override, allow: e.refusal.allow },
    };
  }
  if (e instanceof StalePlanError) {
    return base('refused', 'stale-plan', 'plan again, and review and apply the new plan');
  }
  if (e instanceof ApiError) {
    return {
      ...base('failed', 'api', e.remedy, withoutRemedy(e.message, e.remedy)),
      request: {
        method: e.method,
        path: masker.text(e.path),
        ...(e.status !== undefined ? { status: e.status } : {}),
        ...(e.requestId ? { requestId: masker.text(e.requestId) } : {}),
      },
    };
  }
  if (e instanceof ApplyIncompleteError) {
    return base(
      'incomplete',
      'apply',
      e.failed === 0 && e.verifyError !== undefined
        ? 'run ldhooks plan: it shows any duplicate another apply created at the same time, and ldhooks apply removes it'
        : 'fix the cause and run ldhooks apply again: it plans from the live state and converges',
    );
  }
  if (e instanceof InterruptedError) {
    return base(
      'interrupted',
      'interrupted',
      'run ldhooks apply again to finish: it plans from the live state and converges',
    );
  }
  if (e instanceof CliError)
    return base(
      exitCode === EXIT.refused ? 'refused' : 'invalid',
      'input',
      e.remedy ?? 'correct the option or setting the error names, then run ldhooks again',
    );
  return base(
    'failed',
    'error',
    'run ldhooks again; if it fails the same way, report the error (it holds no secret)',
  );
}
