import {
  type Alias,
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
  type Pair,
  Scalar,
  visit,
} from 'yaml';
import { interpolate, type VariableRead } from '../../core/config/interpolate.js';
import { joinPointer } from '../../core/pointer.js';
import type { Extent } from './yaml-limits.js';
import { literalStart } from './yaml-literal.js';

/**
 * What the loader learnt about particular nodes. Keyed by node, not by pointer: an alias shows
 * one node under several pointers, and what is true of the node is true under each of them.
 */
export interface NodeFacts {
  /** The anchored node each alias stands for. */
  targets: Map<Alias, Node>;
  /** String scalars that took at least one value from the environment. */
  sensitive: Set<Node>;
  /** Scalars holding a `${NAME}` that could not be resolved, and stand-ins for aliases to no anchor. */
  unresolved: Set<Node>;
  /** The text as written of each string scalar that interpolation may have changed. */
  written: Map<Node, string>;
  /** The variables each sensitive scalar read, and whether each gave an empty value. */
  variables: Map<Node, VariableRead[]>;
}

/** A problem found while preparing, located by source offset and JSON Pointer. */
export interface Finding {
  code: string;
  offset: number;
  pointer: string;
  message: string;
  remedy: string;
}

export interface PreparedDocument {
  facts: NodeFacts;
  findings: Finding[];
  /**
   * The plain value, as yaml's `toJS` builds it: an alias shares its anchor's value, so nothing
   * is expanded. Only meaningful once `extent` is within the limits (a recursive alias makes it
   * contain itself).
   */
  value: unknown;
  /** How many values the document holds and how deep, aliases expanded (see yaml-limits). */
  extent: Extent;
}

type Owner = (Node | null)[] | Pair<unknown, unknown> | { contents: unknown };

const CYCLE: Extent = { size: Number.POSITIVE_INFINITY, height: Number.POSITIVE_INFINITY };
const LEAF: Extent = { size: 1, height: 0 };

/**
 * One pass over the nodes in document order, which every later step relies on:
 * - drops pairs whose key is not a plain scalar;
 * - resolves each alias to the last anchor of its name before it, as YAML and yaml's `toJS`
 *   read it (an alias to no anchor becomes null, so that the value can still be built);
 * - interpolates `${NAME}` in string values (never in keys) in place;
 * - builds the plain value, and measures the document for the limits, without expanding aliases.
 */
export function prepareDocument(
  doc: Document.Parsed,
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  /** Given, unset variables are unknown rather than wrong, and their names are added here. */
  missing?: Set<string>,
): PreparedDocument {
  const facts: NodeFacts = {
    targets: new Map(),
    sensitive: new Set(),
    unresolved: new Set(),
    written: new Map(),
    variables: new Map(),
  };
  const findings: Finding[] = [];
  const anchors = new Map<string, Node>();
  // For the aliases: each anchored collection's value (made before its items, as yaml's toJS
  // makes it), and each anchored node's extent once complete; `open` while it is being walked.
  const values = new Map<Node, unknown>();
  const extents = new Map<Node, Extent>();
  const open = new Set<Node>();
  // The keys and indexes down to the node being walked: a pointer is only made for a finding.
  const trail: (string | number)[] = [];
  const pointer = () => trail.reduce<string>((p, s) => joinPointer(p, s), '');
  // The extent of the node last walked, kept in two numbers rather than an object per node.
  let size = 0;
  let height = 0;

  const scalar = (node: Scalar): unknown => {
    if (node.anchor) {
      anchors.set(node.anchor, node);
      extents.set(node, LEAF);
    }
    size = 1;
    height = 0;
    const written = node.value;
    if (typeof written !== 'string' || !written.includes('$')) return written;
    const result = interpolate(written, env);
    if (missing && result.issues.length > 0 && result.issues.every((i) => i.name)) {
      // Unknown, not wrong (--allow-missing-env): the value stays as written, like a value from
      // the environment, and unresolved, so that every check that needs it passes it by.
      for (const issue of result.issues) missing.add(issue.name as string);
      facts.written.set(node, written);
      facts.sensitive.add(node);
      facts.unresolved.add(node);
      return written;
    }
    node.value = result.value;
    facts.written.set(node, written);
    if (result.fromEnv) {
      facts.sensitive.add(node);
      facts.variables.set(node, result.variables);
    }
    if (result.issues.length > 0) facts.unresolved.add(node);
    if (result.issues.length > 0) {
      const { start } = literalStart(text, node, written);
      const at = pointer();
      for (const issue of result.issues) {
        findings.push({ ...issue, offset: start + issue.offset, pointer: at });
      }
    }
    return result.value;
  };

  const alias = (node: Alias, owner: Owner, slot: number): unknown => {
    const target = anchors.get(node.source);
    if (!target) {
      findings.push({
        code: 'yaml.unknown-alias',
        offset: node.range?.[0] ?? 0,
        pointer: pointer(),
        message: `alias *${node.source} refers to no anchor`,
        remedy: `define &${node.source} before using *${node.source}`,
      });
      const standIn = new Scalar(null);
      if (node.range) standIn.range = node.range;
      facts.unresolved.add(standIn);
      if (Array.isArray(owner)) owner[slot] = standIn;
      else if (isPair(owner)) owner.value = standIn;
      else owner.contents = standIn;
      size = 1;
      height = 0;
      return null;
    }
    facts.targets.set(node, target);
    // An anchor is complete before its aliases, unless the alias sits inside it: a cycle.
    const extent = extents.get(target) ?? (open.has(target) ? CYCLE : LEAF);
    size = extent.size;
    height = extent.height;
    return isScalar(target) ? target.value : values.get(target);
  };

  // Where the node sits, for the stand-in of an alias to no anchor: items and an index, the
  // value of a pair, or the document's contents.
  const walk = (node: Node | null, owner: Owner, slot: number): unknown => {
    if (node === null) {
      size = 0;
      height = 0;
      return null;
    }
    if (isScalar(node)) return scalar(node);
    if (isAlias(node)) return alias(node, owner, slot);
    const anchored = Boolean(node.anchor);
    if (anchored) anchors.set(node.anchor as string, node);
    let total = 1;
    let deepest = 0;
    let value: unknown;
    if (isMap(node)) {
      const map: Record<string, unknown> = {};
      value = map;
      if (anchored) {
        values.set(node, map);
        open.add(node);
      }
      const items = node.items as Pair<unknown, unknown>[];
      for (let i = 0; i < items.length; i++) {
        const pair = items[i] as Pair<unknown, unknown>;
        const k = pair.key;
        if (
          !isScalar(k) ||
          (typeof k.value !== 'string' &&
            typeof k.value !== 'number' &&
            typeof k.value !== 'boolean')
        ) {
          findings.push({
            code: 'yaml.complex-key',
            offset: (k as Node | null)?.range?.[0] ?? node.range?.[0] ?? 0,
            pointer: pointer(),
            message: 'mapping keys must be plain strings',
            remedy: 'write the key as a plain word such as "url"',
          });
          items.splice(i, 1);
          i -= 1;
          continue;
        }
        // Keys are names, never interpolated; an anchored key can still be aliased.
        if (k.anchor) {
          anchors.set(k.anchor, k);
          extents.set(k, LEAF);
        }
        const key = String(k.value);
        trail.push(key);
        const v = walk(pair.value as Node | null, pair, -1);
        trail.pop();
        total += size;
        if (height + 1 > deepest) deepest = height + 1;
        // As yaml's toJS: a key that is already there (an inherited one such as __proto__, or
        // `1` after `"1"`) is defined as an own property, never assigned through a setter.
        if (key in map)
          Object.defineProperty(map, key, {
            value: v,
            writable: true,
            enumerable: true,
            configurable: true,
          });
        else map[key] = v;
      }
    } else if (isSeq(node)) {
      const items = node.items as (Node | null)[];
      // Made at its length: a list grown by push keeps room for 17 items, and a config holds
      // thousands of short lists for as long as it is planned from.
      const list = new Array<unknown>(items.length);
      value = list;
      if (anchored) {
        values.set(node, list);
        open.add(node);
      }
      for (let i = 0; i < items.length; i++) {
        trail.push(i);
        list[i] = walk(items[i] as Node | null, items, i);
        trail.pop();
        total += size;
        if (height + 1 > deepest) deepest = height + 1;
      }
    }
    if (anchored) {
      open.delete(node);
      extents.set(node, { size: total, height: deepest });
    }
    size = total;
    height = deepest;
    return value;
  };

  const value = walk(doc.contents, doc, -1);
  return { facts, findings, value, extent: { size, height } };
}

/**
 * Where in the document a syntax error at `offset` is, when it is at a value or a key the parser
 * still placed (a bare `*`, a repeated key): the JSON Pointer of the innermost one.
 */
export function pointerAtOffset(doc: Document.Parsed, offset: number): string | undefined {
  let found: string | undefined;
  visit(doc, (_key, node, path) => {
    // A broken document holds pairs without a key or a value: visit hands those over as null.
    if (node === null || typeof node !== 'object') return undefined;
    const start = isPair(node) ? (node.key as Node | null)?.range?.[0] : (node as Node).range?.[0];
    if (start === offset) found = pointerOf([...path, node]);
    return undefined;
  });
  return found;
}

/** The JSON Pointer of the last node of a `visit` path. */
function pointerOf(chain: readonly unknown[]): string {
  let pointer = '';
  for (let i = 1; i < chain.length; i++) {
    const parent = chain[i - 1];
    const child = chain[i];
    if (isSeq(parent)) pointer = joinPointer(pointer, parent.items.indexOf(child));
    else if (isMap(parent) && isPair(child)) {
      const key = child.key as Scalar | null;
      // A key that is not a plain scalar has no place in a pointer: stop at its map.
      if (!isScalar(key)) return pointer;
      pointer = joinPointer(pointer, String(key.value));
    }
  }
  return pointer;
}
