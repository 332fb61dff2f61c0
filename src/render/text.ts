import type { Change, FieldChange, Plan, WebhookView } from '../core/model.js';

export interface TextStyle {
  create(s: string): string;
  update(s: string): string;
  delete(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export const plainStyle: TextStyle = {
  create: (s) => s,
  update: (s) => s,
  delete: (s) => s,
  dim: (s) => s,
  bold: (s) => s,
};

const SYMBOL = { create: '+', update: '~', delete: '-', 'no-op': ' ' } as const;

const show = (v: unknown): string => {
  if (v === null || v === undefined) return '(none)';
  if (v === '(sensitive)') return '(sensitive)';
  return JSON.stringify(v);
};

function fieldLine(f: FieldChange, c: Change): string {
  if (f.field === 'tags' && !f.sensitive && JSON.stringify(f.before) === JSON.stringify(f.after)) {
    return `~ tags: ${show(f.after)} (owner tag ${c.reason === 'adopt' ? 'added: ldhooks takes ownership' : 'changed'})`;
  }
  if (f.field === 'secret')
    return `~ secret: (sensitive, ${f.before === null ? 'added' : 'changed'})`;
  if (f.sensitive) return `~ ${f.field}: (sensitive, changed)`;
  return `~ ${f.field}: ${show(f.before)} -> ${show(f.after)}`;
}

function viewLines(v: WebhookView): string[] {
  return [
    `url: ${show(v.url)}`,
    `on: ${v.on}`,
    `sign: ${v.sign}${v.secret ? ' (secret: (sensitive))' : ''}`,
    `tags: ${show(v.tags)}`,
    v.statements.length === 0 ? 'statements: (none)' : 'statements:',
    ...v.statements.map((s) => `  - ${JSON.stringify(s)}`),
  ];
}

function header(c: Change, style: TextStyle): string {
  const paint = c.action === 'no-op' ? style.dim : style[c.action];
  const verb = {
    create: 'will be created',
    update: c.reason === 'adopt' ? 'will be adopted and updated' : 'will be updated',
    delete: 'will be deleted',
    'no-op': 'unchanged',
  }[c.action];
  const id = c.id ? ` (${c.id})` : '';
  return paint(
    `${SYMBOL[c.action]} ${style.bold(c.name)}${id} ${verb}${c.action === 'delete' ? ': not in config' : ''}`,
  );
}

/** The plan as text: one block per change, then the summary line. Pure. */
export function renderText(plan: Plan, style: TextStyle = plainStyle): string {
  const out: string[] = [];
  if (plan.targets) out.push(style.dim(`Limited by --target to: ${plan.targets.join(', ')}`), '');
  for (const c of plan.changes) {
    if (c.action === 'no-op') continue;
    out.push(header(c, style));
    const body =
      c.action === 'update'
        ? c.fields.map((f) => fieldLine(f, c))
        : c.action === 'create'
          ? viewLines(c.after as WebhookView)
          : viewLines(c.before as WebhookView);
    for (const line of body) out.push(`    ${line}`);
    out.push('');
  }
  const s = plan.summary;
  if (s.create + s.update + s.delete === 0) {
    out.push(
      `No changes. LaunchDarkly matches the configuration.${s.unmanaged ? ` (${s.unmanaged} unmanaged ignored)` : ''}`,
    );
  } else {
    out.push(
      `Plan: ${s.create} to create, ${s.update} to update, ${s.delete} to delete, ${s.noop} unchanged, ${s.unmanaged} unmanaged ignored.`,
    );
  }
  return `${out.join('\n')}\n`;
}
