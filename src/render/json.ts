import type { Plan } from '../core/model.js';
import { toPlanJson } from '../core/plan/plan-file.js';
import type { Problem } from '../core/problem.js';

/** `plan --format json`: the versioned plan (schemas/plan.schema.json). Pure. */
export function renderJson(plan: Plan, ldhooksVersion: string): string {
  return `${JSON.stringify(toPlanJson(plan, ldhooksVersion), null, 2)}\n`;
}

/** `validate --format json`. */
export function renderProblemsJson(result: {
  files: string[];
  webhooks: number;
  problems: readonly Problem[];
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
    },
    null,
    2,
  )}\n`;
}
