import { canonicalStatements, statementsKey } from '../config/statements.js';
import type { DesiredWebhook, LiveWebhook } from '../model.js';
import { sortedUnique } from '../sorted-unique.js';

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Two live webhooks that hold the same values: what two runs creating at once leave behind. With
 * `anySecret`, a secret only has to be there on both: a webhook signed without a declared secret
 * gets one LaunchDarkly (or apply) generates, different for every copy.
 */
function identical(a: LiveWebhook, b: LiveWebhook, anySecret: boolean): boolean {
  const sameSecret = anySecret
    ? Boolean(a.secret) === Boolean(b.secret)
    : (a.secret ?? '') === (b.secret ?? '');
  return (
    a.name === b.name &&
    a.url === b.url &&
    a.on === b.on &&
    sameSecret &&
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
  desired?: DesiredWebhook,
): { keep: LiveWebhook; copies: LiveWebhook[] } | undefined {
  const [keep, ...copies] = [...sameName].sort((a, b) => compareText(a.id, b.id));
  if (!keep) return undefined;
  const anySecret = desired?.sign === true && desired.secret === undefined;
  return copies.every((c) => identical(keep, c, anySecret)) ? { keep, copies } : undefined;
}
