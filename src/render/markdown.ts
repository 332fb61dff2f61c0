import { escapeControl } from '../core/escape.js';
import type { Change, Plan } from '../core/model.js';
import { yamlDiffLines } from './diff.js';
import {
  changeLines,
  hiddenChange,
  marked,
  show,
  summaryLine,
  unchangedSensitive,
  verbOf,
} from './text.js';

/** The first line of every comment: CI finds it to update one sticky comment. */
export const MARKDOWN_MARKER = '<!-- ldhooks-plan -->';
/** GitHub refuses comments over 65,536 characters; stay under with room to spare. */
export const MARKDOWN_LIMIT = 65_000;

const ICON = {
  create: '➕ create',
  update: '✏️ update',
  delete: '➖ delete',
  'no-op': 'no-op',
} as const;

const html = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/**
 * A name or id as Markdown reads it, even inside <code>: control characters escaped visibly (a
 * line break would end the table row or the summary), HTML escaped, and the characters of
 * Markdown's inline syntax and of table cells written as character references, so that a name
 * from LaunchDarkly shows as itself and never as a link, emphasis or another cell. `:`, `.` and
 * `@` too: GitHub turns bare `https://…`, `www.…` and e-mail addresses into links.
 */
const inert = (s: string) =>
  html(escapeControl(s)).replace(/[\\`*_[\]~!|:.@]/g, (c) => `&#${c.charCodeAt(0)};`);
/** Table cells and names: inert, inside <code>. */
const cell = (s: string) => `<code>${inert(s)}</code>`;

function fieldsCell(c: Change): string {
  if (c.action === 'create') return 'new webhook';
  if (c.action === 'delete')
    return c.reason === 'duplicate'
      ? 'whole webhook (identical copy)'
      : 'whole webhook (not in config)';
  const names = [...new Set(c.fields.map((f) => (f.field === 'sign' ? 'sign (secret)' : f.field)))];
  const adopted = c.takenOverFrom
    ? ` (taken over from ${inert(c.takenOverFrom)})`
    : c.reason === 'adopt'
      ? ' (adopted)'
      : '';
  return `${names.join(', ')}${adopted}`;
}

/** An update as diff lines: - old / + new per field, a YAML diff for tags and statements. */
function updateLines(c: Change): string[] {
  const out: string[] = [];
  for (const f of c.fields) {
    if (f.field === 'secret') {
      out.push(
        `- secret: ${f.before === null ? '(none)' : '(sensitive)'}`,
        '+ secret: (sensitive, changed)',
      );
    } else if (hiddenChange(f)) {
      out.push(
        `- ${f.field}: ${show(f.before)}`,
        `+ ${f.field}: ${show(f.after)} (${hiddenChange(f)})`,
      );
    } else if (f.field === 'tags' || f.field === 'statements') {
      out.push(`  ${f.field}:`);
      for (const line of yamlDiffLines(f.before, f.after)) {
        out.push(
          line.startsWith('@@')
            ? `  ${line}`
            : `${line[0] === ' ' ? ' ' : line[0]}     ${line.slice(1)}`,
        );
      }
      if (f.field === 'tags' && JSON.stringify(f.before) === JSON.stringify(f.after)) {
        out.push(
          `+ (owner tag ${c.reason === 'adopt' ? 'added: ldhooks takes ownership' : 'changed'})`,
        );
      }
    } else {
      out.push(
        `- ${f.field}: ${show(f.before)}${marked(f.beforeMask)}`,
        `+ ${f.field}: ${show(f.after)}${marked(f.afterMask)}`,
      );
    }
  }
  return [...out, ...unchangedSensitive(c)];
}

function details(c: Change): string {
  const symbol = { create: '+', update: '~', delete: '-', 'no-op': ' ' }[c.action];
  const body =
    c.action === 'update'
      ? updateLines(c)
      : changeLines(c).map((line) => `${c.action === 'create' ? '+' : '-'} ${line}`);
  const fence = body.some((l) => l.includes('```')) ? '~~~~' : '```';
  // An owner tag comes from LaunchDarkly: inert like a name.
  const verb = c.takenOverFrom
    ? `will be taken over from ${cell(c.takenOverFrom)} and updated`
    : html(verbOf(c));
  return [
    `<details><summary>${symbol} ${cell(c.name)}${c.id ? ` (${inert(c.id)})` : ''} ${verb}</summary>`,
    '',
    `${fence}diff`,
    ...body.map(escapeControl),
    fence,
    '',
    '</details>',
  ].join('\n');
}

/**
 * The plan as a pull-request comment: a marker, a summary line, a table, and one collapsible
 * diff per change. Never longer than `limit`: past it, details are left out, whole, with a note.
 */
export function renderMarkdown(plan: Plan, limit = MARKDOWN_LIMIT): string {
  const changes = plan.changes.filter((c) => c.action !== 'no-op');
  const head = [MARKDOWN_MARKER, `### ldhooks plan`, '', `**${summaryLine(plan)}**`];
  if (plan.targets)
    head.push('', `_Limited by \`--target\` to: ${plan.targets.map(cell).join(', ')}_`);
  if (changes.length === 0) return `${head.join('\n')}\n`;

  const rows = ['', '| Action | Webhook | Changes |', '|---|---|---|'];
  let shownRows = 0;
  const tail = (left: number, what: string) =>
    `\n_${left} more ${what} not shown: the comment is limited to ${limit.toLocaleString('en-US')} characters. Run \`ldhooks plan\` to see the full plan._\n`;
  let text = head.join('\n');
  for (const c of changes) {
    const row = `| ${ICON[c.action]} | ${cell(c.name)} | ${fieldsCell(c)} |`;
    if (text.length + rows.join('\n').length + row.length + 400 > limit) break;
    rows.push(row);
    shownRows++;
  }
  text = `${text}\n${rows.join('\n')}\n`;
  if (shownRows < changes.length)
    return text + tail(changes.length - shownRows, 'changes (rows and details)');

  let shown = 0;
  for (const c of changes) {
    const block = `\n${details(c)}\n`;
    if (text.length + block.length + 400 > limit) break;
    text += block;
    shown++;
  }
  if (shown < changes.length) text += tail(changes.length - shown, 'change details');
  return text;
}
