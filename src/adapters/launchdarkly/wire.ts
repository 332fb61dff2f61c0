import type { LiveWebhook, Statement } from '../../core/model.js';

/** LaunchDarkly's `Webhook` representation, as the API sends it. */
export interface WebhookRep {
  _links: Record<string, { href?: string; type?: string }>;
  _id: string;
  name?: string;
  url: string;
  secret?: string;
  statements?: Statement[];
  on: boolean;
  tags: string[];
  _access?: { allowed: unknown[]; denied: unknown[] };
}

/** LaunchDarkly's `Webhooks` collection. */
export interface WebhooksRep {
  _links: Record<string, { href?: string; type?: string }>;
  items: WebhookRep[];
}

/** LaunchDarkly's error body. */
export interface ErrorRep {
  code: string;
  message: string;
  id?: string;
}

export const API_VERSION = '20240415';
export const WEBHOOKS_PATH = '/api/v2/webhooks';

export function toLiveWebhook(rep: WebhookRep): LiveWebhook {
  return {
    id: rep._id,
    ...(rep.name !== undefined ? { name: rep.name } : {}),
    url: rep.url,
    ...(rep.secret ? { secret: rep.secret } : {}),
    on: rep.on,
    tags: rep.tags ?? [],
    statements: rep.statements ?? [],
  };
}

/** A defensive check of what the API returned, so a surprise is an error and not a crash later. */
export function isWebhookRep(value: unknown): value is WebhookRep {
  const v = value as Partial<WebhookRep> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v._id === 'string' &&
    typeof v.url === 'string' &&
    typeof v.on === 'boolean' &&
    (v.tags === undefined || Array.isArray(v.tags)) &&
    (v.statements === undefined || v.statements === null || Array.isArray(v.statements))
  );
}
