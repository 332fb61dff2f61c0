const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A list as a set: sorted by code unit, repeats removed. Tags, owner tags and targets use it. */
export function sortedUnique(list: Iterable<string>): string[] {
  const out = Array.isArray(list) ? (list as string[]).slice() : [...list];
  // Most lists arrive sorted already (canonical ones, what LaunchDarkly returns of them): a
  // strictly ascending list of strings is its own answer, and is checked in one pass.
  let sorted = true;
  for (let i = 1; i < out.length && sorted; i++) {
    const a = out[i - 1];
    const b = out[i];
    if (typeof a !== 'string' || typeof b !== 'string') return [...new Set(out)].sort();
    sorted = a < b;
  }
  if (sorted) return out;
  if (!out.every((x) => typeof x === 'string')) return [...new Set(out)].sort();
  // Strings compare by code unit, as sort() compares them; repeats end up side by side.
  out.sort(byCodeUnit);
  let kept = 1;
  for (let i = 1; i < out.length; i++) if (out[i] !== out[kept - 1]) out[kept++] = out[i] as string;
  out.length = kept;
  return out;
}
