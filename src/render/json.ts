import type { FromSchema } from 'json-schema-to-ts';
import { type RunFailure, type RunOutcome, reportProblems } from '../core/failure.js';
import type { Mask } from '../core/mask.js';
import type { Change, Plan } from '../core/model.js';
import type { Problem } from '../core/problem.js';
import {
  type failureSchema,
  PLAN_FIELDS,
  PLAN_FORMAT,
  PLAN_FORMAT_VERSION,
  type problemSchema,
  planJsonSchema as schema,
} from './plan-schema.js';
import { VALIDATE_FORMAT, VALIDATE_FORMAT_VERSION } from './validate-schema.js';

// The types come from the schema. Masks are recursive, which the type derivation cannot follow:
// at the type level they are left open and typed as Mask below. The type is that of a document
// with a plan (the schema's conditions, which make the plan's fields required, are left out).
const open = {} as const;
const change = schema.properties.changes.items;
const { allOf: _conditions, ...base } = schema;
const typed = {
  ...base,
  required: [...base.required, ...PLAN_FIELDS],
  properties: {
    ...schema.properties,
    changes: {
      ...schema.properties.changes,
      items: {
        ...change,
        properties: {
          ...change.properties,
          before_sensitive: open,
          after_sensitive: open,
          patch_sensitive: open,
          fields: {
            ...change.properties.fields,
            items: {
              ...change.properties.fields.items,
              properties: {
                ...change.properties.fields.items.properties,
                before_sensitive: open,
                after_sensitive: open,
              },
            },
          },
        },
      },
    },
  },
} as const;

/** The plan as JSON (`plan --format json`); a saved plan adds its `saved` section. */
export type PlanJson = FromSchema<typeof typed>;
export type ChangeJson = PlanJson['changes'][number];
type PlanField = (typeof PLAN_FIELDS)[number];
/** The report of a plan run, which has the plan's fields only when a plan was made. */
export type PlanReportJson = Omit<PlanJson, PlanField> & Partial<Pick<PlanJson, PlanField>>;
export type ProblemJson = FromSchema<typeof problemSchema>;
export type FailureJson = FromSchema<typeof failureSchema>;

export function problemJson(p: Problem): ProblemJson {
  return {
    severity: p.severity,
    code: p.code,
    file: p.file,
    line: p.line,
    column: p.col,
    path: p.path,
    message: p.message,
    remedy: p.remedy ?? null,
  };
}

/** A run's failure as its reports give it; null when the run did not fail. */
export function failureJson(f: RunFailure | undefined): FailureJson {
  if (!f) return null;
  return {
    kind: f.kind,
    message: f.message,
    remedy: f.remedy ?? null,
    exit_code: f.exitCode,
    guard: f.guard ? { name: f.guard.name, override: f.guard.override } : null,
    request: f.request
      ? {
          method: f.request.method,
          path: f.request.path,
          status: f.request.status ?? null,
          request_id: f.request.requestId ?? null,
        }
      : null,
  };
}

/** A plan report's status: a plan run never ends incomplete or interrupted. */
function planStatus(f: RunFailure | undefined): PlanJson['status'] {
  if (!f) return 'ok';
  return f.status === 'invalid' || f.status === 'refused' ? f.status : 'failed';
}

function reportHead(outcome: RunOutcome, ldhooksVersion: string): Omit<PlanJson, PlanField> {
  return {
    format: PLAN_FORMAT,
    format_version: PLAN_FORMAT_VERSION,
    ldhooks_version: ldhooksVersion,
    status: planStatus(outcome.failure),
    error: failureJson(outcome.failure),
    problems: reportProblems(outcome).map(problemJson),
  };
}

const maskJson = (m: Mask): Mask => m;

function changeJson(c: Change): ChangeJson {
  return {
    name: c.name,
    id: c.id ?? null,
    actions: [c.action],
    reason: c.reason,
    before: (c.before ?? null) as ChangeJson['before'],
    after: (c.after ?? null) as ChangeJson['after'],
    before_sensitive: maskJson(c.beforeMask),
    after_sensitive: maskJson(c.afterMask),
    fields: c.fields.map((f) => ({
      field: f.field,
      before: f.before,
      after: f.after,
      before_sensitive: f.beforeMask,
      after_sensitive: f.afterMask,
    })),
    patch: c.patch,
    patch_sensitive: c.patchMask,
    taken_over_from: c.takenOverFrom ?? null,
  };
}

/**
 * The plan in its versioned JSON form, with a fixed key order, and what else the run says (its
 * config's problems; a guard's refusal). Pure.
 */
export function toPlanJson(plan: Plan, ldhooksVersion: string, outcome: RunOutcome = {}): PlanJson {
  return {
    ...reportHead(outcome, ldhooksVersion),
    summary: {
      create: plan.summary.create,
      update: plan.summary.update,
      delete: plan.summary.delete,
      no_op: plan.summary.noop,
      unmanaged: plan.summary.unmanaged,
    },
    managed: plan.managed,
    owner_tags: plan.ownerTags,
    targets: plan.targets ?? null,
    changes: plan.changes.map(changeJson),
    unmanaged: plan.unmanaged.map((u) => ({ id: u.id, name: u.name, owner: u.owner })),
  };
}

/** `plan --format json`: the versioned plan (schemas/plan.schema.json). Pure. */
export function renderJson(plan: Plan, ldhooksVersion: string, outcome: RunOutcome = {}): string {
  return `${JSON.stringify(toPlanJson(plan, ldhooksVersion, outcome), null, 2)}\n`;
}

/**
 * `plan --format json` of any run: the plan when one was made, else the report of why not (the
 * same document, without the plan's fields). Pure.
 */
export function toPlanReportJson(
  plan: Plan | undefined,
  ldhooksVersion: string,
  outcome: RunOutcome,
): PlanReportJson {
  return plan ? toPlanJson(plan, ldhooksVersion, outcome) : reportHead(outcome, ldhooksVersion);
}

export function renderPlanReportJson(
  plan: Plan | undefined,
  ldhooksVersion: string,
  outcome: RunOutcome,
): string {
  return `${JSON.stringify(toPlanReportJson(plan, ldhooksVersion, outcome), null, 2)}\n`;
}

/** `validate --format json`, versioned as the plan and apply reports are (validate-schema.ts). */
export function renderProblemsJson(
  result: {
    files: string[];
    webhooks: number;
    problems: readonly Problem[];
    /** With --allow-missing-env: the variables that were not set. */
    unsetVariables?: readonly string[];
  },
  ldhooksVersion: string,
): string {
  const valid = !result.problems.some((p) => p.severity === 'error');
  return `${JSON.stringify(
    {
      format: VALIDATE_FORMAT,
      format_version: VALIDATE_FORMAT_VERSION,
      ldhooks_version: ldhooksVersion,
      valid,
      files: result.files,
      webhooks: result.webhooks,
      problems: result.problems.map(problemJson),
      ...(result.unsetVariables ? { unset_variables: result.unsetVariables } : {}),
    },
    null,
    2,
  )}\n`;
}
