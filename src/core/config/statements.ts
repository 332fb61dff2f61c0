import type { Statement } from '../model.js';

const LIST_KEYS = ['resources', 'notResources', 'actions', 'notActions'] as const;

const sortedUnique = (list: readonly string[]) => [...new Set(list)].sort();

/** A statement with a fixed key order and sorted lists: equal statements serialize equally. */
export function canonicalStatement(s: Statement): Statement {
  const out: Statement = { effect: s.effect };
  for (const key of LIST_KEYS) {
    const list = s[key];
    if (list !== undefined) out[key] = sortedUnique(list);
  }
  return out;
}

/** Statements as a set: canonical, sorted by their serialization, repeats removed. */
export function canonicalStatements(list: readonly Statement[] | undefined): Statement[] {
  const byKey = new Map<string, Statement>();
  for (const s of list ?? []) {
    const c = canonicalStatement(s);
    byKey.set(JSON.stringify(c), c);
  }
  return [...byKey.keys()].sort().map((k) => byKey.get(k) as Statement);
}
