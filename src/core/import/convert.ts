/**
 * `ldhooks import`, the pure part: the live webhooks of an account in, one config document (YAML
 * text, comments included) and a report out. The document is written so that planning it against
 * the same account changes nothing but ownership: every imported webhook is declared exactly as
 * LaunchDarkly holds it, and a webhook that could not be matched by name on the next plan (no
 * name, or a name another webhook also has) is never declared, only shown commented out, so the
 * plan can neither recreate it under a generated name nor fail on an ambiguous adoption.
 */
import { Document, Scalar, visit, type YAMLMap, type YAMLSeq } from 'yaml';
import { canonicalStatements } from '../config/statements.js';
import { escapeControl, inertText, needsEscaping } from '../escape.js';
import type { LiveWebhook, Statement } from '../model.js';
import { sortedUnique } from '../sorted-unique.js';

export const DEFAULT_OWNER_TAG = 'managed-by-ldhooks';
/** The prefix of owner tags: a webhook with another tag of this form belongs to another config. */
export const OWNER_PREFIX = 'managed-by-';

export interface ImportOptions {
  /** The owner tag of the config written (default `managed-by-ldhooks`). */
  ownerTag?: string;
  /** Also import the webhooks that carry no owner tag, as `adopt: true`. */
  all?: boolean;
  /** Write `sign: true` for signed webhooks instead of a `${LDHOOKS_SECRET_*}` secret. */
  keepLiveSecrets?: boolean;
  /**
   * The `$schema` of the yaml-language-server comment (a path relative to the file, or a URL).
   * Without it (the file's place is not known), the header says how to add one instead.
   */
  schema?: string;
  /** Names an existing config already declares: not imported again. */
  declared?: ReadonlySet<string>;
  /**
   * The owner tags of that existing config: a webhook it declares that carries one of them is
   * its own, "already declared", not another config's, whatever `ownerTag` imports by.
   */
  declaredOwners?: ReadonlySet<string>;
  /** Variables an existing config already reads: never given to another webhook's secret. */
  reservedVariables?: ReadonlySet<string>;
}

/** A signed webhook's secret variable: the name to set, never the value. */
export interface SecretVariable {
  variable: string;
  webhook: string;
  id: string;
}

export type SkipReason =
  /** Carries another `managed-by-*` tag: another config owns it. */
  | 'owned-elsewhere'
  /** No owner tag and no `--all`. */
  | 'unmanaged'
  /** No name: no declared webhook can match it. */
  | 'unnamed'
  /** Another live webhook has the same name: the match would be ambiguous. */
  | 'duplicate-name'
  /** The existing config (PATH) declares it already. */
  | 'declared';

export interface Skipped {
  id: string;
  name?: string;
  reason: SkipReason;
  /** True when the webhook carries the owner tag: the next plan would delete it (see note). */
  managed: boolean;
  /** The name the commented-out entry uses (`webhook-<first 8 of id>` for unnamed ones). */
  suggestedName?: string;
  ownerTags?: string[];
}

export interface ImportResult {
  /** The config document, ready to write. */
  text: string;
  /** Declared webhooks (adopted ones included). */
  imported: number;
  adopted: number;
  secretVariables: SecretVariable[];
  skipped: Skipped[];
  /** One line per note for a person, control characters escaped; warnings start with `warning:`. */
  notes: string[];
}

/** `LDHOOKS_SECRET_<NAME>`: upper-cased, each character other than a letter or digit as `_`. */
export function secretVariable(name: string): string {
  return `LDHOOKS_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** A live string written so that interpolation gives it back: `${` becomes `$${`. */
export function literal(s: string): string {
  return s.replaceAll('${', () => '$${');
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface Entry {
  live: LiveWebhook;
  name: string;
  adopt: boolean;
}

export function importWebhooks(
  live: readonly LiveWebhook[],
  options: ImportOptions = {},
): ImportResult {
  const ownerTag = options.ownerTag ?? DEFAULT_OWNER_TAG;
  const skipped: Skipped[] = [];
  const candidates: Entry[] = [];
  const othersOf = (l: LiveWebhook) =>
    sortedUnique(l.tags.filter((t) => t.startsWith(OWNER_PREFIX) && t !== ownerTag));
  // Names clash only among what would be imported, and a managed webhook only with another
  // managed one: the planner matches managed webhooks first, so an unrelated webhook of the
  // same name must never make a managed one look ambiguous (and be deleted by the next plan).
  const count = (list: readonly LiveWebhook[]) => {
    const m = new Map<string, number>();
    for (const l of list) if (l.name) m.set(l.name, (m.get(l.name) ?? 0) + 1);
    return m;
  };
  const importable = live.filter(
    (l) => othersOf(l).length === 0 && (l.tags.includes(ownerTag) || options.all),
  );
  const managedCount = count(importable.filter((l) => l.tags.includes(ownerTag)));
  const importableCount = count(importable);
  const nameCount = count(live);

  for (const l of live) {
    const managed = l.tags.includes(ownerTag);
    const others = othersOf(l);
    // The existing config's own webhook, under whichever of its owner tags: declared already.
    if (
      l.name &&
      options.declared?.has(l.name) &&
      others.length > 0 &&
      others.every((t) => options.declaredOwners?.has(t))
    ) {
      skipped.push({ id: l.id, name: l.name, reason: 'declared', managed: true });
      continue;
    }
    // Another owner's tag, even beside ours: a webhook two configs claim is not ours to write.
    if (others.length > 0) {
      skipped.push({
        id: l.id,
        ...named(l),
        reason: 'owned-elsewhere',
        managed,
        ownerTags: others,
      });
      continue;
    }
    if (!managed && !options.all) {
      skipped.push({ id: l.id, ...named(l), reason: 'unmanaged', managed });
      continue;
    }
    if (l.name && options.declared?.has(l.name)) {
      skipped.push({ id: l.id, name: l.name, reason: 'declared', managed });
      continue;
    }
    if (!l.name) {
      skipped.push({ id: l.id, reason: 'unnamed', managed });
      continue;
    }
    if (((managed ? managedCount : importableCount).get(l.name) ?? 0) > 1) {
      skipped.push({ id: l.id, name: l.name, reason: 'duplicate-name', managed });
      continue;
    }
    candidates.push({ live: l, name: l.name, adopt: !managed });
  }
  candidates.sort((a, b) => compareText(a.name, b.name) || compareText(a.live.id, b.live.id));

  // Names for the commented-out entries: unique among every name in the account and each other.
  const taken = new Set(nameCount.keys());
  for (const s of skipped) {
    if (s.reason !== 'unnamed' && s.reason !== 'duplicate-name') continue;
    const base =
      s.reason === 'unnamed' ? `webhook-${s.id.slice(0, 8)}` : `${s.name}-${s.id.slice(0, 8)}`;
    let name = base;
    for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
    taken.add(name);
    s.suggestedName = name;
  }
  skipped.sort(
    (a, b) =>
      compareText(a.reason, b.reason) ||
      compareText(a.name ?? '', b.name ?? '') ||
      compareText(a.id, b.id),
  );

  const variables = new Set<string>(options.reservedVariables);
  const secretVariables: SecretVariable[] = [];
  const uniqueVariable = (name: string) => {
    const base = secretVariable(name);
    let v = base;
    for (let i = 2; variables.has(v); i++) v = `${base}_${i}`;
    variables.add(v);
    return v;
  };

  const doc = new Document();
  const root = doc.createNode({}) as YAMLMap;
  doc.contents = root;
  root.set('version', 1);
  if (ownerTag !== DEFAULT_OWNER_TAG) root.set('ownerTag', ownerTag);
  const webhooks = doc.createNode([]) as YAMLSeq;
  for (const e of candidates) {
    let variable: string | undefined;
    if (hasSecret(e.live) && !options.keepLiveSecrets) {
      variable = uniqueVariable(e.name);
      secretVariables.push({ variable, webhook: e.name, id: e.live.id });
    }
    const node = webhookNode(doc, e.live, e.name, ownerTag, e.adopt, variable);
    node.commentBefore = ` id: ${e.live.id}${e.adopt ? ' (not managed yet: adopt: true takes it over)' : ''}`;
    webhooks.items.push(node);
  }
  if (candidates.length === 0) webhooks.flow = true;
  root.set('webhooks', webhooks);

  const header = [
    ...(options.schema
      ? [` yaml-language-server: $schema=${options.schema}`]
      : [
          ' For completion in an editor, add a comment that points the YAML language server at',
          ' ldhooks\' schema by a path from this file (see "Editor support" in the README).',
        ]),
    '',
    ' Imported from LaunchDarkly by `ldhooks import`, sorted by name.',
  ];
  if (secretVariables.length > 0)
    header.push(
      ' Secrets are never written: set each LDHOOKS_SECRET_* variable to the live secret.',
    );
  if (options.keepLiveSecrets)
    header.push(' sign: true without a secret keeps the secret LaunchDarkly holds.');
  doc.commentBefore = header.join('\n');

  const commented = skipped.filter((s) => s.suggestedName);
  if (commented.length > 0) {
    const byId = new Map(live.map((l) => [l.id, l]));
    const lines: string[] = [
      '',
      ' Not declared: these webhooks have no name, or a name another webhook also has, so the',
      ' plan (which matches webhooks by name) cannot tell which live webhook an entry means.',
      ' Rename each in LaunchDarkly to a unique name (the one below, say), then import again.',
    ];
    for (const s of commented) {
      const l = byId.get(s.id) as LiveWebhook;
      const d = new Document();
      d.contents = d.createNode([
        webhookNode(d, l, s.suggestedName as string, ownerTag, !s.managed, undefined),
      ]);
      lines.push('', ` id: ${s.id} (${s.reason === 'unnamed' ? 'no name' : 'duplicate name'})`);
      quoteUnsafe(d);
      for (const line of d.toString({ lineWidth: 0, blockQuote: false }).trimEnd().split('\n'))
        lines.push(` ${line}`);
    }
    doc.comment = lines.join('\n');
  }

  quoteUnsafe(doc);
  // Every string that holds a control character or a runner's command form is double-quoted
  // (quoteUnsafe), where the escapes inertText writes (`\u009b`, `#\u0023[`) read back as the
  // same characters: the YAML is the same config, and no line of it is live in a terminal or a CI
  // log, whatever a live name, tag or statement holds.
  const text = inertText(
    doc.toString({ lineWidth: 0, flowCollectionPadding: false, blockQuote: false }),
  );
  return {
    text,
    imported: candidates.length,
    adopted: candidates.filter((e) => e.adopt).length,
    secretVariables,
    skipped,
    notes: notesOf(skipped, ownerTag, options),
  };
}

const named = (l: LiveWebhook) => (l.name ? { name: l.name } : {});

const hasSecret = (l: LiveWebhook) => typeof l.secret === 'string' && l.secret !== '';

function webhookNode(
  doc: Document,
  l: LiveWebhook,
  name: string,
  ownerTag: string,
  adopt: boolean,
  variable: string | undefined,
): YAMLMap {
  const node = doc.createNode({}) as YAMLMap;
  node.set('name', literal(name));
  node.set('url', literal(l.url));
  if (!l.on) node.set('on', false);
  if (hasSecret(l)) {
    if (variable) node.set('secret', `\${${variable}}`);
    else node.set('sign', true);
  }
  const tags = sortedUnique(l.tags.filter((t) => t !== ownerTag)).map(literal);
  if (tags.length > 0) node.set('tags', flowList(doc, tags));
  const statements = canonicalStatements(l.statements);
  if (statements.length > 0) {
    const list = doc.createNode([]) as YAMLSeq;
    for (const s of statements) list.items.push(statementNode(doc, s));
    node.set('statements', list);
  }
  if (adopt) node.set('adopt', true);
  return node;
}

function statementNode(doc: Document, s: Statement): YAMLMap {
  const node = doc.createNode({}) as YAMLMap;
  node.set('effect', s.effect);
  for (const key of ['resources', 'notResources', 'actions', 'notActions'] as const) {
    const list = s[key];
    if (list && list.length > 0) node.set(key, flowList(doc, list.map(literal)));
  }
  return node;
}

/** Short lists in flow style (`[a, b]`), long ones one item a line. */
function flowList(doc: Document, items: readonly string[]): YAMLSeq {
  const seq = doc.createNode([...items]) as YAMLSeq;
  seq.flow = items.length <= 4 && items.join(', ').length <= 60;
  return seq;
}

function notesOf(skipped: readonly Skipped[], ownerTag: string, options: ImportOptions): string[] {
  const notes: string[] = [];
  const show = (s: Skipped) =>
    `${s.name === undefined ? '(unnamed)' : JSON.stringify(s.name)} (${s.id})`;
  for (const s of skipped) {
    switch (s.reason) {
      case 'owned-elsewhere':
        notes.push(`skipped ${show(s)}: owned by ${(s.ownerTags ?? []).join(', ')}`);
        break;
      case 'unmanaged':
        break;
      case 'declared':
        notes.push(`skipped ${show(s)}: already declared by the existing config`);
        break;
      case 'unnamed':
      case 'duplicate-name': {
        const why = s.reason === 'unnamed' ? 'it has no name' : 'another webhook has the same name';
        if (s.managed)
          notes.push(
            `warning: not declared ${show(s)}: ${why}; it carries ${ownerTag}, so the next plan would delete it: rename it in LaunchDarkly to a unique name (such as "${s.suggestedName}") and import again`,
          );
        else
          notes.push(
            `not declared ${show(s)}: ${why}, so it stays unmanaged; to import it, rename it in LaunchDarkly (such as "${s.suggestedName}") and import again`,
          );
        break;
      }
    }
  }
  const unmanaged = skipped.filter((s) => s.reason === 'unmanaged').length;
  if (unmanaged > 0 && !options.all)
    notes.push(
      `${unmanaged} webhook${unmanaged === 1 ? '' : 's'} without ${ownerTag} not imported (--all imports them as adopt: true)`,
    );
  return notes.map(escapeControl);
}

/** Writes double-quoted every string of the document that needs an escape to be inert. */
function quoteUnsafe(doc: Document): void {
  const quoted = (value: string) => Object.assign(new Scalar(value), { type: Scalar.QUOTE_DOUBLE });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && needsEscaping(node.value)) node.type = 'QUOTE_DOUBLE';
    },
    // A value set as a bare string is no node yet: made one, to be quoted.
    Pair(_key, pair) {
      if (typeof pair.value === 'string' && needsEscaping(pair.value))
        pair.value = quoted(pair.value);
    },
    Seq(_key, seq) {
      seq.items = seq.items.map((item) =>
        typeof item === 'string' && needsEscaping(item) ? quoted(item) : item,
      );
    },
  });
}
