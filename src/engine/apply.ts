import { randomBytes } from 'node:crypto';
import type { Masker } from '../core/mask.js';
import type { LiveWebhook, Operation, Plan, PlanField, PlannedChange } from '../core/model.js';
import { compareWebhook, patchToSend } from '../core/plan/compare.js';
import type { WebhooksPort } from '../core/port.js';

export interface OperationResult {
  /** The change as the plan showed it (its name is masked where it must be). */
  change: PlannedChange;
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

export interface ApplyOptions {
  parallelism: number;
  /** Masks what an error message might carry (a server may echo what it was sent). */
  masker: Masker;
  /** Called once per finished operation, in completion order: progress. */
  onResult?: (result: OperationResult) => void;
  /** Generates a secret for a webhook that is signed without a declared one. */
  generateSecret?: () => string;
}

/** The outcome of an apply, as data: the CLI renders it. */
export interface ApplyReport {
  results: OperationResult[];
  created: number;
  updated: number;
  deleted: number;
  failed: OperationResult[];
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
  const work = plan.changes.filter((c) => c.operation !== undefined);
  const results: OperationResult[] = [];
  const first = work.filter((c) => c.operation?.action !== 'create');
  const creates = work.filter((c) => c.operation?.action === 'create');
  for (const batch of [first, creates]) {
    await pool(batch, Math.max(1, options.parallelism), async (change) => {
      const result = await runOne(port, change, options);
      results.push(result);
      options.onResult?.(result);
    });
  }
  const ok = (a: Operation['action']) => results.filter((r) => !r.error && r.action === a).length;
  return {
    results,
    created: ok('create'),
    updated: ok('update'),
    deleted: ok('delete'),
    failed: results.filter((r) => r.error !== undefined),
  };
}

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
        const repaired = await port.update(created.id, diff.patch);
        return { ...base, id: created.id, webhook: repaired, repaired: fields };
      }
    }
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return { ...base, error: options.masker.text(message) };
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
