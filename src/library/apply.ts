import { Masker } from '../core/mask.js';
import type { Plan } from '../core/model.js';
import { checkOptions, isFunction, isNumberIn, kindOf, type OptionCheck } from '../core/options.js';
import type { WebhooksPort } from '../core/port.js';
import {
  type ApplyReport,
  apply as applyPlan,
  type ApplyOptions as EngineApplyOptions,
} from '../engine/apply.js';
import { assertGuards, type PlanRun } from '../engine/plan.js';
import { checkPort } from './plan.js';

/** Operations in flight at once when none is given: the CLI's `--parallelism` default. */
export const DEFAULT_PARALLELISM = 4;
/** The most operations in flight at once, as `--parallelism` allows. */
const MAX_PARALLELISM = 64;

/**
 * How {@link apply} applies: the engine's apply options, every one optional.
 *
 * - `parallelism`: operations in flight at once, a whole number from 1 to 64 (default 4), as
 *   `--parallelism`;
 * - `masker`: what error messages must not show. Default: the plan run's own;
 * - `onResult`: called once per finished operation, in completion order (progress);
 * - `shouldStop`: asked before each operation starts; once it says stop, no new operation
 *   starts and those in flight finish (for SIGINT handling);
 * - `generateSecret`: makes the secret of a webhook signed without a declared one.
 */
export type ApplyOptions = Partial<EngineApplyOptions>;

/** Every option of {@link apply}, checked at the entry. */
const APPLY_OPTIONS: Record<keyof ApplyOptions, OptionCheck> = {
  parallelism: isNumberIn(1, MAX_PARALLELISM, true),
  masker: (v, name) =>
    v instanceof Masker ? undefined : new TypeError(`${name} must be a Masker, not ${kindOf(v)}`),
  onResult: isFunction,
  generateSecret: isFunction,
  shouldStop: isFunction,
};

/** The plan argument: what `plan` returned, or its `plan`. */
function checkPlanned(planned: unknown): void {
  const p = planned as { plan?: { changes?: unknown }; changes?: unknown } | null;
  if (
    typeof p === 'object' &&
    p !== null &&
    (Array.isArray(p.changes) || Array.isArray(p.plan?.changes))
  )
    return;
  throw new TypeError(
    `apply: planned must be what plan returned (or its plan), not ${kindOf(planned)}; the order is apply(webhooks, run, options)`,
  );
}

/** A plan run (from `plan`), rather than a bare plan. */
const isRun = (p: PlanRun | Plan): p is PlanRun => 'plan' in p && 'config' in p;

/**
 * Applies a plan, as `ldhooks apply` does after the plan is approved: one request per changed
 * webhook (POST to create, one JSON Patch per update, DELETE to delete), deletes and updates
 * before creates, then one list to verify the creates. A failed operation does not stop the
 * others: the report says what failed, and applying a fresh plan again converges.
 *
 * @param webhooks - the `WebhooksPort` the plan was made against (a `LaunchDarklyClient`).
 * @param planned - the run {@link plan} returned; a bare `Plan` is applied without its guard
 *   check and, unless `options.masker` is given, without masking of error messages.
 * @param options - see {@link ApplyOptions}; all optional.
 * @returns the report, as data: `created`, `updated`, `deleted`, the `failed` operations (each
 *   with its masked `error`), and every operation's `results`. It does not throw for a failed
 *   operation: check `report.failed.length`.
 * @throws `TypeError` or `RangeError` before any request, for an argument or an option of the
 *   wrong type or out of range (a `parallelism` that is not a whole number from 1 to 64).
 * @throws `GuardRefusedError` before any request when a guard refused the plan run
 *   (`run.refusal`): too many deletions, or deleting everything because the config is empty.
 *
 * @example
 * ```ts
 * const run = await plan(config, launchDarkly);
 * const report = await apply(launchDarkly, run, { onResult: (r) => console.log(r.action, r.change.name) });
 * if (report.failed.length > 0) process.exitCode = 1;
 * ```
 */
export async function apply(
  webhooks: WebhooksPort,
  planned: PlanRun | Plan,
  options: ApplyOptions = {},
): Promise<ApplyReport> {
  checkPort('apply', webhooks);
  checkPlanned(planned);
  checkOptions('apply', options, APPLY_OPTIONS);
  const run = isRun(planned) ? planned : undefined;
  if (run) assertGuards(run);
  return applyPlan(webhooks, run ? run.plan : (planned as Plan), {
    ...options,
    parallelism: options.parallelism ?? DEFAULT_PARALLELISM,
    masker: options.masker ?? run?.masker ?? new Masker([]),
  });
}
