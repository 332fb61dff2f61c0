import { canonicalStatements, statementsKey } from '../config/statements.js';
import type { LiveWebhook } from '../model.js';
import { sortedUnique } from '../sorted-unique.js';

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Two live webhooks that hold the same values: what two runs creating at once leave behind. */
function identical(a: LiveWebhook, b: LiveWebhook): boolean {
  return (
    a.name === b.name &&
    a.url === b.url &&
    a.on === b.on &&
    (a.secret ?? '') === (b.secret ?? '') &&
    sortedUnique(a.tags).join('\n') === sortedUnique(b.tags).join('\n') &&
    statementsKey(canonicalStatements(a.statements)) ===
      statementsKey(canonicalStatements(b.statements))
  );
}

/**
 * Managed webhooks of one name. When they are identical copies, every run, concurrent or later,
 * keeps the same one (the smallest id) and removes the others, so runs converge and none is
 * stuck on copies ldhooks made. Undefined when they differ: which one is meant cannot be told.
 */
export function splitCopies(
  sameName: readonly LiveWebhook[],
): { keep: LiveWebhook; copies: LiveWebhook[] } | undefined {
  const [keep, ...copies] = [...sameName].sort((a, b) => compareText(a.id, b.id));
  if (!keep) return undefined;
  return copies.every((c) => identical(keep, c)) ? { keep, copies } : undefined;
}
