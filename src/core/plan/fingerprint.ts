import { createHmac } from 'node:crypto';
import { canonicalStatements } from '../config/statements.js';
import type { LiveWebhook } from '../model.js';
import { sortedUnique } from '../sorted-unique.js';

/**
 * A keyed fingerprint: proves a value is unchanged without revealing it. Keyed by a secret that
 * the holder of a saved plan does not have, so it cannot be used to test guesses offline.
 */
export function fingerprint(key: Uint8Array | string, value: unknown): string {
  return createHmac('sha256', key)
    .update(JSON.stringify(value ?? null))
    .digest('hex');
}

/** The fingerprint of a live webhook, over every field a plan compares (secret included). */
export function liveFingerprint(key: Uint8Array | string, l: LiveWebhook): string {
  return fingerprint(key, {
    id: l.id,
    name: l.name ?? null,
    url: l.url,
    secret: l.secret ?? null,
    on: l.on,
    tags: sortedUnique(l.tags),
    statements: canonicalStatements(l.statements),
  });
}
