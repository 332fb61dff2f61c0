import { type MaskEntry, SENSITIVE } from '../mask.js';
import type { ConfigDocument, DesiredWebhook, WebhookConfig } from '../model.js';
import { joinPointer, pointerToPath } from '../pointer.js';
import type { Problem } from '../problem.js';
import { sortedUnique } from '../sorted-unique.js';
import type { SourceDocument } from '../source.js';
import { DEFAULT_OWNER_TAG } from './schema.js';
import { canonicalStatements } from './statements.js';

export interface NormalizedDocument {
  ownerTag: string;
  webhooks: DesiredWebhook[];
  problems: Problem[];
}

/**
 * Turns a schema-valid document into desired webhooks: defaults merged, tags sorted and
 * de-duplicated with the owner tag added, statements canonical. Reports the rules that need
 * the merged view (a secret with sign: false) and a secret written in clear. Webhooks in
 * `skip` failed the schema: their values are not what the types say, so they are left out.
 */
export function normalizeDocument(
  doc: SourceDocument,
  skip: ReadonlySet<number> = new Set(),
): NormalizedDocument {
  const config = doc.value as ConfigDocument;
  const ownerTag = config.ownerTag ?? DEFAULT_OWNER_TAG;
  const defaults = config.defaults ?? {};
  const problems: Problem[] = [];
  // The same for every webhook of the document: values from the environment in the defaults
  // and in the owner tag.
  const shared = [
    ...fromEnvironment(doc, '/defaults', config.defaults, []),
    ...(config.ownerTag !== undefined ? fromEnvironment(doc, '/ownerTag', ownerTag, []) : []),
  ];
  const webhooks = config.webhooks.flatMap((hook: WebhookConfig, i) => {
    if (skip.has(i)) return [];
    const pointer = joinPointer('/webhooks', i);
    const at = (field: string) => joinPointer(pointer, field);
    const sign = hook.sign ?? defaults.sign ?? hook.secret !== undefined;

    if (hook.secret !== undefined && !sign) {
      const signPointer = hook.sign !== undefined ? at('sign') : '/defaults/sign';
      problems.push({
        severity: 'error',
        code: 'config.secret-without-sign',
        file: doc.file,
        ...doc.locate(signPointer, true),
        path: pointerToPath(signPointer),
        message: `webhook declares a secret but ${hook.sign !== undefined ? 'sets' : 'inherits from defaults'} sign: false`,
        remedy: 'remove sign: false (a secret implies signing) or remove the secret',
      });
    }
    if (
      hook.secret !== undefined &&
      !doc.isSensitive(at('secret')) &&
      !doc.isUnresolved(at('secret'))
    ) {
      problems.push({
        severity: 'warning',
        code: 'config.literal-secret',
        file: doc.file,
        ...doc.locate(at('secret')),
        path: pointerToPath(at('secret')),
        message:
          'the secret is written in the file, where everyone who reads the repository sees it',
        remedy: 'load it from the environment: secret: ${HOOK_SECRET}',
      });
    }

    const position = doc.locate(pointer);
    const secretTemplate = hook.secret !== undefined ? doc.templateOf(at('secret')) : undefined;
    const sensitive: MaskEntry[] =
      hook.secret !== undefined ? [{ value: hook.secret, shown: SENSITIVE }] : [];
    for (const entry of fromEnvironment(doc, pointer, hook, ['secret'])) sensitive.push(entry);
    for (const entry of shared) sensitive.push(entry);
    const desired: DesiredWebhook = {
      name: hook.name,
      url: hook.url,
      on: hook.on ?? defaults.on ?? true,
      sign,
      ...(hook.secret !== undefined ? { secret: hook.secret } : {}),
      tags: sortedUnique([...(defaults.tags ?? []), ...(hook.tags ?? []), ownerTag]),
      statements: canonicalStatements(hook.statements ?? defaults.statements),
      ownerTag,
      adopt: hook.adopt ?? false,
      sensitive,
      ...(secretTemplate !== undefined ? { secretTemplate } : {}),
      statementSources: (hook.statements ?? defaults.statements ?? []).map((statement, j) => {
        const where = joinPointer(hook.statements ? at('statements') : '/defaults/statements', j);
        const path = hook.statements
          ? `webhooks[${i}].statements[${j}]`
          : `defaults.statements[${j}]`;
        const { line, col } = doc.locate(where);
        return { statement, file: doc.file, line, col, path };
      }),
      origin: {
        file: doc.file,
        line: position.line,
        col: position.col,
        pointer,
        document: doc.index,
      },
    };
    return [desired];
  });
  return { ownerTag, webhooks, problems };
}

/**
 * Each string under `pointer` that came from the environment, with its template as written:
 * what the masking module shows in its place. Keys in `skip` are left out (the secret is
 * masked whole, never by template).
 */
function fromEnvironment(
  doc: SourceDocument,
  pointer: string,
  value: unknown,
  skip: readonly string[],
): MaskEntry[] {
  const out: MaskEntry[] = [];
  if (value === undefined || !doc.isSensitive(pointer)) return out;
  const walk = (p: string, v: unknown) => {
    if (typeof v === 'string') {
      const template = doc.templateOf(p);
      if (template !== undefined) out.push({ value: v, shown: template });
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => {
        walk(joinPointer(p, i), item);
      });
    } else if (v && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        if (p === pointer && skip.includes(k)) continue;
        walk(joinPointer(p, k), item);
      }
    }
  };
  walk(pointer, value);
  return out;
}
