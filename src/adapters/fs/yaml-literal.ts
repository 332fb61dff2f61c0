import { isScalar, type Node } from 'yaml';

/**
 * Where a string scalar's characters start in the source, so that a problem can point at a
 * column inside it: the first character after an opening quote when the source spells `written`
 * verbatim; else the scalar's own start, which is always right if less precise.
 */
export function literalStart(
  text: string,
  node: Node,
  written: string,
): { start: number; verbatim: boolean } {
  const from = node.range?.[0] ?? 0;
  const to = node.range?.[1] ?? 0;
  if (!isScalar(node)) return { start: from, verbatim: false };
  if (to - from === written.length && text.startsWith(written, from))
    return { start: from, verbatim: true };
  const quote = text[from];
  if (
    (quote === '"' || quote === "'") &&
    to - from === written.length + 2 &&
    text.startsWith(written, from + 1)
  ) {
    return { start: from + 1, verbatim: true };
  }
  return { start: from, verbatim: false };
}
