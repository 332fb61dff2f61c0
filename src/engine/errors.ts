import type { GuardRefusal } from '../core/plan/guards.js';
import { describeUnknownTargets, type UnknownTarget } from '../core/plan/targets.js';
import type { Problem } from '../core/problem.js';

/**
 * The failures a run can end with, as types: the CLI maps each to its exit code in one place
 * (cli/exit.ts). Messages hold no sensitive value.
 */

/**
 * The configuration has errors: nothing was sent. Exit 1. `problems` holds every problem
 * (errors and warnings), each with its file, line, column, path in the document, message and
 * remedy, sorted by place; none holds a value from the environment.
 */
export class ConfigInvalidError extends Error {
  constructor(
    readonly problems: readonly Problem[],
    message = 'the configuration is not valid; nothing was sent to LaunchDarkly (ldhooks validate shows the same problems)',
  ) {
    super(message);
    this.name = 'ConfigInvalidError';
  }
}

/**
 * The plan would touch webhooks ldhooks does not own, or cannot tell apart. Exit 1. `problems`
 * says which, each with the option that settles it (`adopt`, `takeoverFrom`).
 */
export class OwnershipError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(
      'cannot plan: ldhooks would have to change webhooks it does not own, or cannot tell them apart',
    );
    this.name = 'OwnershipError';
  }
}

/**
 * A --target names no declared or managed webhook: a typo, so nothing is planned. Exit 1.
 * `targets` holds each unknown name, with the closest known one as a suggestion.
 */
export class UnknownTargetError extends Error {
  constructor(readonly targets: readonly UnknownTarget[]) {
    super(describeUnknownTargets(targets));
    this.name = 'UnknownTargetError';
  }
}

/** A safety guard refused the finished plan; `refusal` says which and how to override it. Exit 3. */
export class GuardRefusedError extends Error {
  constructor(readonly refusal: GuardRefusal) {
    super(`guard ${refusal.guard}: ${refusal.message}`);
    this.name = 'GuardRefusedError';
  }
}

/** An operation of a reviewed saved plan, as the plan showed it. */
export interface ReviewedOperation {
  action: 'create' | 'update' | 'delete';
  /** The webhook's name as the plan shows it (a value from the environment as its template). */
  name: string;
  /** LaunchDarkly's id, for an update or a delete. */
  id: string | null;
}

/**
 * A saved plan no longer matches LaunchDarkly or the environment. Exit 3. `operations` lists
 * what the reviewed plan would have done, none of it done (the apply report lists them as
 * skipped).
 */
export class StalePlanError extends Error {
  constructor(
    message: string,
    readonly operations: readonly ReviewedOperation[] = [],
  ) {
    super(message);
    this.name = 'StalePlanError';
  }
}

/** A saved plan that cannot be used: unreadable, corrupt, foreign, or unresolvable. Exit 1. */
export class PlanFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanFileError';
  }
}

/**
 * Some operations of an apply failed (`failed` says how many); the others were done. Or every
 * one was done, but the re-list that checks the creates for duplicates failed (`verifyError`
 * says why): nothing half-done ends as a success. Exit 1.
 */
export class ApplyIncompleteError extends Error {
  constructor(
    readonly failed: number,
    readonly verifyError?: string,
  ) {
    super(
      failed > 0 || verifyError === undefined
        ? `${failed} operation${failed === 1 ? '' : 's'} failed`
        : `the changes were made, but the creates could not be checked for duplicates: the list after them failed (${verifyError})`,
    );
    this.name = 'ApplyIncompleteError';
  }
}

/** The run was asked to stop by `signal` (SIGINT, SIGTERM): in-flight operations finished. Exit 130 / 143. */
export class InterruptedError extends Error {
  constructor(readonly signal: 'SIGINT' | 'SIGTERM') {
    super(`stopped by ${signal}`);
    this.name = 'InterruptedError';
  }
}
