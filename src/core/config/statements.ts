import type { Statement } from '../model.js';
import { sortedUnique } from '../sorted-unique.js';

const LIST_KEYS = ['resources', 'notResources', 'actions', 'notActions'] as const;

/**
 * A statement with a fixed key order and sorted lists: equal statements serialize equally. An
 * empty or null list is left out: a server may send `notResources: []` beside `resources`, and
 * the statement means the same without it.
 */
export function canonicalStatement(s: Statement): Statement {
  // Most statements are written canonical already: such a one is its own canonical form.
  if (isCanonical(s)) return s;
  const out = { effect: s.effect } as Statement;
  for (const key of LIST_KEYS) {
    const list = s[key];
    if (list && list.length > 0) out[key] = sortedUnique(list);
  }
  return out;
}

/** Effect first, then the non-empty lists in their order, each strictly ascending, and no more. */
function isCanonical(s: Statement): boolean {
  const keys = Object.keys(s);
  if (keys[0] !== 'effect') return false;
  let at = 1;
  for (const key of LIST_KEYS) {
    const list: unknown = s[key];
    if (list === undefined) continue;
    if (keys[at] !== key || !Array.isArray(list) || list.length === 0) return false;
    for (let i = 0; i < list.length; i++) {
      const item: unknown = list[i];
      if (typeof item !== 'string' || (i > 0 && !((list[i - 1] as string) < item))) return false;
    }
    at++;
  }
  return at === keys.length;
}

// The serialization of each canonical list, made while canonicalizing: compared, never recomputed.
const serialized = new WeakMap<readonly Statement[], string>();

/** Statements as a set: canonical, sorted by their serialization, repeats removed. */
export function canonicalStatements(list: readonly Statement[] | undefined): Statement[] {
  // None or one: nothing to sort or remove, and the serialization is made only if asked for.
  if (!list || list.length <= 1) return (list ?? []).map(canonicalStatement);
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

/**
 * Whether a live list of statements holds exactly the canonical `list`, in its order: what
 * LaunchDarkly returns of what ldhooks sent. Decided without serializing either; a false
 * answer only means the live list has to be made canonical before it is compared.
 */
export function sameStatements(live: readonly Statement[], list: readonly Statement[]): boolean {
  if (live.length !== list.length) return false;
  for (let i = 0; i < live.length; i++) {
    const a = live[i] as Statement;
    const b = list[i] as Statement;
    if (a.effect !== b.effect) return false;
    for (const key of LIST_KEYS) {
      const x = a[key];
      const y = b[key];
      if (x === y) continue;
      if (!x || !y || x.length !== y.length) return false;
      for (let j = 0; j < x.length; j++) if (x[j] !== y[j]) return false;
    }
  }
  return true;
}
