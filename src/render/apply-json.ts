import type { FromSchema } from 'json-schema-to-ts';
import { type RunOutcome, reportProblems } from '../core/failure.js';
import type { Plan, PlanField, PlannedChange } from '../core/model.js';
import { APPLY_FORMAT, APPLY_FORMAT_VERSION, type applyJsonSchema } from './apply-schema.js';
import { failureJson, problemJson } from './json.js';

/** `apply --format json` (schemas/apply.schema.json). */
export type ApplyJson = FromSchema<typeof applyJsonSchema>;
type OperationJson = ApplyJson['operations'][number];

/** One finished operation, as the engine reports it (engine/apply.ts OperationResult). */
export interface FinishedOperation {
  change: PlannedChange;
  id?: string;
  error?: string;
  repaired?: readonly PlanField[];
  alreadyGone?: boolean;
}

/** What an apply did, as the engine reports it (engine/apply.ts ApplyReport). */
export interface AppliedReport {
  results: readonly FinishedOperation[];
  notStarted: readonly PlannedChange[];
  removedCopies: readonly { name: string; id: string; error?: string }[];
  verifyError?: string;
}

/** An apply run, as far as it got: its plan, what it did, why it stopped. */
export interface ApplyRunView extends RunOutcome {
  /** The plan, when one was made. */
  plan?: Plan;
  /** What apply did, when it started applying. */
  report?: AppliedReport;
  /** Without a plan: the operations of a saved plan refused as stale, listed as skipped. */
  reviewed?: readonly { action: Action; name: string; id: string | null }[];
}

type Action = OperationJson['action'];

function skipped(action: Action, name: string, id: string | null): OperationJson {
  return { action, name, id, outcome: 'skipped', error: null, already_gone: false, repaired: [] };
}

function operationJson(
  change: PlannedChange,
  action: Action,
  report: AppliedReport | undefined,
): OperationJson {
  const done = report?.results.find((r) => r.change === change);
  const notStarted = report?.notStarted.includes(change) ?? false;
  const outcome: OperationJson['outcome'] = done
    ? done.error === undefined
      ? 'applied'
      : 'failed'
    : notStarted
      ? 'not-started'
      : 'skipped';
  return {
    action,
    name: change.name,
    id: done?.id ?? change.id ?? null,
    outcome,
    error: done?.error ?? null,
    already_gone: done?.alreadyGone ?? false,
    repaired: [...(done?.repaired ?? [])],
  };
}

/**
 * The apply report, with a fixed key order and the operations in the plan's order (never in the
 * order they finished), so that the same run gives the same document. Pure.
 */
export function toApplyJson(run: ApplyRunView, ldhooksVersion: string): ApplyJson {
  const operations = run.plan
    ? run.plan.changes.flatMap((c) =>
        c.operation ? [operationJson(c, c.operation.action, run.report)] : [],
      )
    : (run.reviewed ?? []).map((o) => skipped(o.action, o.name, o.id));
  const by = (outcome: OperationJson['outcome'], action?: Action) =>
    operations.filter((o) => o.outcome === outcome && (!action || o.action === action)).length;
  return {
    format: APPLY_FORMAT,
    format_version: APPLY_FORMAT_VERSION,
    ldhooks_version: ldhooksVersion,
    status: run.failure?.status ?? 'applied',
    exit_code: run.failure?.exitCode ?? 0,
    error: failureJson(run.failure),
    problems: reportProblems(run).map(problemJson),
    summary: {
      operations: operations.length,
      applied: by('applied'),
      failed: by('failed'),
      not_started: by('not-started'),
      skipped: by('skipped'),
      created: by('applied', 'create'),
      updated: by('applied', 'update'),
      deleted: by('applied', 'delete'),
    },
    operations,
    removed_copies: (run.report?.removedCopies ?? []).map((c) => ({
      name: c.name,
      id: c.id,
      error: c.error ?? null,
    })),
    verify_error: run.report?.verifyError ?? null,
  };
}

export function renderApplyJson(run: ApplyRunView, ldhooksVersion: string): string {
  return `${JSON.stringify(toApplyJson(run, ldhooksVersion), null, 2)}\n`;
}
