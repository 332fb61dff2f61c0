import { type Alias, isAlias, isMap, isSeq, type Node, type Scalar } from 'yaml';
import { joinPointer } from '../../core/pointer.js';
import type { Finding } from './yaml-prepare.js';

/** Values per document, aliases expanded: past this, the input is an alias bomb. */
export const MAX_NODES = 1_000_000;
/** Nesting deeper than this is refused rather than risking the stack of whoever walks the value. */
export const MAX_DEPTH = 64;

/** What a node holds once its aliases are expanded: how many values, and how many levels below it. */
export interface Extent {
  size: number;
  height: number;
}

const CYCLE: Extent = { size: Number.POSITIVE_INFINITY, height: Number.POSITIVE_INFINITY };

/**
 * Refuses a document whose expanded value would be too large, too deep or infinite, without
 * expanding it: each anchored node is measured once, so the cost follows the text, not the
 * expansion. Returns the first breach in document order, or undefined. `whole`, the extent of
 * the root when the caller measured it already, spares measuring a document within the limits.
 */
export function checkLimits(
  root: Node | null,
  targets: ReadonlyMap<Alias, Node>,
  whole?: Extent,
): Finding | undefined {
  const measure = measurer(targets);
  const { size, height } = whole ?? measure(root);
  if (size <= MAX_NODES && height <= MAX_DEPTH) return undefined;
  return firstBreach(root, targets, measure);
}

function measurer(targets: ReadonlyMap<Alias, Node>): (node: Node | null) => Extent {
  // Only anchored nodes can be reached twice, and only through them can a cycle close.
  const known = new Map<Node, Extent>();
  const open = new Set<Node>();
  const measure = (node: Node | null): Extent => {
    if (node === null) return { size: 0, height: 0 };
    if (isAlias(node)) return measure(targets.get(node) ?? null);
    const anchored = Boolean((node as Scalar).anchor);
    if (anchored) {
      const seen = known.get(node);
      if (seen) return seen;
      if (open.has(node)) return CYCLE;
      open.add(node);
    }
    const extent: Extent = { size: 1, height: 0 };
    for (const child of children(node)) {
      const c = measure(child);
      extent.size += c.size;
      extent.height = Math.max(extent.height, c.height + 1);
    }
    if (anchored) {
      open.delete(node);
      known.set(node, extent);
    }
    return extent;
  };
  return measure;
}

/**
 * Walks the text in document order, charging each value to the budget and each alias the full
 * size of what it stands for, and reports the first alias (or value) that breaks a limit.
 */
function firstBreach(
  root: Node | null,
  targets: ReadonlyMap<Alias, Node>,
  measure: (node: Node | null) => Extent,
): Finding | undefined {
  let budget = MAX_NODES;
  const walk = (node: Node | null, pointer: string, depth: number): Finding | undefined => {
    if (node === null) return undefined;
    const offset = node.range?.[0] ?? 0;
    if (isAlias(node)) {
      const { size, height } = measure(targets.get(node) ?? null);
      if (size === Number.POSITIVE_INFINITY) {
        return {
          code: 'yaml.recursive-alias',
          offset,
          pointer,
          message: `alias *${node.source} refers to a value that contains it`,
          remedy: 'an alias cannot repeat the value it sits inside; copy the value instead',
        };
      }
      if (size > budget) {
        return {
          code: 'yaml.alias-bomb',
          offset,
          pointer,
          message: `the document expands to more than ${MAX_NODES} values once its aliases are expanded (alias *${node.source} alone adds ${size}); aliases that multiply like this ("billion laughs") are refused`,
          remedy: 'remove the nested aliases (*name) that repeat each other',
        };
      }
      if (depth + height > MAX_DEPTH) return tooDeep(offset);
      budget -= size;
      return undefined;
    }
    if (depth > MAX_DEPTH) return tooDeep(offset);
    budget -= 1;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = String((pair.key as Scalar).value);
        const found = walk(pair.value as Node | null, joinPointer(pointer, key), depth + 1);
        if (found) return found;
      }
    } else if (isSeq(node)) {
      for (let i = 0; i < node.items.length; i++) {
        const found = walk(node.items[i] as Node | null, joinPointer(pointer, i), depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(root, '', 0);
}

function tooDeep(offset: number): Finding {
  return {
    code: 'yaml.too-deep',
    offset,
    pointer: '',
    message: `values are nested more than ${MAX_DEPTH} levels deep`,
    remedy: 'flatten the document; a webhook config needs only a few levels',
  };
}

function children(node: Node): (Node | null)[] {
  if (isMap(node)) return node.items.map((pair) => pair.value as Node | null);
  if (isSeq(node)) return node.items as (Node | null)[];
  return [];
}
