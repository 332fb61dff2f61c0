import type { ConfigDocument, DesiredWebhook, WebhookConfig, WebhookField } from '../model.js';
import { joinPointer, pointerSegments, pointerToPath } from '../pointer.js';
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

const FIELDS: WebhookField[] = ['name', 'url', 'on', 'secret', 'sign', 'tags', 'statements'];

/**
 * Turns a schema-valid document into desired webhooks: defaults merged, tags sorted and
 * de-duplicated with the owner tag added, statements canonical. Reports the rules that need
 * the merged view (a secret with sign: false) and a secret written in clear.
 */
export function normalizeDocument(doc: SourceDocument): NormalizedDocument {
  const config = doc.value as ConfigDocument;
  const ownerTag = config.ownerTag ?? DEFAULT_OWNER_TAG;
  const defaults = config.defaults ?? {};
  const problems: Problem[] = [];
  const webhooks = config.webhooks.map((hook: WebhookConfig, i) => {
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

    // A merged field is sensitive if the value that took effect came from the environment.
    const inherits = (f: WebhookField) =>
      f === 'tags' || ((f === 'on' || f === 'sign' || f === 'statements') && hook[f] === undefined);
    const sensitive = FIELDS.filter(
      (f) =>
        f === 'secret' ||
        doc.isSensitive(at(f)) ||
        (inherits(f) && doc.isSensitive(joinPointer('/defaults', f))),
    );
    const position = doc.locate(pointer);
    const rawOf = templatesUnder(doc, [pointer, '/defaults']);
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
      templates: {},
      statementSources: (hook.statements ?? defaults.statements ?? []).map((statement, j) => {
        const where = joinPointer(hook.statements ? at('statements') : '/defaults/statements', j);
        const path = hook.statements
          ? `webhooks[${i}].statements[${j}]`
          : `defaults.statements[${j}]`;
        return { statement, file: doc.file, ...doc.locate(where), path };
      }),
      origin: {
        file: doc.file,
        line: position.line,
        col: position.col,
        pointer,
        document: doc.index,
      },
    };
    for (const f of ['name', 'url', 'secret', 'tags', 'statements'] as const) {
      if (
        sensitive.includes(f) &&
        desired[f] !== undefined &&
        (f !== 'secret' || doc.isSensitive(at('secret')))
      ) {
        desired.templates[f] = withTemplates(desired[f], rawOf);
      }
    }
    return desired;
  });
  return { ownerTag, webhooks, problems };
}

/** Resolved value -> text as written, for every value from the environment under these pointers. */
function templatesUnder(doc: SourceDocument, prefixes: string[]): Map<string, string> {
  const out = new Map<string, string>();
  const collect = (value: unknown, pointer: string): void => {
    if (typeof value === 'string') {
      const raw = doc.templateOf(pointer);
      if (raw !== undefined) out.set(value, raw);
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) collect(v, joinPointer(pointer, k));
    }
  };
  // In document order, as the loader met them: for one value, the template written last wins.
  const order = Object.keys(doc.value as object);
  const rank = (p: string) => order.indexOf(pointerSegments(p)[0] ?? '');
  for (const prefix of [...prefixes].sort((a, b) => rank(a) - rank(b))) {
    const value = prefix
      .slice(1)
      .split('/')
      .reduce<unknown>(
        (v, k) =>
          (v as Record<string, unknown> | undefined)?.[k.replace(/~1/g, '/').replace(/~0/g, '~')],
        doc.value,
      );
    collect(value, prefix);
  }
  return out;
}

function withTemplates(value: unknown, rawOf: Map<string, string>): unknown {
  if (typeof value === 'string') return rawOf.get(value) ?? value.replace(/\$\{/g, () => '$${');
  if (Array.isArray(value)) return value.map((v) => withTemplates(v, rawOf));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withTemplates(v, rawOf)]));
  }
  return value;
}
