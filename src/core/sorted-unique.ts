/** A list as a set: sorted by code unit, repeats removed. Tags, owner tags and targets use it. */
export function sortedUnique(list: Iterable<string>): string[] {
  const out = Array.isArray(list) ? (list as string[]).slice() : [...list];
  // Most lists arrive sorted already (canonical ones, what LaunchDarkly returns of them): a
  // strictly ascending list of strings is its own answer, and is checked in one pass.
  for (let i = 1; i < out.length; i++) {
    const a = out[i - 1];
    const b = out[i];
    if (typeof a !== 'string' || typeof b !== 'string' || !(a < b)) return [...new Set(out)].sort();
  }
  return out;
}
