import { randomBytes } from 'node:crypto';
import type { Masker } from '../core/mask.js';
import type { LiveWebhook, Operation, Plan, PlanField, PlannedChange } from '../core/model.js';
import { compareWebhook, patchToSend } from '../core/plan/compare.js';
import { splitCopies } from '../core/plan/duplicates.js';
import { isManagedBy } from '../core/plan/plan.js';
import type { WebhooksPort } from '../core/port.js';

/** One finished operation of an apply: what was done to which webhook, and how it went. */
export interface OperationResult {
  /** The change as the plan showed it (its name is masked where it must be). */
  change: PlannedChange;
  /** `create`, `update` or `delete`. */
  action: Operation['action'];
  /** LaunchDarkly's id: the created one for a create. */
  id?: string;
  /** The webhook after the operation (absent for a delete). */
  webhook?: LiveWebhook;
  /** What went wrong, masked. */
  error?: string;
  /** For a create: fields LaunchDarkly did not take, patched afterwards. */
  repaired?: PlanField[];
  /** For a delete: the webhook was gone already (LaunchDarkly answered 404). */
  alreadyGone?: boolean;
}

/** How the engine's {@link apply} runs: its concurrency, masking, progress and stopping. */
export interface ApplyOptions {
  parallelism: number;
  /** Masks what an error message might carry (a server may echo what it was sent). */
  masker: Masker;
  /** Called once per finished operation, in completion order: progress. */
  onResult?: (result: OperationResult) => void;
  /** Generates a secret for a webhook that is signed without a declared one. */
  generateSecret?: () => string;
  /**
   * Asked before each operation starts: once it says stop, no new operation starts and those
   * in flight finish as a whole (a create and the patch that repairs it).
   */
  shouldStop?: () => boolean;
}

/** A copy another run created at the same moment, removed after the creates were verified. */
export interface RemovedCopy {
  /** The webhook's name, as the plan shows it. */
  name: string;
  /** LaunchDarkly's id of the copy. */
  id: string;
  /** Why it could not be removed (masked), when it could not. */
  error?: string;
}

/** The outcome of an apply, as data: the CLI renders it. */
export interface ApplyReport {
  /** Every operation that ran, in completion order. */
  results: OperationResult[];
  /** Webhooks created, updated and deleted without error. */
  created: number;
  updated: number;
  deleted: number;
  /** The operations that failed, each with its `error` (masked): the others were done. */
  failed: OperationResult[];
  /** Planned changes never started because the run was asked to stop. */
  notStarted: PlannedChange[];
  /** Identical copies of what this run created, made by a run at the same time, removed. */
  removedCopies: RemovedCopy[];
  /** Why the creates could not be verified by a re-list, if they could not. */
  verifyError?: string;
}

const newSecret = () => randomBytes(16).toString('hex');

/**
 * Applies a plan with bounded concurrency: deletes and updates first, then creates, so that a
 * name is free before it is created again. A failed operation does not stop the others.
 */
export async function apply(
  port: WebhooksPort,
  plan: Plan,
  options: ApplyOptions,
): Promise<ApplyReport> {
  if (!Number.isInteger(options.parallelism) || options.parallelism < 1) {
    // NaN or 0 would start no worker at all, and report an apply that did nothing as done.
    throw new RangeError(
      `apply: parallelism must be a whole number of 1 or more, not ${options.parallelism}`,
    );
  }
  const work = plan.changes.filter((c) => c.operation !== undefined);
  const results: OperationResult[] = [];
  const notStarted: PlannedChange[] = [];
  const first = work.filter((c) => c.operation?.action !== 'create');
  const creates = work.filter((c) => c.operation?.action === 'create');
  for (const batch of [first, creates]) {
    await pool(batch, options.parallelism, async (change) => {
      if (options.shouldStop?.()) {
        notStarted.push(change);
        return;
      }
      const result = await runOne(port, change, options);
      results.push(result);
      options.onResult?.(result);
    });
  }
  const ok = (a: Operation['action']) => results.filter((r) => !r.error && r.action === a).length;
  const verified = await verifyCreates(port, results, options.masker);
  return {
    results,
    created: ok('create'),
    updated: ok('update'),
    deleted: ok('delete'),
    failed: results.filter((r) => r.error !== undefined),
    notStarted,
    ...verified,
  };
}

/**
 * Creates are verified with one re-list: another apply of the same config at the same moment
 * creates the same webhooks, and POST has no precondition. Identical copies are resolved as
 * every plan resolves them (the smallest id stays, see splitCopies), so both runs keep the same
 * one and a copy already removed by the other run counts as removed.
 */
async function verifyCreates(
  port: WebhooksPort,
  results: readonly OperationResult[],
  masker: Masker,
): Promise<Pick<ApplyReport, 'removedCopies' | 'verifyError'>> {
  const created = results.filter((r) => r.action === 'create' && !r.error);
  if (created.length === 0) return { removedCopies: [] };
  let live: LiveWebhook[];
  try {
    live = await port.list();
  } catch (e) {
    return { removedCopies: [], verifyError: masker.text(errorText(e)) };
  }
  const removedCopies: RemovedCopy[] = [];
  for (const r of created) {
    const operation = r.change.operation;
    if (operation?.action !== 'create') continue;
    const { name } = operation.desired;
    const sameName = live.filter(
      (l) => l.name === name && isManagedBy(l, [operation.desired.ownerTag]),
    );
    for (const copy of sameName.length > 1
      ? (splitCopies(sameName, operation.desired)?.copies ?? [])
      : []) {
      const removed: RemovedCopy = { name: r.change.name, id: copy.id };
      try {
        await port.remove(copy.id);
      } catch (e) {
        // A copy the other run removed first is not an error: the port answers alreadyGone.
        removed.error = masker.text(errorText(e));
      }
      removedCopies.push(removed);
    }
  }
  return { removedCopies };
}

/**
 * A create whose repair failed left a webhook without what LaunchDarkly did not take, maybe its
 * owner tag: no later run would recognise it as its own. It is removed again, so that the next
 * apply creates it afresh and converges.
 */
async function undoCreate(
  port: WebhooksPort,
  id: string,
  fields: readonly PlanField[],
  cause: unknown,
  options: ApplyOptions,
): Promise<string> {
  const why = `created it, but could not then set ${fields.join(', ')}, which LaunchDarkly did not take on create (${errorText(cause)})`;
  try {
    await port.remove(id);
    return options.masker.text(`${why}; removed it again, so the next apply creates it afresh`);
  } catch (e) {
    return options.masker.text(
      `${why}; could not remove it either (${errorText(e)}): it may lack its owner tag, so adopt it (adopt: true or --adopt) or delete webhook ${id} by hand`,
    );
  }
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e));

async function runOne(
  port: WebhooksPort,
  change: PlannedChange,
  options: ApplyOptions,
): Promise<OperationResult> {
  const operation = change.operation as Operation;
  const base = {
    change,
    action: operation.action,
    ...(operation.action !== 'create' ? { id: operation.id } : {}),
  };
  try {
    switch (operation.action) {
      case 'delete':
        return { ...base, ...(await port.remove(operation.id)) };
      case 'update': {
        const secret = operation.generateSecret ? (options.generateSecret ?? newSecret)() : '';
        const patch = patchToSend(operation.patch, operation.generateSecret, secret);
        const webhook = await port.update(operation.id, patch);
        return { ...base, webhook };
      }
      case 'create': {
        const created = await port.create(operation.body, operation.desired.ownerTag);
        // LaunchDarkly may not take everything a POST carries (tags, for one): patch the rest.
        // A secret LaunchDarkly did not generate is left alone: the next plan shows it.
        const diff = compareWebhook(operation.desired, created);
        const fields = diff.fields.filter((f) => f !== 'sign' || !diff.generateSecret);
        if (diff.patch.length === 0) return { ...base, id: created.id, webhook: created };
        try {
          const repaired = await port.update(created.id, diff.patch);
          return { ...base, id: created.id, webhook: repaired, repaired: fields };
        } catch (e) {
          return {
            ...base,
            id: created.id,
            error: await undoCreate(port, created.id, fields, e, options),
          };
        }
      }
    }
  } catch (e) {
    return { ...base, error: options.masker.text(errorText(e)) };
  }
}

async function pool<T>(
  items: readonly T[],
  size: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
}
