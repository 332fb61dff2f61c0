import type { Statement } from '../model.js';
import { sortedUnique } from '../sorted-unique.js';

const LIST_KEYS = ['resources', 'notResources', 'actions', 'notActions'] as const;

/**
 * A statement with a fixed key order and sorted lists: equal statements serialize equally. An
 * empty or null list is left out: a server may send `notResources: []` beside `resources`, and
 * the statement means the same without it.
 */
export function canonicalStatement(s: Statement): Statement {
  const out = { effect: s.effect } as Statement;
  for (const key of LIST_KEYS) {
    const list = s[key];
    if (list && list.length > 0) out[key] = sortedUnique(list);
  }
  return out;
}

// The serialization of each canonical list, made while canonicalizing: compared, never recomputed.
const serialized = new WeakMap<readonly Statement[], string>();

/** Statements as a set: canonical, sorted by their serialization, repeats removed. */
export function canonicalStatements(list: readonly Statement[] | undefined): Statement[] {
  const byKey = new Map<string, Statement>();
  for (const s of list ?? []) {
    const c = canonicalStatement(s);
    byKey.set(JSON.stringify(c), c);
  }
  const keys = [...byKey.keys()].sort();
  const out = keys.map((k) => byKey.get(k) as Statement);
  serialized.set(out, `[${keys.join(',')}]`);
  return out;
}

/** The serialization of a list of statements: equal for equal canonical lists. */
export function statementsKey(list: readonly Statement[]): string {
  let key = serialized.get(list);
  if (key === undefined) {
    key = JSON.stringify(list);
    serialized.set(list, key);
  }
  return key;
}
