import { createHash, randomBytes } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { FromSchema } from 'json-schema-to-ts';
import { interpolate } from '../core/config/interpolate.js';
import { canonicalStatements } from '../core/config/statements.js';
import { type Mask, type MaskEntry, Masker, maskAt, SENSITIVE } from '../core/mask.js';
import type { DesiredWebhook, LiveWebhook, Plan, Statement } from '../core/model.js';
import { fingerprint, liveFingerprint } from '../core/plan/fingerprint.js';
import { isManagedBy } from '../core/plan/plan.js';
import { inShownOrder } from '../core/plan/view.js';
import { sortedUnique } from '../core/sorted-unique.js';
import { PlanFileError, StalePlanError } from './errors.js';
import { savedSectionSchema } from './saved-plan-schema.js';

/** The `saved` section of a plan file. */
export type SavedSection = FromSchema<typeof savedSectionSchema>;
type SavedDesired = SavedSection['desired'][number];

export interface SavedOptions {
  baseUri: string;
  adopt: boolean;
  maxDeletePercent: number;
  allowDeleteAll: boolean;
  /** The plan's masker: live names are saved as the plan shows them. */
  masker: Masker;
}

/** The digest of the changes as planned: what apply must find again. */
export function changesDigest(plan: Plan): string {
  // Only the views are enumerable: real names and operations never enter the digest.
  return createHash('sha256').update(JSON.stringify(plan.changes)).digest('hex');
}

const realValues = (d: DesiredWebhook) => ({
  name: d.name,
  url: d.url,
  on: d.on,
  sign: d.sign,
  secret: d.secret ?? null,
  tags: d.tags,
  statements: d.statements,
  ownerTag: d.ownerTag,
  adopt: d.adopt,
});

/** The saved section of a plan: desired webhooks as templates, fingerprints of what was read. */
export function buildSavedSection(
  desired: readonly DesiredWebhook[],
  live: readonly LiveWebhook[],
  ownerTags: readonly string[],
  plan: Plan,
  options: SavedOptions,
): SavedSection {
  const salt = randomBytes(16).toString('hex');
  const { masker } = options;
  return {
    base_uri: options.baseUri,
    options: {
      adopt: options.adopt,
      // As shown: a name from the environment is kept as its template, which --target matches.
      targets: plan.targets ?? [],
      max_delete_percent: options.maxDeletePercent,
      allow_delete_all: options.allowDeleteAll,
    },
    salt,
    desired: desired.map((d) => saveDesired(d, salt)),
    live: live
      .filter((l) => isManagedBy(l, ownerTags))
      .map((l) => ({
        id: l.id,
        name: l.name === undefined ? null : masker.text(l.name),
        fingerprint: liveFingerprint(salt, l),
      })),
    changes_digest: changesDigest(plan),
  };
}

function saveDesired(d: DesiredWebhook, salt: string): SavedDesired {
  if (d.secret !== undefined && d.secretTemplate === undefined) {
    throw new PlanFileError(
      `webhook ${new Masker(d.sensitive).text(d.name)}: its secret is written in the config, not read from the environment, so a saved plan cannot carry it; load it with secret: \${NAME}, or apply from the config files`,
    );
  }
  const shown = inShownOrder(
    new Masker(d.sensitive).show({
      name: d.name,
      url: d.url,
      tags: d.tags,
      statements: d.statements,
    }),
  );
  return {
    webhook: shown.value,
    mask: shown.mask,
    on: d.on,
    sign: d.sign,
    ...(d.secretTemplate !== undefined ? { secret_template: d.secretTemplate } : {}),
    owner_tag: d.ownerTag,
    adopt: d.adopt,
    fingerprint: fingerprint(salt, realValues(d)),
  };
}

let validateSection: ReturnType<Ajv2020['compile']> | undefined;

/** Checks the saved section of a parsed plan file; a damaged one is a PlanFileError. */
export function checkSavedSection(section: unknown, file: string): SavedSection {
  validateSection ??= new Ajv2020({ allErrors: true, strict: false }).compile(savedSectionSchema);
  if (!validateSection(section)) {
    const first = validateSection.errors?.[0];
    throw new PlanFileError(
      `${file} is damaged: saved${first?.instancePath ?? ''} ${first?.message ?? 'is not valid'}; plan again with ldhooks plan --out ${file}`,
    );
  }
  return section as SavedSection;
}

/**
 * Rebuilds the desired webhooks of a saved plan: each template is resolved again from the
 * environment, and the result must match the fingerprint taken at plan time.
 */
export function restoreDesired(
  section: SavedSection,
  env: Readonly<Record<string, string | undefined>>,
): DesiredWebhook[] {
  const mismatched: string[] = [];
  const desired = section.desired.map((s, i) => {
    const sensitive: MaskEntry[] = [];
    const where = `webhook ${s.webhook.name}`;
    const resolved = resolveMasked(s.webhook, s.mask as Mask, env, where, sensitive) as {
      name: string;
      url: string;
      tags: string[];
      statements: Statement[];
    };
    let secret: string | undefined;
    if (s.secret_template !== undefined) {
      secret = resolveTemplate(s.secret_template, env, `${where} secret`);
      sensitive.unshift({ value: secret, shown: SENSITIVE });
    }
    const d: DesiredWebhook = {
      ...resolved,
      // Saved in the order they show; compared in canonical order, by their real values.
      tags: sortedUnique(resolved.tags),
      statements: canonicalStatements(resolved.statements),
      on: s.on,
      sign: s.sign,
      ...(secret !== undefined ? { secret, secretTemplate: s.secret_template } : {}),
      ownerTag: s.owner_tag,
      adopt: s.adopt,
      sensitive,
      statementSources: [],
      origin: { file: 'plan', line: 0, col: 0, pointer: `/saved/desired/${i}`, document: 0 },
    };
    if (fingerprint(section.salt, realValues(d)) !== s.fingerprint) mismatched.push(s.webhook.name);
    return d;
  });
  if (mismatched.length > 0) {
    throw new StalePlanError(
      `the environment no longer gives the values the plan was made with: ${mismatched.join(', ')}; plan again`,
    );
  }
  return desired;
}

function resolveTemplate(
  template: string,
  env: Readonly<Record<string, string | undefined>>,
  where: string,
): string {
  const r = interpolate(template, env);
  const issue = r.issues[0];
  if (issue) {
    throw new PlanFileError(
      `${where}: ${issue.message}; the plan was made with it: set it in the environment of apply --plan, as it was for plan --out`,
    );
  }
  return r.value;
}

function resolveMasked(
  value: unknown,
  mask: Mask,
  env: Readonly<Record<string, string | undefined>>,
  where: string,
  entries: MaskEntry[],
): unknown {
  if (mask === false) return value;
  if (typeof value === 'string') {
    if (mask !== true) return value;
    const resolved = resolveTemplate(value, env, where);
    entries.push({ value: resolved, shown: value });
    return resolved;
  }
  if (Array.isArray(value)) {
    return value.map((v, i) => resolveMasked(v, maskAt(mask, i), env, where, entries));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        resolveMasked(v, maskAt(mask, k), env, where, entries),
      ]),
    );
  }
  return value;
}

/** Refuses when a managed live webhook appeared, vanished or changed since the plan read it. */
export function checkLiveUnchanged(
  section: SavedSection,
  ownerTags: readonly string[],
  live: readonly LiveWebhook[],
  masker: Masker,
): void {
  const managed = live.filter((l) => isManagedBy(l, ownerTags));
  const saved = new Map(section.live.map((l) => [l.id, l]));
  const now = new Map(managed.map((l) => [l.id, l]));
  const stale: string[] = [];
  for (const [id, s] of saved) {
    const l = now.get(id);
    if (!l) stale.push(`${s.name ?? id} (${id}) was deleted`);
    else if (liveFingerprint(section.salt, l) !== s.fingerprint)
      stale.push(`${s.name ?? id} (${id}) was changed`);
  }
  for (const [id, l] of now) {
    if (!saved.has(id)) stale.push(`${masker.text(l.name ?? id)} (${id}) appeared`);
  }
  if (stale.length > 0) {
    throw new StalePlanError(
      `the plan is stale: since it was made, in LaunchDarkly ${stale.sort().join('; ')}. Plan again and review the new plan`,
    );
  }
}
