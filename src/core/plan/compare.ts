import { canonicalStatements, sameStatements, statementsKey } from '../config/statements.js';
import type { DesiredWebhook, LiveWebhook, PatchOperation, PlanField } from '../model.js';
import { sortedUnique } from '../sorted-unique.js';

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** The real difference between a desired webhook and its live counterpart. */
export interface Difference {
  /** The fields that differ, in the fixed order url, on, secret or sign, tags, statements. */
  fields: PlanField[];
  /** The JSON Patch that makes the live webhook the desired one, real values: for apply only. */
  patch: PatchOperation[];
  /** Signing is turned on without a declared secret: apply generates one (see Operation). */
  generateSecret: boolean;
}

/**
 * Compares after normalizing both sides (tags and statements as sets, missing statements as
 * none, signed = has a secret). Pure, and the only place that decides what differs.
 *
 * The patch uses the forms LaunchDarkly's Terraform provider sends, which LaunchDarkly is known
 * to accept: `replace` for every field whether or not the live webhook has it (a secret set or
 * changed, signing turned off as the empty secret, statements set), `remove` only for clearing
 * the statements.
 */
export function compareWebhook(d: DesiredWebhook, l: LiveWebhook): Difference {
  const fields: PlanField[] = [];
  const patch: PatchOperation[] = [];
  let generateSecret = false;

  if (d.url !== l.url) {
    fields.push('url');
    patch.push({ op: 'replace', path: '/url', value: d.url });
  }
  if (d.on !== l.on) {
    fields.push('on');
    patch.push({ op: 'replace', path: '/on', value: d.on });
  }

  const liveSigned = Boolean(l.secret);
  if (d.sign && d.secret !== undefined && d.secret !== l.secret) {
    fields.push('secret');
    patch.push({ op: 'replace', path: '/secret', value: d.secret });
  } else if (d.sign && d.secret === undefined && !liveSigned) {
    fields.push('sign');
    generateSecret = true;
  } else if (!d.sign && liveSigned) {
    fields.push('sign');
    patch.push({ op: 'replace', path: '/secret', value: '' });
  }

  // Fast paths: LaunchDarkly usually returns what ldhooks sent, already canonical.
  const liveTags = sameList(d.tags, l.tags) ? d.tags : sortedUnique(l.tags);
  if (!sameList(d.tags, liveTags)) {
    fields.push('tags');
    patch.push({ op: 'replace', path: '/tags', value: d.tags });
  }

  const liveStatements = sameStatements(l.statements, d.statements)
    ? d.statements
    : canonicalStatements(l.statements);
  if (
    liveStatements !== d.statements &&
    statementsKey(d.statements) !== statementsKey(liveStatements)
  ) {
    fields.push('statements');
    patch.push(
      d.statements.length === 0
        ? { op: 'remove', path: '/statements' }
        : { op: 'replace', path: '/statements', value: d.statements },
    );
  }
  return { fields, patch, generateSecret };
}

/**
 * The patch an update sends: its operations, with the generated secret in its place when the
 * operation asks for one. Apply passes the secret it generated; the plan view passes a stand-in
 * that it masks, so both show the same operations in the same order.
 */
export function patchToSend(
  patch: readonly PatchOperation[],
  generateSecret: boolean,
  secret: string,
): PatchOperation[] {
  if (!generateSecret) return [...patch];
  const at = patch.findIndex((op) => op.path === '/tags' || op.path === '/statements');
  const generated: PatchOperation = { op: 'replace', path: '/secret', value: secret };
  return at === -1 ? [...patch, generated] : [...patch.slice(0, at), generated, ...patch.slice(at)];
}
