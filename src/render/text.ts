import { escapeControl, inertCommands } from '../core/escape.js';
import { GENERATED, isMasked, type Mask, maskAt } from '../core/mask.js';
import type { Change, FieldChange, Plan, PlanField, WebhookView } from '../core/model.js';
import { yamlDiffLines } from './diff.js';
import { plainStyle, type TextStyle } from './style.js';

const SYMBOL = { create: '+', update: '~', delete: '-', 'no-op': ' ' } as const;

/** A value as plans show it: JSON, or `(none)`. Masked values are already their templates. */
export const show = (v: unknown): string => {
  if (v === null || v === undefined) return '(none)';
  return JSON.stringify(v);
};

/** ` (sensitive)` after a value that holds a masked part: the reviewer sees what is hidden. */
export const marked = (mask: Mask): string => (isMasked(mask) ? ' (sensitive)' : '');

const readsTheSame = (f: FieldChange) =>
  typeof f.before === 'string' && typeof f.after === 'string'
    ? f.before === f.after
    : JSON.stringify(f.before) === JSON.stringify(f.after);

/**
 * Why a change shows no difference, when it does not: its values read the same on both sides
 * but differ in what is masked or left out. Said, never hidden. Undefined when the change shows.
 */
export function hiddenChange(f: FieldChange): string | undefined {
  if (!readsTheSame(f)) return undefined;
  if (isMasked(f.beforeMask) || isMasked(f.afterMask)) return 'sensitive, changed';
  return f.field === 'tags' ? undefined : 'changed in a part not shown';
}

/** Lines for one changed field; statements and tags as a unified diff of their YAML form. */
export function fieldLines(f: FieldChange, c: Change): string[] {
  if (f.field === 'secret')
    return [`~ secret: (sensitive, ${f.before === null ? 'added' : 'changed'})`];
  const masked = isMasked(f.beforeMask) || isMasked(f.afterMask);
  if (f.field === 'tags' && readsTheSame(f) && !masked) {
    return [
      `~ tags: ${show(f.after)} (owner tag ${c.reason === 'adopt' ? 'added: ldhooks takes ownership' : 'changed'})`,
    ];
  }
  const hidden = hiddenChange(f);
  if (hidden) return [`~ ${f.field}: ${show(f.after)} (${hidden})`];
  if (f.field === 'sign') return [`~ sign: ${f.before} -> ${f.after}${generated(c)}`];
  if (f.field === 'tags' || f.field === 'statements') {
    return [
      `~ ${f.field}:${masked ? ' (sensitive values shown as their templates)' : ''}`,
      ...yamlDiffLines(f.before, f.after).map(
        (l) => `    ${l.startsWith('@@') ? l : `${l[0]} ${l.slice(1)}`}`,
      ),
    ];
  }
  return [`~ ${f.field}: ${show(f.before)} -> ${show(f.after)}${masked ? ' (sensitive)' : ''}`];
}

/** ` (secret: (generated))` when signing on makes a secret no config holds; else nothing. */
export const generated = (c: Change): string =>
  c.after?.secret === GENERATED ? ` (secret: ${GENERATED})` : '';

const MASKABLE: PlanField[] = ['name', 'url', 'tags', 'statements'];

/**
 * Sensitive fields an update leaves as they are: shown as masked, so a reviewer sees what was
 * compared without seeing it.
 */
export function unchangedSensitive(c: Change): string[] {
  const changed = new Set(c.fields.map((f) => f.field));
  const lines: string[] = [];
  if (c.after?.secret && !changed.has('secret') && !changed.has('sign')) {
    lines.push('  secret: (sensitive, unchanged)');
  }
  for (const field of MASKABLE) {
    const mask = maskAt(c.afterMask, field);
    if (changed.has(field) || !isMasked(mask) || !c.after) continue;
    if (field === 'statements') {
      lines.push('  statements: (sensitive, unchanged)');
      lines.push(...c.after.statements.map((s) => `    - ${JSON.stringify(s)}`));
    } else lines.push(`  ${field}: ${show(c.after[field])} (sensitive, unchanged)`);
  }
  return lines;
}

function viewLines(v: WebhookView, mask: Mask): string[] {
  const statements = maskAt(mask, 'statements');
  return [
    `url: ${show(v.url)}${marked(maskAt(mask, 'url'))}`,
    `on: ${v.on}`,
    `sign: ${v.sign}${v.secret ? ` (secret: ${v.secret})` : ''}`,
    `tags: ${show(v.tags)}${marked(maskAt(mask, 'tags'))}`,
    v.statements.length === 0 ? 'statements: (none)' : 'statements:',
    ...v.statements.map((s, i) => `  - ${JSON.stringify(s)}${marked(maskAt(statements, i))}`),
  ];
}

export function verbOf(c: Change): string {
  return {
    create: 'will be created',
    update:
      c.reason !== 'adopt'
        ? 'will be updated'
        : c.takenOverFrom
          ? `will be taken over from ${c.takenOverFrom} and updated`
          : 'will be adopted and updated',
    delete:
      c.reason === 'duplicate'
        ? 'will be deleted: an identical copy of another webhook of this name (the one with the smallest id stays)'
        : 'will be deleted: not in config',
    'no-op': 'unchanged',
  }[c.action];
}

export function summaryLine(plan: Plan): string {
  const s = plan.summary;
  if (s.create + s.update + s.delete === 0) {
    return `No changes. LaunchDarkly matches the configuration.${s.unmanaged ? ` (${s.unmanaged} unmanaged ignored)` : ''}`;
  }
  return `Plan: ${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${s.noop} unchanged, ${s.unmanaged} unmanaged ignored.`;
}

/** `--show-unmanaged`: the webhooks the plan leaves alone, by name and id, with their owner. */
export function unmanagedLines(plan: Plan): string[] {
  if (plan.unmanaged.length === 0) return ['No unmanaged webhooks.'];
  return [
    `Not managed by this config (${plan.unmanaged.length}):`,
    ...plan.unmanaged.map(
      (u) =>
        `  ${u.name ?? '(unnamed)'} (${u.id}): ${u.owner ? `owned by ${u.owner}` : 'unmanaged'}`,
    ),
  ];
}

/** The body lines of a change: a whole webhook for create and delete, changed fields for update. */
export function changeLines(c: Change): string[] {
  if (c.action === 'update')
    return [...c.fields.flatMap((f) => fieldLines(f, c)), ...unchangedSensitive(c)];
  if (c.action === 'create') return viewLines(c.after as WebhookView, c.afterMask);
  if (c.action === 'delete') return viewLines(c.before as WebhookView, c.beforeMask);
  return [];
}

/**
 * The plan as text: one block per change, then the summary line. Pure. Every line is escaped
 * before it is styled: a name or value from LaunchDarkly never reaches the terminal with a
 * control character in it (a line break that forges a line, an escape sequence).
 */
export function renderText(
  plan: Plan,
  style: TextStyle = plainStyle,
  options: { showUnmanaged?: boolean } = {},
): string {
  const out: string[] = [];
  if (plan.targets)
    out.push(style.dim(escapeControl(`Limited by --target to: ${plan.targets.join(', ')}`)), '');
  for (const c of plan.changes) {
    if (c.action === 'no-op') continue;
    const paint = style[c.action];
    const id = c.id ? ` (${escapeControl(c.id)})` : '';
    out.push(
      paint(
        `${SYMBOL[c.action]} ${style.bold(escapeControl(c.name))}${id} ${escapeControl(verbOf(c))}`,
      ),
    );
    for (const line of changeLines(c).map(escapeControl)) {
      const colored = line.startsWith('    +')
        ? style.create(line)
        : line.startsWith('    -')
          ? style.delete(line)
          : line;
      out.push(`    ${colored}`);
    }
    out.push('');
  }
  if (options.showUnmanaged) out.push(...unmanagedLines(plan).map(escapeControl), '');
  out.push(style.bold(summaryLine(plan)));
  // No line a CI log shows may read as a runner's command (a name starting with ::error::).
  return `${out.map(inertCommands).join('\n')}\n`;
}
