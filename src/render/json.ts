import type { FromSchema } from 'json-schema-to-ts';
import type { Mask } from '../core/mask.js';
import type { Change, Plan } from '../core/model.js';
import type { Problem } from '../core/problem.js';
import { PLAN_FORMAT, PLAN_FORMAT_VERSION, planJsonSchema as schema } from './plan-schema.js';

// The types come from the schema. Masks are recursive, which the type derivation cannot follow:
// at the type level they are left open and typed as Mask below.
const open = {} as const;
const change = schema.properties.changes.items;
const typed = {
  ...schema,
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

/** The plan in its versioned JSON form, with a fixed key order. Pure. */
export function toPlanJson(plan: Plan, ldhooksVersion: string): PlanJson {
  return {
    format: PLAN_FORMAT,
    format_version: PLAN_FORMAT_VERSION,
    ldhooks_version: ldhooksVersion,
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
export function renderJson(plan: Plan, ldhooksVersion: string): string {
  return `${JSON.stringify(toPlanJson(plan, ldhooksVersion), null, 2)}\n`;
}

/** `validate --format json`. */
export function renderProblemsJson(result: {
  files: string[];
  webhooks: number;
  problems: readonly Problem[];
  /** With --allow-missing-env: the variables that were not set. */
  unsetVariables?: readonly string[];
}): string {
  const valid = !result.problems.some((p) => p.severity === 'error');
  return `${JSON.stringify(
    {
      format_version: 1,
      valid,
      files: result.files,
      webhooks: result.webhooks,
      problems: result.problems.map((p) => ({
        severity: p.severity,
        code: p.code,
        file: p.file,
        line: p.line,
        column: p.col,
        path: p.path,
        message: p.message,
        remedy: p.remedy ?? null,
      })),
      ...(result.unsetVariables ? { unset_variables: result.unsetVariables } : {}),
    },
    null,
    2,
  )}\n`;
}
