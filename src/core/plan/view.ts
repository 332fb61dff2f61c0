import { canonicalStatements } from '../config/statements.js';
import {
  GENERATED,
  type Mask,
  type Masker,
  maskAt,
  originOnly,
  SENSITIVE,
  type Shown,
} from '../mask.js';
import type {
  DesiredWebhook,
  FieldChange,
  LiveWebhook,
  PatchOperation,
  PlanField,
  Statement,
  WebhookView,
} from '../model.js';
import { sortedUnique } from '../sorted-unique.js';
import { type Difference, patchToSend } from './compare.js';

/** Sets one key of an object mask (a mask of `false` becomes an object). */
function withKey(mask: Mask, key: string, m: Mask): Mask {
  if (m === false) return mask;
  const base = mask === false || mask === true || Array.isArray(mask) ? {} : mask;
  return { ...base, [key]: m };
}

/**
 * The tags that are not owner tags, in a list made at its length: a plan holds one for each side
 * of each webhook, and a list that filter() grows keeps room for 17.
 */
function visible(tags: readonly string[], ownerTags: readonly string[]): string[] {
  let count = 0;
  for (const t of tags) if (!ownerTags.includes(t)) count++;
  const out = new Array<string>(count);
  let at = 0;
  for (const t of tags) if (!ownerTags.includes(t)) out[at++] = t;
  return out;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Sorts items with their masks by what they show. */
function sortShown<T>(items: readonly T[], mask: Mask, key: (item: T) => string): Shown<T[]> {
  const pairs = items.map((item, i) => ({ item, mask: maskAt(mask, i), key: key(item) }));
  pairs.sort((a, b) => byText(a.key, b.key));
  const masks = pairs.map((p) => p.mask);
  return {
    value: pairs.map((p) => p.item),
    mask: masks.some((m) => m !== false) ? masks : false,
  };
}

const LIST_KEYS = ['resources', 'notResources', 'actions', 'notActions'] as const;

/**
 * Orders the tags and statements of a shown webhook by what they show. Canonical lists are
 * sorted by their real values, so a template shown in that order would tell a reader between
 * which neighbours its hidden value sorts. Lists with nothing masked are left as they are.
 */
export function inShownOrder<V extends { tags: string[]; statements: Statement[] }>(
  shown: Shown<V>,
): Shown<V> {
  if (shown.mask === false) return shown;
  const tags = sortShown(shown.value.tags, maskAt(shown.mask, 'tags'), (t) => t);
  const statementsMask = maskAt(shown.mask, 'statements');
  const statements = shown.value.statements.map((st, i) => {
    let m = maskAt(statementsMask, i);
    if (m === false) return { value: st, mask: m };
    const out = { ...st };
    for (const k of LIST_KEYS) {
      const list = st[k];
      if (list === undefined) continue;
      const sorted = sortShown(list, maskAt(m, k), (x) => x);
      out[k] = sorted.value;
      m = withKey(m, k, sorted.mask);
    }
    return { value: out as Statement, mask: m };
  });
  const ordered = sortShown(
    statements,
    statements.map((s) => s.mask),
    (s) => JSON.stringify(s.value),
  );
  // Sorting moves masks with their items, so a list that had a mask still has one.
  const mask = withKey(withKey(shown.mask, 'tags', tags.mask), 'statements', ordered.mask);
  return {
    value: {
      ...shown.value,
      tags: tags.value,
      statements: ordered.value.map((s) => s.value),
    },
    mask,
  };
}

/** A view with its keys in the one order plans show them. */
function webhookView(
  name: string | undefined,
  url: string,
  on: boolean,
  signed: boolean,
  secret: string,
  tags: string[],
  statements: Statement[],
): WebhookView {
  const view = {} as WebhookView;
  if (name !== undefined) view.name = name;
  view.url = url;
  view.on = on;
  view.sign = signed;
  if (signed) view.secret = secret;
  view.tags = tags;
  view.statements = statements;
  return view;
}

/** The view and its mask; with nothing to mask (the common case) made directly. */
function shownView(
  masker: Masker,
  shown: { name?: string; url: string; tags: string[]; statements: Statement[] },
  on: boolean,
  signed: boolean,
  /** What shows in place of the secret of a signed webhook. */
  secret = SENSITIVE,
): Shown<WebhookView> {
  const { value, mask } = masker.empty
    ? { value: shown, mask: false }
    : inShownOrder(masker.show(shown));
  return {
    value: webhookView(value.name, value.url, on, signed, secret, value.tags, value.statements),
    mask: signed ? withKey(mask, 'secret', true) : mask,
  };
}

/**
 * A desired webhook as a plan shows it. Its own owner tag is hidden; any other tag shows, even
 * one that another file uses as its owner tag.
 */
export function desiredView(
  d: DesiredWebhook,
  masker: Masker,
  /** Applying makes a secret the config does not hold: shown as `(generated)`. */
  generated = false,
): Shown<WebhookView> {
  return shownView(
    masker,
    { name: d.name, url: d.url, tags: visible(d.tags, [d.ownerTag]), statements: d.statements },
    d.on,
    d.sign,
    generated ? GENERATED : SENSITIVE,
  );
}

/**
 * A live webhook as a plan shows it. Its URL shows only its origin unless it is the desired URL;
 * any value from the environment in it shows as its template.
 */
export function liveView(
  l: LiveWebhook,
  ownerTags: readonly string[],
  masker: Masker,
  desired?: DesiredWebhook,
): Shown<WebhookView> {
  // Keys in the order of the view: the mask of a masked value follows it.
  const shown = {} as { name?: string; url: string; tags: string[]; statements: Statement[] };
  if (l.name !== undefined) shown.name = l.name;
  shown.url = desired && l.url === desired.url ? l.url : originOnly(l.url);
  shown.tags = visible(sortedUnique(l.tags), ownerTags);
  shown.statements = canonicalStatements(l.statements);
  return shownView(masker, shown, l.on, Boolean(l.secret));
}

/** The changed fields as shown, each taken from the two views so that all formats agree. */
export function fieldChanges(
  diff: Difference,
  before: Shown<WebhookView>,
  after: Shown<WebhookView>,
): FieldChange[] {
  return diff.fields.map((field: PlanField) => {
    if (field === 'sign') {
      return {
        field,
        before: before.value.sign,
        after: after.value.sign,
        beforeMask: false,
        afterMask: false,
      };
    }
    if (field === 'secret') {
      return {
        field,
        before: before.value.secret ?? null,
        after: after.value.secret ?? SENSITIVE,
        beforeMask: before.value.secret !== undefined,
        afterMask: true,
      };
    }
    return {
      field,
      before: before.value[field] ?? null,
      after: after.value[field] ?? null,
      beforeMask: maskAt(before.mask, field),
      afterMask: maskAt(after.mask, field),
    };
  });
}

/**
 * The patch an update sends, as shown: the same operations, values masked. Only each
 * operation's `value` is masked: its `op` and `path` are ldhooks' own words (`replace`,
 * `/tags`), shown as sent whatever the environment holds.
 */
export function patchView(
  patch: readonly PatchOperation[],
  generateSecret: boolean,
  masker: Masker,
): Shown<PatchOperation[]> {
  const ops = patchToSend(patch, generateSecret, GENERATED);
  // Secrets are never shown, whatever the masker knows: mark every secret operation masked.
  // The empty secret that turns signing off is no secret, and shows as itself.
  const isSecret = (op: PatchOperation) =>
    op.path === '/secret' && op.value !== undefined && op.value !== '';
  const shown = ops.map((op): Shown<PatchOperation> => {
    if (isSecret(op))
      return {
        value: { ...op, value: op.value === GENERATED ? GENERATED : SENSITIVE },
        mask: { value: true },
      };
    if (op.value === undefined) return { value: op, mask: false };
    const value = masker.show(op.value);
    return {
      value: value.mask === false ? op : { ...op, value: value.value },
      mask: value.mask === false ? false : { value: value.mask },
    };
  });
  const masks = shown.map((s) => s.mask);
  return { value: shown.map((s) => s.value), mask: masks.some((m) => m !== false) ? masks : false };
}
