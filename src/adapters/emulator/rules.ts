/**
 * What LaunchDarkly validates on a webhook, as the emulator enforces it. Each check returns a
 * message for a 400 `invalid_request`, or undefined.
 */
const TAG = /^[A-Za-z0-9._-]{1,64}$/;

export interface StoredWebhook {
  _id: string;
  name?: string;
  url: string;
  secret?: string;
  statements?: unknown[];
  on: boolean;
  tags: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function checkUrl(v: unknown): string | undefined {
  if (typeof v !== 'string' || v === '') return 'url is required and must be a string';
  try {
    const u = new URL(v);
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      return 'url must be an http or https URL';
  } catch {
    return 'url must be an absolute URL';
  }
  return undefined;
}

export function checkTags(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) return 'tags must be an array of strings';
  for (const t of v) {
    if (typeof t !== 'string' || !TAG.test(t)) {
      return `invalid tag ${JSON.stringify(t)}: tags are 1 to 64 letters, digits, ".", "_" or "-"`;
    }
  }
  return undefined;
}

export function checkStatements(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) return 'statements must be an array';
  for (const [i, s] of v.entries()) {
    if (!isObject(s)) return `statements[${i}] must be an object`;
    if (s.effect !== 'allow' && s.effect !== 'deny')
      return `statements[${i}].effect must be "allow" or "deny"`;
    for (const [a, b] of [
      ['resources', 'notResources'],
      ['actions', 'notActions'],
    ] as const) {
      const has = [a, b].filter((k) => s[k] !== undefined);
      if (has.length !== 1) return `statements[${i}] must have exactly one of ${a} and ${b}`;
      const list = s[has[0] as string];
      if (
        !Array.isArray(list) ||
        list.length === 0 ||
        list.some((x) => typeof x !== 'string' || x === '')
      ) {
        return `statements[${i}].${has[0]} must be a non-empty array of strings`;
      }
    }
    const extra = Object.keys(s).filter(
      (k) => !['effect', 'resources', 'notResources', 'actions', 'notActions'].includes(k),
    );
    if (extra.length > 0) return `statements[${i}] has unknown field ${extra[0]}`;
  }
  return undefined;
}

/** Checks a `webhookPost` body. */
export function checkPost(body: unknown): string | undefined {
  if (!isObject(body)) return 'the body must be a JSON object';
  if (typeof body.sign !== 'boolean') return 'sign is required and must be a boolean';
  if (typeof body.on !== 'boolean') return 'on is required and must be a boolean';
  if (body.name !== undefined && typeof body.name !== 'string') return 'name must be a string';
  if (body.secret !== undefined && typeof body.secret !== 'string')
    return 'secret must be a string';
  return checkUrl(body.url) ?? checkTags(body.tags) ?? checkStatements(body.statements);
}

const PATCHABLE = new Set(['name', 'url', 'secret', 'statements', 'on', 'tags']);

/** Checks a webhook after a JSON Patch was applied to it. */
export function checkPatched(doc: Record<string, unknown>): string | undefined {
  const unknown = Object.keys(doc).find((k) => !PATCHABLE.has(k));
  if (unknown !== undefined) return `unknown field ${unknown}`;
  if (typeof doc.on !== 'boolean') return 'on must be a boolean';
  if (doc.name !== undefined && typeof doc.name !== 'string') return 'name must be a string';
  if (doc.secret !== undefined && typeof doc.secret !== 'string') return 'secret must be a string';
  if (!Array.isArray(doc.tags)) return 'tags must be an array of strings';
  return checkUrl(doc.url) ?? checkTags(doc.tags) ?? checkStatements(doc.statements);
}

/** Checks one stored webhook read back from a data file. */
export function checkStored(v: unknown): string | undefined {
  if (!isObject(v)) return 'a webhook must be an object';
  if (typeof v._id !== 'string' || !/^[0-9a-f]{24}$/.test(v._id))
    return '_id must be 24 hex characters';
  const { _id, ...rest } = v;
  return checkPatched(rest);
}
