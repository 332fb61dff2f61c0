import type { Masker } from '../mask.js';
import type { PlannedChange } from '../model.js';
import { sortedUnique } from '../sorted-unique.js';
import { closest } from '../suggest.js';

/** A --target that names no declared or managed webhook: a typo, not an ownership problem. */
export interface UnknownTarget {
  /** The name as given, masked if it is a value from the environment. */
  target: string;
  /** The closest name as the plan shows it (a `${NAME}` template for a name from the environment). */
  suggestion?: string;
}

export interface Targeted {
  changes: PlannedChange[];
  /** The targets as the plan shows them; undefined when the plan is not limited. */
  shown?: string[];
  unknown: UnknownTarget[];
}

/**
 * --target keeps the changes of the named webhooks. A name matches a change by its real name or
 * by its name as shown (a `${NAME}` template), so a templated name can be targeted either way.
 * Suggestions are drawn from the names as shown only: a suggestion found by its closeness to a
 * hidden value would tell what the value is close to.
 */
export function applyTargets(
  changes: PlannedChange[],
  targets: readonly string[] | undefined,
  known: readonly string[],
  masker: Masker,
): Targeted {
  if (!targets || targets.length === 0) return { changes, unknown: [] };
  const wanted = sortedUnique(targets);
  const shownNames = new Set(changes.map((c) => c.name));
  const knownNames = new Set(known);
  const candidates = sortedUnique([...shownNames, ...known.map((k) => masker.string(k)[0])]);
  const unknown: UnknownTarget[] = [];
  for (const t of wanted) {
    if (knownNames.has(t) || shownNames.has(t)) continue;
    const suggestion = closest(t, candidates);
    unknown.push({ target: masker.valueText(t), ...(suggestion ? { suggestion } : {}) });
  }
  const set = new Set(wanted);
  return {
    changes: changes.filter((c) => set.has(c.key) || set.has(c.name)),
    shown: sortedUnique(wanted.map((t) => masker.string(t)[0])),
    unknown,
  };
}

/** One sentence for the unknown targets: each, its suggestion, and what --target takes. */
export function describeUnknownTargets(unknown: readonly UnknownTarget[]): string {
  const each = unknown.map(
    (u) => `"${u.target}"${u.suggestion !== undefined ? ` (did you mean "${u.suggestion}"?)` : ''}`,
  );
  const names = unknown.length === 1 ? 'names' : 'name';
  return `--target ${each.join(', ')} ${names} no webhook that the config declares or ldhooks manages; --target takes webhook names as the config writes them`;
}
