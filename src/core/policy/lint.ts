import {
  emptyVariables,
  environmentRemedy,
  environmentValue,
} from '../config/environment-value.js';
import { canonicalStatement } from '../config/statements.js';
import type { ConfigDocument, Statement } from '../model.js';
import { joinPointer, pointerToPath } from '../pointer.js';
import type { Problem } from '../problem.js';
import type { SourceDocument } from '../source.js';
import { closest } from '../suggest.js';
import { ALL_ACTIONS, CATALOG, KNOWN_ACTIONS, kindsWithAction } from './catalog.js';
import { leafKindShown, quote } from './quote.js';
import { parseSpecifier } from './specifier.js';

interface Located {
  statement: Statement;
  pointer: string;
}

/**
 * Policy lint for one schema-valid document: specifier shape (errors) and unknown kinds and
 * actions (warnings), then the rules over each webhook's statements: a statement that can never
 * match, an allow shadowed by a deny, an action that does not apply to the resource kind, a
 * webhook that receives nothing, duplicate statements. Webhooks in `skip` failed the schema.
 */
export function lintPolicies(
  doc: SourceDocument,
  skip: ReadonlySet<number> = new Set(),
): Problem[] {
  const config = doc.value as ConfigDocument;
  const problems: Problem[] = [];
  const at: Report = (pointer, severity, code, message, remedy, column) => {
    const start = column !== undefined ? doc.stringStart(pointer) : undefined;
    const pos = start
      ? { line: start.line, col: start.col + (column as number) - 1 }
      : doc.locate(pointer);
    problems.push({
      severity,
      code,
      file: doc.file,
      ...pos,
      path: pointerToPath(pointer),
      message,
      ...(remedy ? { remedy } : {}),
    });
  };

  const lintList = (list: readonly Statement[] | undefined, base: string): Located[] => {
    const located = (list ?? [])
      .map((statement, j) => ({ statement, pointer: joinPointer(base, j) }))
      // A statement with a value still unknown (an unset variable, allowed) cannot be judged.
      .filter(({ statement, pointer }) => !holdsUnknown(statement, pointer, doc));
    for (const { statement, pointer } of located) lintStatement(statement, pointer, at, doc);
    return located;
  };

  const defaults = lintList(config.defaults?.statements, '/defaults/statements');
  config.webhooks.forEach((hook, i) => {
    // A webhook that failed the schema has its own problems; its values are not statements.
    if (skip.has(i)) return;
    const own = lintList(hook.statements, joinPointer(joinPointer('/webhooks', i), 'statements'));
    const effective = hook.statements ? own : defaults;
    if (effective.length > 0) lintWebhook(effective, joinPointer('/webhooks', i), at);
  });
  return problems;
}

type Report = (
  pointer: string,
  severity: Problem['severity'],
  code: string,
  message: string,
  remedy?: string,
  column?: number,
) => void;

/** Whether any value of the statement is an unknown placeholder (validate --allow-missing-env). */
function holdsUnknown(s: Statement, pointer: string, doc: SourceDocument): boolean {
  return (['resources', 'notResources', 'actions', 'notActions'] as const).some((key) =>
    (s[key] ?? []).some((_, k) => doc.isUnresolved(joinPointer(joinPointer(pointer, key), k))),
  );
}

/**
 * A string that holds a value from the environment is never quoted as resolved, nor pointed
 * into by column (a column would tell its length), nor matched to a suggestion (which would
 * tell what it is close to): messages quote its template and point at its start.
 */
function lintStatement(s: Statement, pointer: string, report: Report, doc: SourceDocument): void {
  for (const key of ['resources', 'notResources'] as const) {
    (s[key] ?? []).forEach((spec, k) => {
      const { issues } = parseSpecifier(spec);
      // Most specifiers are well formed: nothing to locate or to word.
      if (issues.length === 0) return;
      const at = joinPointer(joinPointer(pointer, key), k);
      const hidden = doc.isSensitive(at);
      // Which part of a hidden specifier is wrong cannot be told; an empty variable can.
      const env = environmentValue(doc, at);
      const empty = env && emptyVariables(env);
      for (const issue of issues) {
        if (hidden) {
          const { message, remedy } = issue.masked;
          report(
            at,
            issue.severity,
            issue.code,
            `${message} in ${quote(doc, at, spec)}${empty ? `: ${empty}` : ''}`,
            env && empty
              ? environmentRemedy(env, 'a resource specifier')
              : env
                ? `fix the text or the value of ${env.variables.map((v) => v.name).join(', ')} (from the environment)${remedy ? `: ${remedy}` : ''}`
                : remedy,
          );
        } else report(at, issue.severity, issue.code, issue.message, issue.remedy, issue.column);
      }
    });
  }
  for (const key of ['actions', 'notActions'] as const) {
    (s[key] ?? []).forEach((action, k) => {
      if (action.includes('*') || KNOWN_ACTIONS.has(action)) return;
      const at = joinPointer(joinPointer(pointer, key), k);
      const guess = doc.isSensitive(at) ? undefined : closest(action, ALL_ACTIONS);
      const env = environmentValue(doc, at);
      report(
        at,
        'warning',
        'policy.unknown-action',
        `unknown action ${quote(doc, at, action)}${guess ? `, did you mean "${guess}"?` : ''}`,
        env
          ? environmentRemedy(env, 'an action LaunchDarkly knows, such as updateOn')
          : guess
            ? `write ${guess}`
            : "check the action name in LaunchDarkly's documentation",
      );
    });
  }
  for (const [key, what] of [
    ['notResources', 'resource'],
    ['notActions', 'action'],
  ] as const) {
    const all = s[key]?.indexOf('*') ?? -1;
    if (all === -1) continue;
    const written = doc.isSensitive(joinPointer(joinPointer(pointer, key), all))
      ? `a value from the environment in ${key}`
      : `${key}: ["*"]`;
    report(
      joinPointer(pointer, key),
      'warning',
      'policy.never-matches',
      `this statement can never match: ${written} excludes every ${what}`,
      `remove the statement, or name the ${what}s to exclude`,
    );
  }
  lintActionKinds(s, pointer, report, doc);
}

/** An action that no kind this statement names can take. */
function lintActionKinds(s: Statement, pointer: string, report: Report, doc: SourceDocument) {
  if (!s.resources || !s.actions) return;
  const leafKinds = new Set<string>();
  const leaves: string[] = [];
  for (const spec of s.resources) {
    const p = parseSpecifier(spec);
    const leaf = p.segments.at(-1)?.kind;
    if (p.any || !leaf || !CATALOG[leaf]) return;
    leafKinds.add(leaf);
    leaves.push(leaf);
  }
  // Worded only for a warning: most statements have none.
  const kinds = () =>
    leaves.every((leaf, k) =>
      leafKindShown(doc, joinPointer(joinPointer(pointer, 'resources'), k), leaf),
    )
      ? `${[...leafKinds].join(' or ')} resources`
      : 'the kinds of resource this statement names';
  s.actions.forEach((action, k) => {
    if (action.includes('*') || !KNOWN_ACTIONS.has(action)) return;
    if ([...leafKinds].some((kind) => CATALOG[kind]?.actions.includes(action))) return;
    const at = joinPointer(joinPointer(pointer, 'actions'), k);
    const applies = kindsWithAction(action);
    report(
      at,
      'warning',
      'policy.action-kind',
      `action ${quote(doc, at, action)} does not apply to ${kinds()}, so it never matches here`,
      doc.isSensitive(at)
        ? 'end the specifier with a segment of a kind the action applies to'
        : `"${action}" applies to ${applies.join(', ')}; end the specifier with such a segment, such as ${example(applies[0] as string)}`,
    );
  });
}

function example(kind: string): string {
  const parents = CATALOG[kind]?.parents ?? [];
  return [...parents, kind].map((k) => `${k}/*`).join(':');
}

const neverMatches = (s: Statement) =>
  Boolean(s.notResources?.includes('*') || s.notActions?.includes('*'));

/** Whether every event `allow` matches is also matched by `deny` (checked on the positive forms). */
function covers(deny: Statement, allow: Statement): boolean {
  if (!deny.resources || !deny.actions || !allow.resources || !allow.actions) return false;
  const actionsCovered =
    deny.actions.includes('*') || allow.actions.every((a) => deny.actions?.includes(a));
  if (!actionsCovered) return false;
  return allow.resources.every((spec) => deny.resources?.some((d) => specifierCovers(d, spec)));
}

function specifierCovers(outer: string, inner: string): boolean {
  if (outer === '*' || outer === inner) return true;
  const o = parseSpecifier(outer);
  const i = parseSpecifier(inner);
  if (o.any) return true;
  if (i.any || o.segments.length !== i.segments.length) return false;
  return o.segments.every((seg, n) => {
    const other = i.segments[n] as (typeof i.segments)[number];
    return (
      seg.kind === other.kind &&
      (seg.name === '*' || seg.name === other.name) &&
      !seg.selector &&
      seg.tags.every((t) => other.tags.includes(t))
    );
  });
}

function lintWebhook(statements: Located[], hookPointer: string, report: Report): void {
  const seen = new Map<string, string>();
  // One statement has no duplicate: its canonical form is not worth making.
  for (const { statement, pointer } of statements.length > 1 ? statements : []) {
    const key = JSON.stringify(canonicalStatement(statement));
    const first = seen.get(key);
    if (first) {
      report(
        pointer,
        'warning',
        'policy.duplicate',
        `duplicate statement: the same as ${pointerToPath(first)}`,
        'remove one of them',
      );
    } else seen.set(key, pointer);
  }
  let usefulAllows = 0;
  for (const { statement, pointer } of statements) {
    if (statement.effect !== 'allow' || neverMatches(statement)) continue;
    const shadow = statements.find(
      (d) => d.statement.effect === 'deny' && covers(d.statement, statement),
    );
    if (shadow) {
      report(
        pointer,
        'warning',
        'policy.shadowed',
        `this allow is fully shadowed by the deny at ${pointerToPath(shadow.pointer)}: it lets nothing through`,
        'narrow the deny, or remove the allow',
      );
      continue;
    }
    usefulAllows++;
  }
  if (usefulAllows === 0) {
    report(
      joinPointer(hookPointer, 'statements'),
      'warning',
      'policy.receives-nothing',
      'this webhook receives no events: no allow statement can match',
      'add an allow statement, such as { effect: allow, resources: ["proj/*:env/production:flag/*"], actions: ["*"] }',
    );
  }
}
