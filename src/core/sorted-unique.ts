/** A list as a set: sorted by code unit, repeats removed. Tags, owner tags and targets use it. */
export function sortedUnique(list: Iterable<string>): string[] {
  return [...new Set(list)].sort();
}
