import { escapeControl } from '../core/escape.js';
import { type RunFailure, type RunOutcome, reportProblems } from '../core/failure.js';
import type { Change, Plan } from '../core/model.js';
import type { Problem } from '../core/problem.js';
import { yamlDiffLines } from './diff.js';
import {
  changeLines,
  generated,
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
  html(escapeControl(s)).replace(/[\\`*_[\]~!|:.@#$]/g, (c) => `&#${c.charCodeAt(0)};`);
/** Table cells and names: inert, inside <code>. */
const cell = (s: string) => `<code>${inert(s)}</code>`;

/**
 * Free text outside <code> (a message, a remedy): inert, and no reference GitHub links after
 * rendering, where a character reference no longer helps: `@user` would notify someone, `#1`,
 * `owner/repo#1` and `GH-1` would link (and notify) an issue. An empty HTML comment after `@`
 * and `#`, and inside `GH-`, splits the text GitHub searches, and shows nothing. `$` is a
 * character reference already, so `$x$` is never math.
 */
const prose = (s: string) =>
  inert(s)
    .replace(/&#64;|&#35;/g, (m) => `${m}<!-- -->`)
    .replace(/\b(gh)-(?=\d)/gi, '$1<!-- -->-');

/**
 * At most `max` characters of a text from the run (a message, a list of names): the first ones,
 * and an ellipsis. Each part of a report is bounded, so that the whole stays under the limit.
 */
function clip(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length > max ? `${chars.slice(0, max).join('')}…` : s;
}

/** How much of each free text a report shows, before escaping (which may multiply it by 6). */
const MESSAGE_CHARS = 2_000;
const REMEDY_CHARS = 1_000;
const OVERRIDE_CHARS = 200;
const TARGETS_CHARS = 2_000;

function fieldsCell(c: Change): string {
  if (c.action === 'create') return 'new webhook';
  if (c.action === 'delete')
    return c.reason === 'duplicate'
      ? 'whole webhook (identical copy)'
      : 'whole webhook (not in config)';
  const names = [...new Set(c.fields.map((f) => (f.field === 'sign' ? 'sign (secret)' : f.field)))];
  const adopted = c.takenOverFrom
    ? ` (taken over from ${prose(clip(c.takenOverFrom, OVERRIDE_CHARS))})`
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
        `+ ${f.field}: ${show(f.after)}${marked(f.afterMask)}${f.field === 'sign' ? generated(c) : ''}`,
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

/** Past this, a part is left out whole and a note says so: room for the note and what follows. */
const ROOM = 400;

const more = (left: number, what: string, limit: number, hint: string) =>
  `\n_${left} more ${what} not shown: the comment is limited to ${limit.toLocaleString('en-US')} characters. ${hint}_\n`;

/** The first words of a failure: what did not happen, and why, in a reviewer's terms. */
function headline(f: RunFailure, planned: boolean): string {
  if (f.kind === 'guard' && f.guard)
    return `⛔ Refused by the guard \`${f.guard.name}\`: this plan will not be applied.`;
  if (f.kind === 'stale-plan') return '⛔ Refused: the saved plan no longer matches LaunchDarkly.';
  if (planned) return '❌ Planned, but the run failed.';
  const why: Partial<Record<RunFailure['kind'], string>> = {
    config: 'the configuration is not valid',
    ownership: 'the plan would change webhooks this config does not own, or cannot tell apart',
    target: '`--target` names no webhook',
    settings: 'the settings to reach LaunchDarkly are not valid',
    input: 'an option or a setting is not valid',
    'plan-file': 'the saved plan cannot be used',
    api: 'a request to LaunchDarkly failed',
  };
  return `❌ Not planned: ${why[f.kind] ?? 'ldhooks failed'}.`;
}

function failureLines(f: RunFailure, planned: boolean): string[] {
  const out = [
    `**${headline(f, planned)}** (exit code ${f.exitCode})`,
    '',
    `> error: ${prose(clip(f.message, MESSAGE_CHARS))}`,
  ];
  if (f.guard) {
    // The words of the remedy, with the option itself as code.
    const allow = clip(f.guard.allow, REMEDY_CHARS)
      .split(f.guard.override)
      .map(prose)
      .join(`<code>${inert(clip(f.guard.override, OVERRIDE_CHARS))}</code>`);
    out.push('', `**To allow it:** ${allow}`);
  } else if (f.remedy) out.push('', `**What to do:** ${prose(clip(f.remedy, REMEDY_CHARS))}`);
  return out;
}

const where = (p: Problem) => {
  const at = p.line === 0 ? p.file : `${p.file}:${p.line}:${p.col}`;
  return `<code>${inert(at)}</code>${p.path ? ` <code>${inert(p.path)}</code>` : ''}`;
};

/**
 * Problems as a table, as many rows as fit in `room` characters; a note says how many were left
 * out. Every text is inert: a message may quote the config, a name may come from LaunchDarkly.
 */
function problemTable(
  problems: readonly Problem[],
  what: 'Problem' | 'Warning',
  room: number,
  limit: number,
): string {
  const rows = [`| Where | ${what} | What to do |`, '|---|---|---|'];
  let length = rows.join('\n').length;
  let shown = 0;
  for (const p of problems) {
    const row = `| ${where(p)} | ${prose(clip(p.message, MESSAGE_CHARS))} | ${p.remedy ? prose(clip(p.remedy, REMEDY_CHARS)) : ''} |`;
    if (length + row.length + ROOM > room) break;
    rows.push(row);
    length += row.length + 1;
    shown++;
  }
  const left = problems.length - shown;
  const note =
    left > 0
      ? more(
          left,
          what === 'Warning' ? 'warnings' : 'problems',
          limit,
          'Run `ldhooks validate` to see them all.',
        )
      : '';
  return `${rows.join('\n')}${note ? `\n${note}` : ''}`.replace(/\n+$/, '');
}

/** The head of a report: marker, title, why the run failed, its errors, its warnings. */
function reportHead(outcome: RunOutcome, planned: boolean, limit: number): string {
  const problems = reportProblems(outcome);
  const errors = problems.filter((p) => p.severity === 'error');
  const warnings = problems.filter((p) => p.severity === 'warning');
  let text = [MARKDOWN_MARKER, '### ldhooks plan'].join('\n');
  if (outcome.failure) text += `\n\n${failureLines(outcome.failure, planned).join('\n')}`;
  // Errors get the room they need first (up to half the comment when a plan follows).
  if (errors.length > 0) {
    const room = (planned ? limit / 2 : limit) - text.length;
    text += `\n\n#### Errors (${errors.length})\n\n${problemTable(errors, 'Problem', room, limit)}`;
  }
  if (warnings.length > 0) {
    const room = (planned ? (limit * 3) / 4 : limit) - text.length;
    text += `\n\n<details><summary>⚠️ ${warnings.length} warning${warnings.length === 1 ? '' : 's'}</summary>\n\n${problemTable(warnings, 'Warning', room, limit)}\n\n</details>`;
  }
  return text.replace(/\n+$/, '');
}

/**
 * The plan as a pull-request comment: a marker, a summary line, a table, and one collapsible
 * diff per change. Never longer than `limit`: past it, details are left out, whole, with a note.
 * What else the run says comes first: why it was refused or failed, the config's problems
 * (warnings collapsed).
 */
export function renderMarkdown(
  plan: Plan,
  limit = MARKDOWN_LIMIT,
  outcome: RunOutcome = {},
): string {
  const changes = plan.changes.filter((c) => c.action !== 'no-op');
  const head = [reportHead(outcome, true, limit), '', `**${summaryLine(plan)}**`];
  if (plan.targets) head.push('', `_Limited by \`--target\` to: ${targetsLine(plan.targets)}_`);
  if (changes.length === 0) return within(`${head.join('\n')}\n`, limit);

  const rows = ['', '| Action | Webhook | Changes |', '|---|---|---|'];
  let shownRows = 0;
  const tail = (left: number, what: string) =>
    more(left, what, limit, 'Run `ldhooks plan` to see the full plan.');
  let text = head.join('\n');
  for (const c of changes) {
    const row = `| ${ICON[c.action]} | ${cell(c.name)} | ${fieldsCell(c)} |`;
    if (text.length + rows.join('\n').length + row.length + ROOM > limit) break;
    rows.push(row);
    shownRows++;
  }
  text = `${text}\n${rows.join('\n')}\n`;
  if (shownRows < changes.length)
    return within(text + tail(changes.length - shownRows, 'changes (rows and details)'), limit);

  let shown = 0;
  for (const c of changes) {
    const block = `\n${details(c)}\n`;
    if (text.length + block.length + ROOM > limit) break;
    text += block;
    shown++;
  }
  if (shown < changes.length) text += tail(changes.length - shown, 'change details');
  return within(text, limit);
}

/** The names of --target, as many as fit in their share of the comment. */
function targetsLine(targets: readonly string[]): string {
  const shown: string[] = [];
  let length = 0;
  for (const t of targets) {
    const name = clip(t, OVERRIDE_CHARS);
    if (length + name.length > TARGETS_CHARS) break;
    shown.push(cell(name));
    length += name.length + 2;
  }
  const left = targets.length - shown.length;
  return `${shown.join(', ')}${left > 0 ? ` and ${left} more` : ''}`;
}

/**
 * The last bound of a report: every part is bounded, so this never cuts in practice; if it ever
 * must, it cuts at a line and says so, rather than post a comment GitHub refuses.
 */
function within(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const note = `\n_The rest is not shown: the comment is limited to ${limit.toLocaleString('en-US')} characters. Run \`ldhooks plan\` to see it all._\n`;
  const cut = text.slice(0, limit - note.length);
  return `${cut.slice(0, Math.max(0, cut.lastIndexOf('\n')))}${note}`;
}

/**
 * `plan --format markdown` of any run: the plan with what the run says about it, or, when no
 * plan was made, why not: the failure, the problems with their places and remedies. Pure.
 */
export function renderPlanReportMarkdown(
  plan: Plan | undefined,
  outcome: RunOutcome,
  limit = MARKDOWN_LIMIT,
): string {
  if (plan) return renderMarkdown(plan, limit, outcome);
  return within(`${reportHead(outcome, false, limit)}\n`, limit);
}
