import { isAlias, isMap, isScalar, isSeq, type LineCounter, type Node, type Pair } from 'yaml';
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

/** Where a walk along a pointer stands after a step. */
interface WalkStep {
  node: Node | null;
  /** The offset of the value reached, which locates what a missing key under it would. */
  parentOffset: number | undefined;
  /** The offset so far, preferring keys, and preferring values. */
  keyOffset: number | undefined;
  valueOffset: number | undefined;
}

const INDEX = /^(0|[1-9][0-9]*)$/;

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
  /** The steps of the last walk along a pointer, the root's first (see follow). */
  private walked: { segments: string[]; steps: WalkStep[] } = { segments: [], steps: [] };

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
    const at = parsed.root?.range?.[0];
    this.walked.steps.push({ node: parsed.root, parentOffset: at, keyOffset: at, valueOffset: at });
  }

  /** Lets go of the nodes, which hold many times the memory of the value. */
  release(): void {
    this.parsed = undefined;
    this.holdsSensitive = new Map();
    this.walked = { segments: [], steps: [] };
  }

  private get root(): Node | null {
    return this.nodes().root;
  }

  private get facts(): NodeFacts {
    return this.nodes().facts;
  }

  private nodes(): DocumentNodes {
    if (!this.parsed) {
      this.parsed = this.reparse();
      const root = this.parsed.root;
      const at = root?.range?.[0];
      this.walked = {
        segments: [],
        steps: [{ node: root, parentOffset: at, keyOffset: at, valueOffset: at }],
      };
    }
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
   * else the other, gives the offset. The walk resumes the last one where the two pointers
   * agree: positions are asked for in document order (a webhook, then its statements).
   */
  private follow(pointer: string, preferKey: boolean): Followed {
    this.nodes();
    const last = this.walked;
    const segments =
      pointer === ''
        ? []
        : pointer.includes('~')
          ? pointerSegments(pointer)
          : pointer.slice(1).split('/');
    let depth = 0;
    while (
      depth < segments.length &&
      depth < last.segments.length &&
      segments[depth] === last.segments[depth]
    )
      depth++;
    let { node, parentOffset, keyOffset, valueOffset } = last.steps[depth] as WalkStep;
    const answer = (complete: boolean): Followed => ({
      node,
      complete,
      offset: preferKey ? keyOffset : valueOffset,
    });
    last.segments.length = depth;
    last.steps.length = depth + 1;
    for (; depth < segments.length; depth++) {
      const segment = segments[depth] as string;
      const parent = node === null ? null : this.deref(node);
      let key: number | undefined;
      let value: number | undefined;
      let next: Node | null;
      if (isMap(parent)) {
        // The last pair wins, as it does in the value: `1:` and `"1":` are different keys to YAML.
        let pair: Pair<unknown, unknown> | undefined;
        for (let i = parent.items.length - 1; i >= 0 && !pair; i--) {
          const p = parent.items[i] as Pair<unknown, unknown>;
          if (isScalar(p.key) && String(p.key.value) === segment) pair = p;
        }
        if (!pair) return answer(false);
        key = (pair.key as Node).range?.[0] ?? parentOffset;
        next = pair.value as Node | null;
        value = next === null ? key : (next.range?.[0] ?? 0);
      } else if (isSeq(parent) && INDEX.test(segment)) {
        const index = Number(segment);
        if (index >= parent.items.length) return answer(false);
        next = parent.items[index] as Node | null;
        value = next?.range?.[0];
      } else return answer(false);
      keyOffset = key ?? value ?? keyOffset;
      valueOffset = value ?? key ?? valueOffset;
      node = next;
      parentOffset = value;
      last.segments.push(segment);
      last.steps.push({ node, parentOffset, keyOffset, valueOffset });
    }
    return answer(true);
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
