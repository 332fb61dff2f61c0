import { createHash, createHmac, randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';
import type { ValidateFunction } from 'ajv';
import type { FromSchema } from 'json-schema-to-ts';
import { interpolate } from '../core/config/interpolate.js';
import { canonicalStatements } from '../core/config/statements.js';
import {
  type Mask,
  type MaskEntry,
  type Masker,
  maskAt,
  SENSITIVE,
  variablesOf,
} from '../core/mask.js';
import type { DesiredWebhook, LiveWebhook, Plan, Statement } from '../core/model.js';
import { fingerprint, liveFingerprint } from '../core/plan/fingerprint.js';
import { isManagedBy } from '../core/plan/plan.js';
import { inShownOrder } from '../core/plan/view.js';
import { sortedUnique } from '../core/sorted-unique.js';
import { PlanFileError, StalePlanError } from './errors.js';
import { savedSectionSchema } from './saved-plan-schema.js';
import compiledSectionValidator from './saved-section-validator.generated.js';

// The types come from the schema. Masks are recursive, which the type derivation cannot follow:
// at the type level they are left open, and read as Mask.
const open = {} as const;
const item = savedSectionSchema.properties.desired.items;
const typed = {
  ...savedSectionSchema,
  properties: {
    ...savedSectionSchema.properties,
    owner_tags_mask: open,
    desired: {
      ...savedSectionSchema.properties.desired,
      items: { ...item, properties: { ...item.properties, mask: open } },
    },
  },
} as const;

/** The `saved` section of a plan file. */
export type SavedSection = FromSchema<typeof typed>;
type SavedDesired = SavedSection['desired'][number];

export interface SavedOptions {
  baseUri: string;
  adopt: boolean;
  /** --takeover-from */
  takeoverFrom: readonly string[];
  maxDeletePercent: number;
  allowDeleteAll: boolean;
  /** The plan's masker: everything is saved as the plan shows it. */
  masker: Masker;
  /** The environment the plan was made with: the saved plan must resolve back with it. */
  env: Readonly<Record<string, string | undefined>>;
  /** What the seal's key is derived from: LDHOOKS_PLAN_KEY, else the access token. */
  keyMaterial: string;
}

/**
 * The key of a saved plan's seal and fingerprints, derived with scrypt from a secret that plan
 * and apply both hold (LDHOOKS_PLAN_KEY, else the access token) and the plan's own salt. Whoever
 * holds the file but not that secret can neither forge a seal nor test a guessed value against
 * a fingerprint; scrypt makes each guess at a weak key cost tens of milliseconds.
 */
export function sealKey(material: string, salt: string): Buffer {
  return scryptSync(material, `ldhooks-plan:${salt}`, 32, {
    N: 2 ** 15,
    r: 8,
    p: 1,
    maxmem: 64 * 1024 * 1024,
  });
}

/** The seal of a plan file: a keyed MAC over everything in it but the seal itself. */
function sealOf(file: Record<string, unknown>, key: Buffer): string {
  const { saved, ...rest } = file as { saved: Record<string, unknown> };
  const { seal: _seal, ...section } = saved;
  return createHmac('sha256', key)
    .update(JSON.stringify({ ...rest, saved: section }))
    .digest('hex');
}

/**
 * The file `plan --out` writes: the plan as JSON, its saved section, and the seal over both.
 * Any edit, also behind masked values, breaks the seal.
 */
export function buildPlanFile(
  planJson: Record<string, unknown>,
  desired: readonly DesiredWebhook[],
  live: readonly LiveWebhook[],
  ownerTags: readonly string[],
  plan: Plan,
  options: SavedOptions,
): Record<string, unknown> {
  const salt = randomBytes(16).toString('hex');
  const key = sealKey(options.keyMaterial, salt);
  const section = buildSavedSection(desired, live, ownerTags, plan, options, salt, key);
  const file: Record<string, unknown> = { ...planJson, saved: section };
  section.seal = sealOf(file, key);
  return file;
}

/** The text of a plan file, exactly as `plan --out` writes it. */
export function planFileText(file: Record<string, unknown>): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

/**
 * Checks the seal of a parsed plan file and returns the key it was made with. A file changed
 * after `plan --out`, or a key other than plan's, is refused with nothing sent.
 */
export function verifySeal(
  text: string,
  file: Record<string, unknown>,
  section: SavedSection,
  material: string,
  name: string,
): Buffer {
  const key = sealKey(material, section.salt);
  const expected = Buffer.from(sealOf(file, key), 'hex');
  const actual = Buffer.from(section.seal, 'hex');
  // The file must be exactly as ldhooks wrote it: a repeated key, which JSON.parse resolves to
  // its last value while another reader may show the first, would otherwise pass the seal.
  const asWritten = text === planFileText(file);
  if (!asWritten || actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
    throw new PlanFileError(
      `${name} does not carry a valid seal: it was changed after plan --out, or apply uses another key than plan did (LDHOOKS_PLAN_KEY, else the access token). A saved plan is applied only exactly as written: plan again, with the same LDHOOKS_PLAN_KEY (or token) for plan and apply`,
    );
  }
  return key;
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
function buildSavedSection(
  desired: readonly DesiredWebhook[],
  live: readonly LiveWebhook[],
  ownerTags: readonly string[],
  plan: Plan,
  options: SavedOptions,
  salt: string,
  key: Buffer,
): SavedSection {
  const { masker } = options;
  const owners = masker.show([...ownerTags]);
  const section: SavedSection = {
    base_uri: options.baseUri,
    options: {
      adopt: options.adopt,
      takeover_from: [...options.takeoverFrom],
      // As shown: a name from the environment is kept as its template, which --target matches.
      targets: plan.targets ?? [],
      max_delete_percent: options.maxDeletePercent,
      allow_delete_all: options.allowDeleteAll,
    },
    salt,
    owner_tags: owners.value,
    owner_tags_mask: owners.mask,
    desired: desired.map((d) => saveDesired(d, key, masker.prefer(d.sensitive))),
    live: live
      .filter((l) => isManagedBy(l, ownerTags))
      .map((l) => ({
        id: l.id,
        name: l.name === undefined ? null : masker.valueText(l.name),
        fingerprint: liveFingerprint(key, l),
      })),
    changes_digest: changesDigest(plan),
    seal: '',
  };
  checkRestorable(section, desired, options.env, key);
  return section;
}

function saveDesired(d: DesiredWebhook, key: Buffer, masker: Masker): SavedDesired {
  if (d.secret !== undefined && d.secretTemplate === undefined) {
    throw new PlanFileError(
      `webhook ${masker.valueText(d.name)}: its secret is written in the config, not read from the environment, so a saved plan cannot carry it; load it with secret: \${NAME}, or apply from the config files`,
    );
  }
  const shown = inShownOrder(
    masker.show({
      name: d.name,
      url: d.url,
      tags: d.tags,
      statements: d.statements,
      owner_tag: d.ownerTag,
    }),
  );
  return {
    webhook: shown.value,
    mask: shown.mask,
    on: d.on,
    sign: d.sign,
    ...(d.secretTemplate !== undefined ? { secret_template: d.secretTemplate } : {}),
    adopt: d.adopt,
    fingerprint: fingerprint(key, realValues(d)),
  };
}

/**
 * A saved plan must resolve back to what was planned, or it could never be applied: refuse it
 * now, not after review (a secret inside another value, a `$` just before a template).
 */
function checkRestorable(
  section: SavedSection,
  desired: readonly DesiredWebhook[],
  env: Readonly<Record<string, string | undefined>>,
  key: Buffer,
): void {
  let restored: DesiredWebhook[];
  try {
    restored = restoreDesired(section, env, key);
  } catch {
    restored = [];
  }
  desired.forEach((d, i) => {
    const back = restored[i];
    if (back && JSON.stringify(realValues(back)) === JSON.stringify(realValues(d))) return;
    throw new PlanFileError(
      `webhook ${section.desired[i]?.webhook.name}: its values cannot be saved as \${NAME} templates (a secret or an environment value appears inside another value, or a $ stands just before a template), so the saved plan could never be applied; apply from the config files instead`,
    );
  });
}

/** The saved section's schema, compiled when ldhooks is built (scripts/build-validators.mjs). */
const validateSection = compiledSectionValidator as ValidateFunction;

/** Checks the saved section of a parsed plan file; a damaged one is a PlanFileError. */
export function checkSavedSection(section: unknown, file: string): SavedSection {
  let valid: boolean;
  try {
    valid = validateSection(section) as boolean;
  } catch {
    // Nesting deep enough to exhaust the stack: no plan ldhooks writes looks like that.
    valid = false;
  }
  if (!valid) {
    const first = validateSection.errors?.[0];
    const where = first
      ? `saved${first.instancePath} ${first.message}`
      : 'saved is nested too deep';
    throw new PlanFileError(
      `${file} is damaged: ${where}; plan again with ldhooks plan --out ${file}`,
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
  key: Buffer,
): DesiredWebhook[] {
  const mismatched: string[] = [];
  // The variables of the webhooks that no longer match and are now empty: a CI secret gone missing.
  const emptied = new Set<string>();
  const desired = section.desired.map((s, i) => {
    const sensitive: MaskEntry[] = [];
    const where = `webhook ${s.webhook.name}`;
    const { owner_tag: ownerTag, ...resolved } = resolveMasked(
      s.webhook,
      s.mask as Mask,
      env,
      where,
      sensitive,
    ) as { name: string; url: string; tags: string[]; statements: Statement[]; owner_tag: string };
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
      ownerTag,
      adopt: s.adopt,
      sensitive,
      statementSources: [],
      origin: { file: 'plan', line: 0, col: 0, pointer: `/saved/desired/${i}`, document: 0 },
    };
    if (fingerprint(key, realValues(d)) !== s.fingerprint) {
      mismatched.push(s.webhook.name);
      for (const name of variablesOf(`${JSON.stringify(s.webhook)}${s.secret_template ?? ''}`))
        if (env[name]?.trim() === '') emptied.add(name);
    }
    return d;
  });
  if (mismatched.length > 0) {
    const empty = [...emptied].sort();
    const remedy =
      empty.length > 0
        ? `; now empty: ${empty.join(', ')}: set them as they were for plan --out (in CI, check that the secrets they are set from exist), or plan again`
        : '; plan again';
    throw new StalePlanError(
      `the environment no longer gives the values the plan was made with: ${mismatched.join(', ')}${remedy}`,
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

/** The owner tags of a saved plan, resolved again from the environment. */
export function restoreOwnerTags(
  section: SavedSection,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  return resolveMasked(
    section.owner_tags,
    section.owner_tags_mask as Mask,
    env,
    'owner tag',
    [],
  ) as string[];
}

/** Refuses when a managed live webhook appeared, vanished or changed since the plan read it. */
export function checkLiveUnchanged(
  section: SavedSection,
  ownerTags: readonly string[],
  live: readonly LiveWebhook[],
  masker: Masker,
  key: Buffer,
): void {
  const managed = live.filter((l) => isManagedBy(l, ownerTags));
  const saved = new Map(section.live.map((l) => [l.id, l]));
  const now = new Map(managed.map((l) => [l.id, l]));
  const stale: string[] = [];
  for (const [id, s] of saved) {
    const l = now.get(id);
    if (!l) stale.push(`${s.name ?? id} (${id}) was deleted`);
    else if (liveFingerprint(key, l) !== s.fingerprint)
      stale.push(`${s.name ?? id} (${id}) was changed`);
  }
  for (const [id, l] of now) {
    if (!saved.has(id)) stale.push(`${masker.valueText(l.name ?? id)} (${id}) appeared`);
  }
  if (stale.length > 0) {
    throw new StalePlanError(
      `the plan is stale: since it was made, in LaunchDarkly ${stale.sort().join('; ')}. Plan again and review the new plan`,
    );
  }
}
