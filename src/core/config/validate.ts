import type { DesiredWebhook } from '../model.js';
import { joinPointer, pointerToPath } from '../pointer.js';
import { lintPolicies } from '../policy/lint.js';
import { compareProblems, type Problem } from '../problem.js';
import type { SourceDocument } from '../source.js';
import { environmentRemedy, environmentValue, shownFromEnvironment } from './environment-value.js';
import { normalizeDocument } from './normalize.js';
import { checkSchema } from './schema-check.js';

/** What {@link validateConfig} makes of parsed documents: desired webhooks, and every problem. */
export interface ValidatedConfig {
  /** The desired webhooks, in file order. Complete only when `problems` holds no error. */
  webhooks: DesiredWebhook[];
  /** Every owner tag the documents declare (sorted): together they define what is managed. */
  ownerTags: string[];
  /** Errors and warnings, sorted by file, line and column. */
  problems: Problem[];
}

/**
 * Schema, then normalization, then the rules across files. Every problem is collected: a
 * broken document does not hide the problems of the others, nor a broken webhook the rules
 * and policies of the well-formed webhooks beside it.
 */
export function validateConfig(documents: readonly SourceDocument[]): ValidatedConfig {
  const problems: Problem[] = [];
  const webhooks: DesiredWebhook[] = [];
  const ownerTags = new Set<string>();
  for (const doc of documents) {
    const schema = checkSchema(doc);
    problems.push(...schema.problems);
    if (schema.documentBroken) continue;
    const normalized = normalizeDocument(doc, schema.brokenWebhooks);
    ownerTags.add(normalized.ownerTag);
    webhooks.push(...normalized.webhooks);
    problems.push(...normalized.problems, ...lintPolicies(doc, schema.brokenWebhooks));
  }
  problems.push(...duplicateNames(documents));
  problems.sort(compareProblems);
  return { webhooks, ownerTags: [...ownerTags].sort(), problems };
}

interface NameSite {
  doc: SourceDocument;
  pointer: string;
}

/** Names are identities: each must be unique across all files. Both places are reported. */
function duplicateNames(documents: readonly SourceDocument[]): Problem[] {
  const sites = new Map<string, NameSite[]>();
  for (const doc of documents) {
    const hooks = (doc.value as { webhooks?: unknown } | null)?.webhooks;
    if (!Array.isArray(hooks)) continue;
    hooks.forEach((hook, i) => {
      const name = (hook as { name?: unknown } | null)?.name;
      if (typeof name !== 'string' || name === '') return;
      const list = sites.get(name) ?? [];
      list.push({ doc, pointer: joinPointer(joinPointer('/webhooks', i), 'name') });
      sites.set(name, list);
    });
  }
  const problems: Problem[] = [];
  for (const [name, list] of sites) {
    if (list.length < 2) continue;
    const where = list.map((s) => {
      const p = s.doc.locate(s.pointer);
      return `${s.doc.file}:${p.line}:${p.col}`;
    });
    list.forEach((site, i) => {
      const others = where.filter((_, j) => j !== i).join(', ');
      const env = environmentValue(site.doc, site.pointer);
      const shown = env
        ? shownFromEnvironment(env)
        : site.doc.isSensitive(site.pointer)
          ? '(from the environment)'
          : `"${name}"`;
      const remedy =
        "a name is the webhook's identity and must be unique across all files: rename or remove one";
      problems.push({
        severity: 'error',
        code: 'config.duplicate-name',
        file: site.doc.file,
        ...site.doc.locate(site.pointer),
        path: pointerToPath(site.pointer),
        message: `duplicate webhook name ${shown}, also declared at ${others}`,
        remedy: env
          ? `${remedy}; ${environmentRemedy(env, 'a name no other webhook has')}`
          : remedy,
      });
    });
  }
  return problems;
}
