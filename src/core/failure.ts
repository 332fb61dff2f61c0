import type { GuardRefusal } from './plan/guards.js';
import { compareProblems, type Problem } from './problem.js';

/**
 * Why a run ended without doing its whole job, as data: the CLI makes one from the error that
 * ended the run (cli/exit.ts), and the reports (Markdown, JSON) render it next to stderr's
 * message. Every text in it is masked: it is printed where a pull request shows it.
 */
export interface RunFailure {
  /**
   * `invalid`: the input is wrong (config, options, saved plan), nothing was sent to change
   * anything; `refused`: a guard or a stale saved plan stopped it; `failed`: LaunchDarkly or
   * something else failed; `incomplete`: some operations of an apply failed; `interrupted`: a
   * signal stopped an apply.
   */
  status: 'invalid' | 'refused' | 'failed' | 'incomplete' | 'interrupted';
  kind: FailureKind;
  /** What went wrong, as standard error says it (without its `error: ` prefix). */
  message: string;
  /** What to do about it, when there is one thing to do. */
  remedy?: string;
  /** The exit code of the run: the README's table. */
  exitCode: number;
  /** The problems that caused it (config errors, ownership), each with its place and remedy. */
  problems: readonly Problem[];
  /**
   * For `guard`: which guard refused, the option that allows what it refused, and how to allow
   * it in words (where the threshold was set, and the option).
   */
  guard?: { name: GuardRefusal['guard']; override: string; allow: string };
  /** For `api`: the request that failed. */
  request?: { method: string; path: string; status?: number; requestId?: string };
}

/** What kind of failure: see the plan schema's description of `error.kind`. */
export const FAILURE_KINDS = [
  'config',
  'ownership',
  'target',
  'settings',
  'input',
  'plan-file',
  'guard',
  'stale-plan',
  'api',
  'apply',
  'interrupted',
  'error',
] as const;

export type FailureKind = (typeof FAILURE_KINDS)[number];

/** What a run's report says besides its plan: why it failed, and the config's problems. */
export interface RunOutcome {
  /** Errors and warnings of the configuration, as read (sorted). */
  problems?: readonly Problem[];
  /** Why the run failed or was refused; absent when it did not. */
  failure?: RunFailure;
}

/** The problems a report lists: the config's and the failure's, each once, sorted by place. */
export function reportProblems(outcome: RunOutcome): Problem[] {
  const seen = new Set<Problem>(outcome.problems ?? []);
  const extra = (outcome.failure?.problems ?? []).filter((p) => !seen.has(p));
  return [...seen, ...extra].sort(compareProblems);
}
