import { isAlias, isMap, isScalar, isSeq, type LineCounter, type Node } from 'yaml';
import type { VariableRead } from '../../core/config/interpolate.js';
import { pointerSegments } from '../../core/pointer.js';
import type { Position } from '../../core/problem.js';
import type { SourceDocument } from '../../core/source.js';
import { literalStart } from './yaml-literal.js';
import type { NodeFacts } from './yaml-prepare.js';

/** One step down a pointer: the node reached, and the offsets of its key and of its value. */
interface Step {
  node: Node | null;
  key: number | undefined;
  value: number | undefined;
}

/**
 * A source document backed by yaml's parsed nodes. Positions are looked up by walking the nodes
 * along the pointer, and turned into line and column only for the values that have a problem.
 */
export class YamlSourceDocument implements SourceDocument {
  /** Whether a node or anything under it, aliases followed, came from the environment. */
  private readonly holdsSensitive = new Map<Node, boolean>();

  constructor(
    readonly file: string,
    readonly index: number,
    readonly value: unknown,
    private readonly root: Node | null,
    private readonly facts: NodeFacts,
    private readonly text: string,
    private readonly lines: LineCounter,
  ) {}

  locate(pointer: string, preferKey = false): Position {
    const { steps } = this.walk(pointer);
    for (let i = steps.length - 1; i >= 0; i--) {
      const { key, value } = steps[i] as Step;
      const offset = preferKey ? (key ?? value) : (value ?? key);
      if (offset !== undefined) return this.lines.linePos(offset);
    }
    return { line: 1, col: 1 };
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
    const { steps, complete } = this.walk(pointer);
    if (!complete) return undefined;
    const node = (steps.at(-1) as Step).node;
    return node === null ? undefined : this.deref(node);
  }

  /**
   * The steps from the root along the pointer, as far as the pointer leads. A value reached
   * through an alias is located at the alias itself; what lies under it, at the anchor's nodes.
   */
  private walk(pointer: string): { steps: Step[]; complete: boolean } {
    let at: Step = { node: this.root, key: undefined, value: this.root?.range?.[0] };
    const steps = [at];
    for (const segment of pointerSegments(pointer)) {
      const parent = at.node === null ? null : this.deref(at.node);
      const next = parent === null ? undefined : child(parent, segment, at.value);
      if (!next) return { steps, complete: false };
      steps.push(next);
      at = next;
    }
    return { steps, complete: true };
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

function child(parent: Node, segment: string, parentOffset: number | undefined): Step | undefined {
  if (isMap(parent)) {
    // The last pair wins, as it does in the value: `1:` and `"1":` are different keys to YAML.
    const pair = parent.items.findLast((p) => isScalar(p.key) && String(p.key.value) === segment);
    if (!pair) return undefined;
    const key = (pair.key as Node).range?.[0] ?? parentOffset;
    const value = pair.value as Node | null;
    return { node: value, key, value: value === null ? key : (value.range?.[0] ?? 0) };
  }
  if (isSeq(parent) && /^(0|[1-9][0-9]*)$/.test(segment)) {
    const index = Number(segment);
    if (index >= parent.items.length) return undefined;
    const item = parent.items[index] as Node | null;
    return { node: item, key: undefined, value: item?.range?.[0] };
  }
  return undefined;
}
