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
  const validator = new ConfigValidator();
  for (const doc of documents) validator.add(doc);
  return validator.finish();
}

interface NameSite {
  doc: SourceDocument;
  /** The webhook's index in the document's list. */
  index: number;
}

const namePointer = (site: NameSite) => joinPointer(joinPointer('/webhooks', site.index), 'name');

/**
 * `validateConfig` one document at a time, in order: a loader can let go of each document's
 * parse as soon as it is checked. Only the rules across files wait for `finish`.
 */
export class ConfigValidator {
  private readonly problems: Problem[] = [];
  private readonly webhooks: DesiredWebhook[] = [];
  private readonly ownerTags = new Set<string>();
  private readonly documents: SourceDocument[] = [];
  // Where each name is first declared, as one number (see `site`); every later place, for the
  // few names declared more than once.
  private readonly first = new Map<string, number>();
  private readonly again = new Map<string, NameSite[]>();

  add(doc: SourceDocument): void {
    this.nameSites(doc);
    const schema = checkSchema(doc);
    this.problems.push(...schema.problems);
    if (schema.documentBroken) return;
    const normalized = normalizeDocument(doc, schema.brokenWebhooks);
    this.ownerTags.add(normalized.ownerTag);
    this.webhooks.push(...normalized.webhooks);
    this.problems.push(...normalized.problems, ...lintPolicies(doc, schema.brokenWebhooks));
  }

  finish(): ValidatedConfig {
    const sites = new Map<string, NameSite[]>();
    for (const [name, code] of this.first) {
      const later = this.again.get(name);
      if (later) sites.set(name, [this.site(code), ...later]);
    }
    const problems = [...this.problems, ...duplicateNames(sites)];
    problems.sort(compareProblems);
    return { webhooks: this.webhooks, ownerTags: [...this.ownerTags].sort(), problems };
  }

  /** Where each name is declared, whatever the schema says of the document. */
  private nameSites(doc: SourceDocument): void {
    const hooks = (doc.value as { webhooks?: unknown } | null)?.webhooks;
    if (!Array.isArray(hooks)) return;
    const number = this.documents.push(doc) - 1;
    for (let i = 0; i < hooks.length; i++) {
      const name = (hooks[i] as { name?: unknown } | null)?.name;
      if (typeof name !== 'string' || name === '') continue;
      // A name that holds a variable nobody set (validate --allow-missing-env) is unknown: it
      // is the same as no other, nor another the same as it.
      if (doc.isUnresolved(namePointer({ doc, index: i }))) continue;
      if (this.first.get(name) === undefined) this.first.set(name, number * SITES_PER_DOCUMENT + i);
      else {
        const later = this.again.get(name);
        if (later) later.push({ doc, index: i });
        else this.again.set(name, [{ doc, index: i }]);
      }
    }
  }

  private site(code: number): NameSite {
    const index = code % SITES_PER_DOCUMENT;
    return { doc: this.documents[(code - index) / SITES_PER_DOCUMENT] as SourceDocument, index };
  }
}

/** More webhooks than a document can hold within the limits on its size (see the loader). */
const SITES_PER_DOCUMENT = 2 ** 26;

/** At most this many other places are named beside a name declared again. */
const PLACES_SHOWN = 3;

/**
 * The places of `where` but the `i`th, the first few of them: a name declared a thousand times
 * would otherwise make a million places to read.
 */
function placesBesides(where: readonly string[], i: number): string {
  const others = where.filter((_, j) => j !== i);
  if (others.length <= PLACES_SHOWN) return others.join(', ');
  const more = others.length - PLACES_SHOWN;
  return `${others.slice(0, PLACES_SHOWN).join(', ')} and ${more} more place${more === 1 ? '' : 's'}`;
}

/** Names are identities: each must be unique across all files. Both places are reported. */
function duplicateNames(sites: ReadonlyMap<string, NameSite[]>): Problem[] {
  const problems: Problem[] = [];
  for (const [name, list] of sites) {
    if (list.length < 2) continue;
    // A webhook that is an alias of another (`- *hook`) has its name where the anchor's is:
    // the two are told apart by where each webhook is written.
    type Place = { line: number; col: number };
    const at = (s: NameSite, p: Place) => `${s.doc.file}:${p.line}:${p.col}`;
    const seen = new Set<string>();
    const positions = list.map((s) => {
      const p = s.doc.locate(namePointer(s));
      const place = at(s, p);
      if (!seen.has(place)) {
        seen.add(place);
        return p;
      }
      return s.doc.locate(joinPointer('/webhooks', s.index));
    });
    const where = list.map((s, i) => at(s, positions[i] as Place));
    list.forEach((site, i) => {
      const pointer = namePointer(site);
      const others = placesBesides(where, i);
      const env = environmentValue(site.doc, pointer);
      const shown = env
        ? shownFromEnvironment(env)
        : site.doc.isSensitive(pointer)
          ? '(from the environment)'
          : `"${name}"`;
      const remedy =
        "a name is the webhook's identity and must be unique across all files: rename or remove one";
      problems.push({
        severity: 'error',
        code: 'config.duplicate-name',
        file: site.doc.file,
        ...(positions[i] as Place),
        path: pointerToPath(pointer),
        message: `duplicate webhook name ${shown}, also declared at ${others}`,
        remedy: env
          ? `${remedy}; ${environmentRemedy(env, 'a name no other webhook has')}`
          : remedy,
      });
    });
  }
  return problems;
}
