import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
  type Pair,
  type YAMLSeq,
} from 'yaml';
import type { VariableRead } from '../../core/config/interpolate.js';
import { pointerSegments } from '../../core/pointer.js';
import type { Position } from '../../core/problem.js';
import type { SourceDocument } from '../../core/source.js';
import { literalStart } from './yaml-literal.js';
import type { NodeFacts } from './yaml-prepare.js';

/** How far a pointer leads: the node reached, and the offset a position is taken from. */
interface Followed {
  node: Node | null;
  /** Whether the pointer was followed to its end. */
  complete: boolean;
  /** The offset of the last step that has one: its key's or its value's, as preferred. */
  offset: number | undefined;
}

/** Whether `text` from `a` to `b` is exactly `word`. */
function spells(word: string, text: string, a: number, b: number): boolean {
  return word.length === b - a && text.startsWith(word, a);
}

/**
 * The array index `text` spells from `a` to `b` (`0`, or digits without a leading zero), or
 * undefined. Past 15 digits it is no index any list here could have.
 */
function indexIn(text: string, a: number, b: number): number | undefined {
  if (b <= a || b - a > 15 || (text.charCodeAt(a) === 48 && b - a > 1)) return undefined;
  let n = 0;
  for (let i = a; i < b; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return undefined;
    n = n * 10 + digit;
  }
  return n;
}

/** The parsed nodes of a document, and what the loader learnt of them. */
export interface DocumentNodes {
  root: Node | null;
  facts: NodeFacts;
}

/**
 * A source document backed by yaml's parsed nodes. Positions are looked up by walking the nodes
 * along the pointer, and turned into line and column only for the values that have a problem.
 * Once its document is checked, a loader may `release` the nodes: a question asked after that
 * (a problem found across files) parses the text again.
 */
export class YamlSourceDocument implements SourceDocument {
  /** Whether a node or anything under it, aliases followed, came from the environment. */
  private holdsSensitive = new Map<Node, boolean>();
  private parsed: DocumentNodes | undefined;

  constructor(
    readonly file: string,
    readonly index: number,
    readonly value: unknown,
    parsed: DocumentNodes,
    private readonly text: string,
    private readonly lines: LineCounter,
    /** The same nodes and facts again, from the text: parsing is deterministic. */
    private readonly reparse: () => DocumentNodes,
  ) {
    this.parsed = parsed;
  }

  /** Lets go of the nodes, which hold many times the memory of the value. */
  release(): void {
    this.parsed = undefined;
    this.holdsSensitive = new Map();
  }

  private get root(): Node | null {
    return this.nodes().root;
  }

  private get facts(): NodeFacts {
    return this.nodes().facts;
  }

  private nodes(): DocumentNodes {
    this.parsed ??= this.reparse();
    return this.parsed;
  }

  locate(pointer: string, preferKey = false): Position {
    const { offset } = this.follow(pointer, preferKey);
    return offset === undefined ? { line: 1, col: 1 } : this.lines.linePos(offset);
  }

  isSensitive(pointer: string): boolean {
    if (this.facts.sensitive.size === 0) return false;
    const node = this.nodeAt(pointer);
    return node !== undefined && this.holds(node);
  }

  templateOf(pointer: string): string | undefined {
    if (this.facts.sensitive.size === 0) return undefined;
    const node = this.nodeAt(pointer);
    return node && this.facts.sensitive.has(node) ? this.facts.written.get(node) : undefined;
  }

  variablesOf(pointer: string): readonly VariableRead[] {
    if (this.facts.variables.size === 0) return [];
    const node = this.nodeAt(pointer);
    return (node && this.facts.variables.get(node)) ?? [];
  }

  isUnresolved(pointer: string): boolean {
    if (this.facts.unresolved.size === 0) return false;
    const node = this.nodeAt(pointer);
    return node !== undefined && this.facts.unresolved.has(node);
  }

  stringStart(pointer: string): Position | undefined {
    const node = this.nodeAt(pointer);
    if (!isScalar(node) || this.facts.sensitive.has(node)) return undefined;
    const written = this.facts.written.get(node) ?? node.value;
    if (typeof written !== 'string' || written.includes('\n')) return undefined;
    const { start, verbatim } = literalStart(this.text, node, written);
    return verbatim ? this.lines.linePos(start) : undefined;
  }

  /** The node that holds the value at `pointer`, an alias replaced by its anchor. */
  private nodeAt(pointer: string): Node | undefined {
    const { node, complete } = this.follow(pointer, false);
    if (!complete) return undefined;
    return node === null ? undefined : this.deref(node);
  }

  /**
   * Follows the pointer from the root as far as it leads. A value reached through an alias is
   * located at the alias itself; what lies under it, at the anchor's nodes. Each step has the
   * offset of its key (a mapping's) and of its value; the last step with the preferred one, or
   * else the other, gives the offset.
   */
  private follow(pointer: string, preferKey: boolean): Followed {
    let node = this.root;
    let parentOffset = this.root?.range?.[0];
    let offset = parentOffset;
    // Escapes (`~0`, `~1`) are rare: such a pointer is cut into unescaped segments. Any other is
    // read where it stands, each segment between two slashes, without cutting it up.
    const unescaped = pointer.includes('~') ? pointerSegments(pointer) : undefined;
    let next = 0;
    let from = 1;
    for (;;) {
      let text: string;
      let a: number;
      let b: number;
      if (unescaped) {
        if (next >= unescaped.length) break;
        text = unescaped[next++] as string;
        a = 0;
        b = text.length;
      } else {
        if (pointer === '' || from > pointer.length) break;
        const slash = pointer.indexOf('/', from);
        text = pointer;
        a = from;
        b = slash === -1 ? pointer.length : slash;
        from = b + 1;
      }
      const parent = node === null ? null : this.deref(node);
      let key: number | undefined;
      let value: number | undefined;
      let child: Node | null;
      if (isMap(parent)) {
        // The last pair wins, as it does in the value: `1:` and `"1":` are different keys to YAML.
        let pair: Pair<unknown, unknown> | undefined;
        for (let i = parent.items.length - 1; i >= 0 && !pair; i--) {
          const p = parent.items[i] as Pair<unknown, unknown>;
          if (isScalar(p.key) && spells(String(p.key.value), text, a, b)) pair = p;
        }
        if (!pair) return { node, complete: false, offset };
        key = (pair.key as Node).range?.[0] ?? parentOffset;
        child = pair.value as Node | null;
        value = child === null ? key : (child.range?.[0] ?? 0);
      } else {
        const index = isSeq(parent) ? indexIn(text, a, b) : undefined;
        if (index === undefined || index >= (parent as YAMLSeq).items.length)
          return { node, complete: false, offset };
        child = (parent as YAMLSeq).items[index] as Node | null;
        value = child?.range?.[0];
      }
      const chosen = preferKey ? (key ?? value) : (value ?? key);
      if (chosen !== undefined) offset = chosen;
      node = child;
      parentOffset = value;
    }
    return { node, complete: true, offset };
  }

  private deref(node: Node): Node {
    return isAlias(node) ? (this.facts.targets.get(node) ?? node) : node;
  }

  private holds(node: Node): boolean {
    const target = this.deref(node);
    if (this.facts.sensitive.has(target)) return true;
    const known = this.holdsSensitive.get(target);
    if (known !== undefined) return known;
    let found = false;
    if (isMap(target)) {
      found = target.items.some((pair) => pair.value !== null && this.holds(pair.value as Node));
    } else if (isSeq(target)) {
      found = target.items.some((item) => item !== null && this.holds(item as Node));
    }
    this.holdsSensitive.set(target, found);
    return found;
  }
}
