import {
  type Alias,
  type Document,
  isAlias,
  isCollection,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Node,
  Scalar,
  visit,
} from 'yaml';
import { interpolate, type VariableRead } from '../../core/config/interpolate.js';
import { joinPointer } from '../../core/pointer.js';
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

/**
 * One pass in document order: drops pairs whose key is not a plain scalar, resolves each alias
 * to its anchor (an alias to no anchor becomes null, so that the value can still be built),
 * and interpolates `${NAME}` in string values in place.
 */
export function prepareDocument(
  doc: Document.Parsed,
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  /** Given, unset variables are unknown rather than wrong, and their names are added here. */
  missing?: Set<string>,
): { facts: NodeFacts; findings: Finding[] } {
  const facts: NodeFacts = {
    targets: new Map(),
    sensitive: new Set(),
    unresolved: new Set(),
    written: new Map(),
    variables: new Map(),
  };
  const findings: Finding[] = [];
  // An alias means the last anchor of that name before it, as YAML and yaml's toJS both read it.
  const anchors = new Map<string, Node>();

  visit(doc, (key, node, path) => {
    if (isPair(node)) {
      const k = node.key;
      const plain =
        isScalar(k) &&
        (typeof k.value === 'string' ||
          typeof k.value === 'number' ||
          typeof k.value === 'boolean');
      if (plain) return undefined;
      findings.push({
        code: 'yaml.complex-key',
        offset: (k as Node | null)?.range?.[0] ?? (path.at(-1) as Node).range?.[0] ?? 0,
        pointer: pointerOf(path),
        message: 'mapping keys must be plain strings',
        remedy: 'write the key as a plain word such as "url"',
      });
      return visit.REMOVE;
    }
    if (isAlias(node)) {
      const target = anchors.get(node.source);
      if (target) {
        facts.targets.set(node, target);
        return undefined;
      }
      findings.push({
        code: 'yaml.unknown-alias',
        offset: node.range?.[0] ?? 0,
        pointer: pointerOf([...path, node]),
        message: `alias *${node.source} refers to no anchor`,
        remedy: `define &${node.source} before using *${node.source}`,
      });
      const standIn = new Scalar(null);
      if (node.range) standIn.range = node.range;
      facts.unresolved.add(standIn);
      return standIn;
    }
    if ((isScalar(node) || isCollection(node)) && node.anchor) anchors.set(node.anchor, node);
    // Keys are names, never interpolated.
    if (isScalar(node) && key !== 'key' && typeof node.value === 'string') {
      const written = node.value;
      if (!written.includes('$')) return undefined;
      const result = interpolate(written, env);
      if (missing && result.issues.length > 0 && result.issues.every((i) => i.name)) {
        // Unknown, not wrong (--allow-missing-env): the value stays as written, like a value from
        // the environment, and unresolved, so that every check that needs it passes it by.
        for (const issue of result.issues) missing.add(issue.name as string);
        facts.written.set(node, written);
        facts.sensitive.add(node);
        facts.unresolved.add(node);
        return undefined;
      }
      node.value = result.value;
      facts.written.set(node, written);
      if (result.fromEnv) {
        facts.sensitive.add(node);
        facts.variables.set(node, result.variables);
      }
      if (result.issues.length > 0) facts.unresolved.add(node);
      const { start } = literalStart(text, node, written);
      for (const issue of result.issues) {
        findings.push({
          ...issue,
          offset: start + issue.offset,
          pointer: pointerOf([...path, node]),
        });
      }
    }
    return undefined;
  });
  return { facts, findings };
}

/**
 * Where in the document a syntax error at `offset` is, when it is at a value or a key the parser
 * still placed (a bare `*`, a repeated key): the JSON Pointer of the innermost one.
 */
export function pointerAtOffset(doc: Document.Parsed, offset: number): string | undefined {
  let found: string | undefined;
  visit(doc, (_key, node, path) => {
    const start = isPair(node) ? (node.key as Node | null)?.range?.[0] : (node as Node).range?.[0];
    if (start === offset) found = pointerOf([...path, node]);
    return undefined;
  });
  return found;
}

/** The JSON Pointer of the last node of a `visit` path; only worked out for a problem. */
function pointerOf(chain: readonly unknown[]): string {
  let pointer = '';
  for (let i = 1; i < chain.length; i++) {
    const parent = chain[i - 1];
    const child = chain[i];
    if (isSeq(parent)) pointer = joinPointer(pointer, parent.items.indexOf(child));
    else if (isMap(parent) && isPair(child))
      pointer = joinPointer(pointer, String((child.key as Scalar).value));
  }
  return pointer;
}
