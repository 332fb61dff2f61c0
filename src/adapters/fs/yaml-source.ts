import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseAllDocuments,
} from 'yaml';
import { joinPointer, pointerToPath } from '../../core/pointer.js';
import type { Position, Problem } from '../../core/problem.js';
import type { SourceDocument } from '../../core/source.js';
import { interpolate } from '../../core/config/interpolate.js';

/** Values visited per document, aliases expanded: past this, the input is an alias bomb. */
export const MAX_NODES = 1_000_000;
/** Nesting deeper than this is refused rather than risking the stack. */
export const MAX_DEPTH = 64;

/**
 * Source offsets by JSON Pointer. Line and column are computed when a problem asks for them,
 * not for each of the many values that never have a problem.
 */
class Positions {
  private readonly offsets = new Map<string, number>();
  constructor(private readonly lines: LineCounter) {}
  has(pointer: string): boolean {
    return this.offsets.has(pointer);
  }
  set(pointer: string, offset: number): void {
    this.offsets.set(pointer, offset);
  }
  get(pointer: string): Position | undefined {
    const offset = this.offsets.get(pointer);
    return offset === undefined ? undefined : this.lines.linePos(offset);
  }
}

class LimitExceeded extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly remedy: string,
    readonly offset: number,
    readonly pointer = '',
  ) {
    super(message);
  }
}

interface Walk {
  doc: Document;
  text: string;
  lines: LineCounter;
  file: string;
  env: Readonly<Record<string, string | undefined>>;
  values: Positions;
  keys: Positions;
  sensitive: Set<string>;
  templates: Map<string, string>;
  strings: Positions;
  unresolved: Set<string>;
  problems: Problem[];
  /** Values still allowed in this document, aliases expanded. */
  budget: number;
  /** Expanded sizes of alias targets, and the aliases being expanded (to catch a cycle). */
  sizes: Map<Node, number>;
  expanding: Set<Node>;
}

export interface ParsedYaml {
  documents: SourceDocument[];
  problems: Problem[];
}

/**
 * Parses every document of a YAML file, interpolates `${NAME}` in string values and records the
 * position of every key and value. Problems are returned, never thrown.
 */
export function parseYamlSource(
  file: string,
  text: string,
  env: Readonly<Record<string, string | undefined>>,
): ParsedYaml {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
  });
  const problems: Problem[] = [];
  const documents: SourceDocument[] = [];
  const list = Array.isArray(docs) ? docs : [];
  const at = (offset: number): Position => lines.linePos(offset);

  list.forEach((doc, index) => {
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const pos = at(err.pos[0]);
        problems.push({
          severity: 'error',
          code: `yaml.${err.code.toLowerCase().replace(/_/g, '-')}`,
          file,
          ...pos,
          path: '',
          message: `YAML syntax: ${err.message}`,
          remedy: yamlRemedy(err.code),
        });
      }
      return;
    }
    // An empty document (a stray `---`) holds nothing; skip it unless the file has nothing else.
    if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) return;
    const walk: Walk = {
      doc,
      text,
      lines,
      file,
      env,
      values: new Positions(lines),
      keys: new Positions(lines),
      sensitive: new Set(),
      templates: new Map(),
      strings: new Positions(lines),
      unresolved: new Set(),
      problems: [],
      budget: MAX_NODES,
      sizes: new Map(),
      expanding: new Set(),
    };
    try {
      const value = visit(walk, doc.contents, '', 0);
      problems.push(...walk.problems);
      documents.push({
        file,
        index,
        value,
        values: walk.values,
        keys: walk.keys,
        sensitive: walk.sensitive,
        templates: walk.templates,
        strings: walk.strings,
        unresolved: walk.unresolved,
      });
    } catch (e) {
      if (!(e instanceof LimitExceeded)) throw e;
      problems.push({
        severity: 'error',
        code: e.code,
        file,
        ...at(e.offset),
        path: pointerToPath(e.pointer),
        message: e.message,
        remedy: e.remedy,
      });
    }
  });

  if (problems.length === 0 && documents.length === 0) {
    problems.push({
      severity: 'error',
      code: 'config.empty-file',
      file,
      line: 1,
      col: 1,
      path: '',
      message: 'the file holds no YAML document',
      remedy: 'write a config with "version: 1" and "webhooks:", or remove the file',
    });
  }
  return { documents, problems };
}

function yamlRemedy(code: string): string {
  switch (code) {
    case 'TAB_AS_INDENT':
      return 'indent with spaces; YAML does not allow tabs for indentation';
    case 'DUPLICATE_KEY':
      return 'remove or rename the repeated key';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
    case 'UNEXPECTED_TOKEN':
      return 'check the indentation and the brackets or quotes around this line';
    default:
      return 'fix the YAML syntax at this position';
  }
}

/**
 * The number of values a node holds once its aliases are expanded, computed without expanding
 * them: each anchored node is measured once. Lets `visit` refuse an alias bomb ("billion
 * laughs") before walking it, in time proportional to the text.
 */
function expandedSize(
  doc: Document,
  node: Node,
  sizes: Map<Node, number>,
  trail: Set<Node>,
): number {
  const known = sizes.get(node);
  if (known !== undefined) return known;
  if (trail.has(node)) return Number.POSITIVE_INFINITY;
  trail.add(node);
  let n = 1;
  if (isAlias(node)) {
    const target = node.resolve(doc) as Node | undefined;
    n = target ? expandedSize(doc, target, sizes, trail) : 1;
  } else if (isMap(node)) {
    for (const pair of node.items)
      if (pair.value) n += expandedSize(doc, pair.value as Node, sizes, trail);
  } else if (isSeq(node)) {
    for (const item of node.items) if (item) n += expandedSize(doc, item as Node, sizes, trail);
  }
  trail.delete(node);
  sizes.set(node, n);
  return n;
}

function visit(w: Walk, node: Node | null, pointer: string, depth: number): unknown {
  if (node === null) return null;
  const offset = node.range?.[0] ?? 0;
  if (depth > MAX_DEPTH) {
    throw new LimitExceeded(
      'yaml.too-deep',
      `values are nested more than ${MAX_DEPTH} levels deep`,
      'flatten the document; a webhook config needs only a few levels',
      offset,
    );
  }
  if (!w.values.has(pointer)) w.values.set(pointer, offset);

  w.budget -= 1;
  if (isAlias(node)) {
    const target = node.resolve(w.doc) as Node | undefined;
    if (!target) {
      w.unresolved.add(pointer);
      w.problems.push({
        severity: 'error',
        code: 'yaml.unknown-alias',
        file: w.file,
        ...w.lines.linePos(offset),
        path: pointerToPath(pointer),
        message: `alias *${node.source} refers to no anchor`,
        remedy: `define &${node.source} before using *${node.source}`,
      });
      return null;
    }
    const size = w.expanding.has(target)
      ? Number.POSITIVE_INFINITY
      : expandedSize(w.doc, target, w.sizes, new Set());
    if (size === Number.POSITIVE_INFINITY) {
      throw new LimitExceeded(
        'yaml.recursive-alias',
        `alias *${node.source} refers to a value that contains it`,
        'an alias cannot repeat the value it sits inside; copy the value instead',
        offset,
        pointer,
      );
    }
    if (size > w.budget) {
      throw new LimitExceeded(
        'yaml.alias-bomb',
        `the document expands to more than ${MAX_NODES} values once its aliases are expanded (alias *${node.source} alone adds ${size}); aliases that multiply like this ("billion laughs") are refused`,
        'remove the nested aliases (*name) that repeat each other',
        offset,
        pointer,
      );
    }
    w.expanding.add(target);
    const value = visit(w, target, pointer, depth + 1);
    w.expanding.delete(target);
    return value;
  }
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const keyNode = pair.key as Node | null;
      const keyValue = isScalar(keyNode) ? keyNode.value : undefined;
      const keyOffset = keyNode?.range?.[0] ?? offset;
      if (
        typeof keyValue !== 'string' &&
        typeof keyValue !== 'number' &&
        typeof keyValue !== 'boolean'
      ) {
        w.problems.push({
          severity: 'error',
          code: 'yaml.complex-key',
          file: w.file,
          ...w.lines.linePos(keyOffset),
          path: pointerToPath(pointer),
          message: 'mapping keys must be plain strings',
          remedy: 'write the key as a plain word such as "url"',
        });
        continue;
      }
      const key = String(keyValue);
      const child = joinPointer(pointer, key);
      w.keys.set(child, keyOffset);
      const valueNode = pair.value as Node | null;
      if (valueNode === null) w.values.set(child, keyOffset);
      const value = visit(w, valueNode, child, depth + 1);
      // Plain assignment, except for the one key that would set the prototype instead.
      if (key === '__proto__') {
        Object.defineProperty(out, key, {
          value,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else out[key] = value;
    }
    return out;
  }
  if (isSeq(node)) {
    return node.items.map((item, i) =>
      visit(w, item as Node | null, joinPointer(pointer, i), depth + 1),
    );
  }
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v !== 'string') return typeof v === 'bigint' ? Number(v) : v;
    const result = interpolate(v, w.env);
    if (result.fromEnv) {
      w.sensitive.add(pointer);
      w.templates.set(pointer, v);
    }
    if (result.issues.length > 0) w.unresolved.add(pointer);
    const { start, verbatim } = literalStart(w.text, node.range?.[0] ?? 0, node.range?.[1] ?? 0, v);
    // Problems inside a string (a policy specifier) can then point at their own column.
    if (verbatim && !result.fromEnv && !v.includes('\n')) w.strings.set(pointer, start);
    for (const issue of result.issues) {
      w.problems.push({
        severity: 'error',
        code: issue.code,
        file: w.file,
        ...w.lines.linePos(start + issue.offset),
        path: pointerToPath(pointer),
        message: issue.message,
        remedy: issue.remedy,
      });
    }
    return result.value;
  }
  return null;
}

/**
 * Where the string's characters start in the source, so that a problem can point at the
 * `${` itself: the first character after an opening quote when the source spells the value
 * verbatim; else the scalar's own start, which is always right if less precise.
 */
function literalStart(
  text: string,
  from: number,
  to: number,
  value: string,
): { start: number; verbatim: boolean } {
  if (to - from === value.length && text.startsWith(value, from))
    return { start: from, verbatim: true };
  const quote = text[from];
  if (
    (quote === '"' || quote === "'") &&
    to - from === value.length + 2 &&
    text.startsWith(value, from + 1)
  ) {
    return { start: from + 1, verbatim: true };
  }
  return { start: from, verbatim: false };
}
