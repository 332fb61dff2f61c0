import { randomBytes } from 'node:crypto';
import type { LiveWebhook, Operation } from '../core/model.js';
import { compareWebhook } from '../core/plan/compare.js';
import type { WebhooksPort } from '../core/port.js';

export interface OperationResult {
  operation: Operation;
  /** The webhook after the operation (absent for a delete). */
  webhook?: LiveWebhook;
  error?: Error;
  /** For a create: fields LaunchDarkly did not take, patched afterwards. */
  repaired?: string[];
}

export interface ApplyOptions {
  parallelism: number;
  ownerTags: readonly string[];
  /** Called once per finished operation, in completion order. */
  onResult?: (result: OperationResult) => void;
}

/**
 * Runs the operations with bounded concurrency: deletes and updates first, then creates, so that
 * a name is free before it is created again. A failed operation does not stop the others.
 */
export async function applyOperations(
  port: WebhooksPort,
  operations: readonly Operation[],
  options: ApplyOptions,
): Promise<OperationResult[]> {
  const results: OperationResult[] = [];
  const first: Operation[] = operations.filter((o) => o.action !== 'create');
  const creates = operations.filter((o) => o.action === 'create');
  for (const batch of [first, creates] as Operation[][]) {
    await pool(batch, Math.max(1, options.parallelism), async (operation) => {
      const result = await runOne(port, operation, options.ownerTags);
      results.push(result);
      options.onResult?.(result);
    });
  }
  return results;
}

async function runOne(
  port: WebhooksPort,
  operation: Operation,
  ownerTags: readonly string[],
): Promise<OperationResult> {
  try {
    switch (operation.action) {
      case 'delete':
        await port.remove(operation.id);
        return { operation };
      case 'update': {
        const patch = operation.generateSecret
          ? operation.patch.map((op) =>
              op.path === '/secret' && op.op === 'add'
                ? { ...op, value: randomBytes(16).toString('hex') }
                : op,
            )
          : operation.patch;
        return { operation, webhook: await port.update(operation.id, patch) };
      }
      case 'create': {
        const marker = operation.desired.ownerTag;
        const created = await port.create(operation.body, marker);
        // LaunchDarkly may not take everything a POST carries (tags, for one): patch the rest.
        const diff = compareWebhook(operation.desired, created, ownerTags);
        const fixable = diff.patch.filter((op) => !(op.path === '/secret' && diff.generateSecret));
        if (fixable.length === 0) return { operation, webhook: created };
        const repaired = await port.update(created.id, fixable);
        return { operation, webhook: repaired, repaired: diff.fields.map((f) => f.field) };
      }
    }
  } catch (e) {
    return { operation, error: e instanceof Error ? e : new Error(String(e)) };
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
