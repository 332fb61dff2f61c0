import { createHmac } from 'node:crypto';
import { canonicalStatements } from '../config/statements.js';
import type { LiveWebhook } from '../model.js';
import { sortedUnique } from '../sorted-unique.js';

/** A salted fingerprint: proves a value is unchanged without revealing it. */
export function fingerprint(salt: string, value: unknown): string {
  return createHmac('sha256', salt)
    .update(JSON.stringify(value ?? null))
    .digest('hex');
}

/** The fingerprint of a live webhook, over every field a plan compares (secret included). */
export function liveFingerprint(salt: string, l: LiveWebhook): string {
  return fingerprint(salt, {
    id: l.id,
    name: l.name ?? null,
    url: l.url,
    secret: l.secret ?? null,
    on: l.on,
    tags: sortedUnique(l.tags),
    statements: canonicalStatements(l.statements),
  });
}
