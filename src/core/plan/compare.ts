import { canonicalStatements, statementsKey } from '../config/statements.js';
import {
  type DesiredWebhook,
  type FieldChange,
  type LiveWebhook,
  type PatchOperation,
  type PlanField,
  SENSITIVE,
  type Statement,
  type WebhookView,
} from '../model.js';
import { sortedUnique } from '../sorted-unique.js';

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** Fields of a desired webhook that are sensitive, in plan terms. */
export function sensitiveFields(d: DesiredWebhook | undefined): PlanField[] {
  if (!d) return ['secret'];
  return d.sensitive.filter((f): f is PlanField => f !== 'sign') as PlanField[];
}

/** The masked, user-facing view of a desired webhook. Owner tags are hidden. */
export function desiredView(d: DesiredWebhook, ownerTags: readonly string[]): WebhookView {
  const masked = new Set(sensitiveFields(d));
  return {
    name: masked.has('name') ? SENSITIVE : d.name,
    url: masked.has('url') ? SENSITIVE : d.url,
    on: d.on,
    sign: d.sign,
    ...(d.sign ? { secret: SENSITIVE } : {}),
    tags: masked.has('tags') ? [SENSITIVE] : d.tags.filter((t) => !ownerTags.includes(t)),
    statements: masked.has('statements') ? [] : d.statements,
  };
}

/**
 * The masked view of a live webhook. Fields that are sensitive in the config are masked on the
 * live side too (the live value is usually the same secret). A live URL shows only its origin:
 * webhook URLs often carry tokens, and nothing says the live one does not.
 */
export function liveView(
  l: LiveWebhook,
  ownerTags: readonly string[],
  d?: DesiredWebhook,
): WebhookView {
  const masked = new Set(d ? sensitiveFields(d) : []);
  return {
    ...(l.name !== undefined ? { name: masked.has('name') ? SENSITIVE : l.name } : {}),
    url: masked.has('url') ? SENSITIVE : originOnly(l.url),
    on: l.on,
    sign: Boolean(l.secret),
    ...(l.secret ? { secret: SENSITIVE } : {}),
    tags: masked.has('tags')
      ? [SENSITIVE]
      : sortedUnique(l.tags).filter((t) => !ownerTags.includes(t)),
    statements: masked.has('statements') ? [] : canonicalStatements(l.statements),
  };
}

export function originOnly(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname === '/' && !u.search ? u.origin : `${u.origin}/…`;
  } catch {
    return SENSITIVE;
  }
}

export interface Difference {
  fields: FieldChange[];
  /** Real values: for apply only. */
  patch: PatchOperation[];
  /** Masked copy of `patch`: for plans. */
  maskedPatch: PatchOperation[];
  generateSecret: boolean;
}

/**
 * Compares a desired webhook with its live counterpart after normalizing both (tags and
 * statements as sets, missing statements as none, signed = has a secret). Returns the changed
 * fields and a minimal JSON Patch, in the fixed order url, on, secret, tags, statements.
 */
export function compareWebhook(
  d: DesiredWebhook,
  l: LiveWebhook,
  ownerTags: readonly string[],
): Difference {
  const masked = new Set(sensitiveFields(d));
  const fields: FieldChange[] = [];
  const patch: PatchOperation[] = [];
  const maskedPatch: PatchOperation[] = [];
  let generateSecret = false;
  const show = (field: PlanField, v: unknown) => (masked.has(field) ? SENSITIVE : v);
  const change = (field: PlanField, before: unknown, after: unknown, op?: PatchOperation) => {
    fields.push({
      field,
      before: show(field, before),
      after: show(field, after),
      sensitive: masked.has(field),
    });
    if (!op) return;
    patch.push(op);
    maskedPatch.push(
      op.value === undefined ? op : { ...op, value: masked.has(field) ? SENSITIVE : op.value },
    );
  };

  if (d.url !== l.url)
    change('url', originOnly(l.url), d.url, { op: 'replace', path: '/url', value: d.url });
  if (d.on !== l.on) change('on', l.on, d.on, { op: 'replace', path: '/on', value: d.on });

  const liveSigned = Boolean(l.secret);
  if (d.sign && d.secret !== undefined && d.secret !== l.secret) {
    fields.push({
      field: 'secret',
      before: liveSigned ? SENSITIVE : null,
      after: SENSITIVE,
      sensitive: true,
    });
    const op: PatchOperation = {
      op: liveSigned ? 'replace' : 'add',
      path: '/secret',
      value: d.secret,
    };
    patch.push(op);
    maskedPatch.push({ ...op, value: SENSITIVE });
  } else if (d.sign && d.secret === undefined && !liveSigned) {
    fields.push({ field: 'sign', before: false, after: true, sensitive: false });
    generateSecret = true;
    patch.push({ op: 'add', path: '/secret', value: SENSITIVE });
    maskedPatch.push({ op: 'add', path: '/secret', value: SENSITIVE });
  } else if (!d.sign && liveSigned) {
    fields.push({ field: 'sign', before: true, after: false, sensitive: false });
    patch.push({ op: 'remove', path: '/secret' });
    maskedPatch.push({ op: 'remove', path: '/secret' });
  }

  // Fast paths: LaunchDarkly usually returns what ldhooks sent, already canonical.
  const liveTags = sameList(d.tags, l.tags) ? d.tags : sortedUnique(l.tags);
  if (!sameList(d.tags, liveTags)) {
    const visible = (tags: string[]) => tags.filter((t) => !ownerTags.includes(t));
    change('tags', visible(liveTags), visible(d.tags), {
      op: 'replace',
      path: '/tags',
      value: d.tags,
    });
  }

  const liveStatements =
    JSON.stringify(l.statements) === statementsKey(d.statements)
      ? d.statements
      : canonicalStatements(l.statements);
  if (statementsKey(d.statements) !== statementsKey(liveStatements)) {
    const op: PatchOperation =
      d.statements.length === 0
        ? { op: 'remove', path: '/statements' }
        : {
            op: liveStatements.length > 0 ? 'replace' : 'add',
            path: '/statements',
            value: d.statements,
          };
    change('statements', liveStatements, d.statements as Statement[], op);
  }
  return { fields, patch, maskedPatch, generateSecret };
}
