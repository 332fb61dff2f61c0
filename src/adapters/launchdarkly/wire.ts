import { escapeControl } from '../../core/escape.js';
import type { LiveWebhook, Statement } from '../../core/model.js';

// LaunchDarkly's `Webhook` representation is read from `unknown`, field by field: what a server
// sends is checked, never assumed.

export const API_VERSION = '20240415';
export const WEBHOOKS_PATH = '/api/v2/webhooks';

/** A webhook representation ldhooks cannot read safely: the message names the webhook. */
export class OddWebhookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OddWebhookError';
  }
}

const LIST_KEYS = ['resources', 'notResources', 'actions', 'notActions'] as const;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const absent = (v: unknown) => v === undefined || v === null;

/** An id as an error may show it: a server chooses it, so it is cut short and made inert. */
export function shownId(id: unknown): string {
  if (typeof id !== 'string' || id === '') return '(without an _id)';
  const chars = Array.from(id);
  return escapeControl(chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : id);
}

/**
 * The live webhook a representation describes. What is harmless is normalized: `null` and a
 * missing field read the same (no name, no secret, no tags, no statements), an empty secret is
 * no secret, and a statement list that is `null` or `[]` is left out, so that it compares equal
 * to the same statement without it. What ldhooks cannot plan from (a missing URL, a tag or a
 * statement it cannot read) is refused with the webhook's id, never passed on to crash later.
 */
export function toLiveWebhook(value: unknown): LiveWebhook {
  if (!isRecord(value)) throw new OddWebhookError('a webhook in the answer is not a JSON object');
  const id = value._id;
  const refuse = (what: string) =>
    new OddWebhookError(`webhook ${shownId(id)}: ${what}; ldhooks cannot plan from it`);
  if (typeof id !== 'string' || id === '') throw refuse('it has no _id');
  const { name, url, on, secret, tags, statements } = value;
  if (!absent(name) && typeof name !== 'string') throw refuse('its name is not a string');
  if (typeof url !== 'string') throw refuse('its url is missing or not a string');
  if (typeof on !== 'boolean') throw refuse('its "on" is missing or not true or false');
  if (!absent(secret) && typeof secret !== 'string') throw refuse('its secret is not a string');
  if (!absent(tags) && !(Array.isArray(tags) && tags.every((t) => typeof t === 'string')))
    throw refuse('its tags are not a list of strings');
  if (!absent(statements) && !Array.isArray(statements))
    throw refuse('its statements are not a list');
  return {
    id,
    ...(typeof name === 'string' ? { name } : {}),
    url,
    ...(typeof secret === 'string' && secret !== '' ? { secret } : {}),
    on,
    tags: (tags as string[] | null | undefined) ?? [],
    statements: ((statements as unknown[] | null | undefined) ?? []).map((s, i) => {
      const read = toStatement(s);
      if (typeof read === 'string') throw refuse(`statements[${i}]${read}`);
      return read;
    }),
  };
}

/** One live statement, its empty lists left out; a string says why it cannot be read. */
function toStatement(s: unknown): Statement | string {
  if (!isRecord(s)) return ' is not an object';
  if (s.effect !== 'allow' && s.effect !== 'deny') return ' has no effect "allow" or "deny"';
  const out: Record<string, unknown> = { effect: s.effect };
  for (const key of LIST_KEYS) {
    const list = s[key];
    if (absent(list)) continue;
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string'))
      return `.${key} is not a list of strings`;
    if (list.length > 0) out[key] = list;
  }
  return out as unknown as Statement;
}
