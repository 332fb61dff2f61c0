import { randomBytes } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { interpolate } from '../core/config/interpolate.js';
import type { DesiredWebhook, LiveWebhook, Plan, Statement } from '../core/model.js';
import { SENSITIVE } from '../core/model.js';
import { fingerprint, liveFingerprint } from '../core/plan/fingerprint.js';
import { isManagedBy } from '../core/plan/plan.js';
import {
  PLAN_FILE_FORMAT,
  PLAN_FILE_VERSION,
  type PlanFile,
  planFileSchema,
  type SavedDesired,
  toPlanJson,
} from '../core/plan/plan-file.js';
import { VERSION } from '../version.js';

type TemplateField = 'name' | 'url' | 'secret' | 'tags' | 'statements';
const TEMPLATE_FIELDS: TemplateField[] = ['name', 'url', 'secret', 'tags', 'statements'];

/** A saved plan that cannot be used: corrupt, foreign, or its sensitive values cannot be resolved. */
export class PlanFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanFileError';
  }
}

/** The saved plan no longer matches LaunchDarkly or the environment: exit 3. */
export class StalePlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StalePlanError';
  }
}

export function buildPlanFile(input: {
  baseUri: string;
  adopt: boolean;
  targets: readonly string[];
  ownerTags: readonly string[];
  desired: readonly DesiredWebhook[];
  live: readonly LiveWebhook[];
  plan: Plan;
}): PlanFile {
  const salt = randomBytes(16).toString('hex');
  const managed = input.live.filter((l) => isManagedBy(l, input.ownerTags));
  return {
    ...toPlanJson(input.plan, VERSION),
    saved: {
      base_uri: input.baseUri,
      options: { adopt: input.adopt, targets: [...input.targets] },
      salt,
      desired: input.desired.map((d) => saveDesired(d, salt)),
      live: managed.map((l) => ({
        id: l.id,
        name: l.name ?? null,
        fingerprint: liveFingerprint(salt, l),
      })),
    },
  };
}

function saveDesired(d: DesiredWebhook, salt: string): SavedDesired {
  const masked = new Set<string>(d.sensitive);
  const fingerprints: SavedDesired['fingerprints'] = {};
  for (const f of TEMPLATE_FIELDS) {
    if (masked.has(f) && d[f] !== undefined) fingerprints[f] = fingerprint(salt, d[f]);
  }
  return {
    name: masked.has('name') ? SENSITIVE : d.name,
    url: masked.has('url') ? SENSITIVE : d.url,
    on: d.on,
    sign: d.sign,
    ...(d.secret !== undefined ? { secret: SENSITIVE } : {}),
    tags: masked.has('tags') ? [SENSITIVE] : d.tags,
    statements: masked.has('statements') ? [] : d.statements,
    ownerTag: d.ownerTag,
    adopt: d.adopt,
    sensitive: d.sensitive,
    templates: d.templates,
    fingerprints,
  };
}

let validatePlanFile: ReturnType<Ajv2020['compile']> | undefined;

/** Parses and checks a plan file; a corrupt or foreign file is a PlanFileError that says why. */
export function parsePlanFile(text: string, file: string): PlanFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new PlanFileError(
      `${file} is not a plan file: not valid JSON (${(e as Error).message}); make one with ldhooks plan --out ${file}`,
    );
  }
  const d = data as Partial<PlanFile> | null;
  if (typeof d !== 'object' || d === null || d.format !== PLAN_FILE_FORMAT) {
    throw new PlanFileError(
      `${file} is not an ldhooks plan file (no "format": "${PLAN_FILE_FORMAT}"); make one with ldhooks plan --out ${file}`,
    );
  }
  if (d.format_version !== PLAN_FILE_VERSION) {
    throw new PlanFileError(
      `${file} is a plan of format version ${JSON.stringify(d.format_version)}, written by ldhooks ${d.ldhooks_version ?? '?'}; this ldhooks ${VERSION} reads version ${PLAN_FILE_VERSION}: plan again with this version`,
    );
  }
  validatePlanFile ??= new Ajv2020({ allErrors: true, strict: false }).compile(planFileSchema);
  if (!validatePlanFile(data)) {
    const first = validatePlanFile.errors?.[0];
    throw new PlanFileError(
      `${file} is damaged: ${first?.instancePath || '(root)'} ${first?.message ?? 'is not valid'}; plan again with ldhooks plan --out ${file}`,
    );
  }
  if (!d.saved) {
    throw new PlanFileError(
      `${file} is a plan printed with --format json, without what apply needs; save one with ldhooks plan --out ${file}`,
    );
  }
  return data as PlanFile;
}

/**
 * Rebuilds the desired webhooks of a plan file: each sensitive value is resolved again from the
 * environment and must match the fingerprint taken at plan time.
 */
export function restoreDesired(
  file: PlanFile,
  env: Readonly<Record<string, string | undefined>>,
): DesiredWebhook[] {
  const mismatched: string[] = [];
  const desired = file.saved.desired.map((s, i) => {
    const d: DesiredWebhook = {
      name: s.name,
      url: s.url,
      on: s.on,
      sign: s.sign,
      tags: s.tags,
      statements: s.statements as Statement[],
      ownerTag: s.ownerTag,
      adopt: s.adopt,
      sensitive: s.sensitive,
      templates: s.templates,
      statementSources: [],
      origin: { file: 'plan', line: 0, col: 0, pointer: `/desired/${i}`, document: 0 },
    };
    for (const f of TEMPLATE_FIELDS) {
      const expected = s.fingerprints[f];
      if (expected === undefined) continue;
      const template = s.templates[f];
      if (template === undefined) {
        throw new PlanFileError(
          `webhook ${s.name}: its ${f} is written in the config, not in the environment, so a saved plan cannot carry it; apply from the config files instead`,
        );
      }
      const value = resolve(template, env, `webhook ${s.name} ${f}`);
      if (fingerprint(file.saved.salt, value) !== expected) mismatched.push(`${s.name} (${f})`);
      (d as unknown as Record<string, unknown>)[f] = value;
    }
    return d;
  });
  if (mismatched.length > 0) {
    throw new StalePlanError(
      `the environment no longer gives the sensitive values the plan was made with: ${mismatched.join(', ')}; plan again`,
    );
  }
  return desired;
}

function resolve(
  template: unknown,
  env: Readonly<Record<string, string | undefined>>,
  where: string,
): unknown {
  if (typeof template === 'string') {
    const r = interpolate(template, env);
    if (r.issues.length > 0)
      throw new PlanFileError(`${where}: ${r.issues[0]?.message}; ${r.issues[0]?.remedy}`);
    return r.value;
  }
  if (Array.isArray(template)) return template.map((t) => resolve(t, env, where));
  if (template && typeof template === 'object') {
    return Object.fromEntries(
      Object.entries(template).map(([k, v]) => [k, resolve(v, env, where)]),
    );
  }
  return template;
}

/** Refuses when a managed live webhook appeared, vanished or changed since the plan read it. */
export function checkLiveUnchanged(file: PlanFile, live: readonly LiveWebhook[]): void {
  const managed = live.filter((l) => isManagedBy(l, file.owner_tags));
  const saved = new Map(file.saved.live.map((l) => [l.id, l]));
  const now = new Map(managed.map((l) => [l.id, l]));
  const stale: string[] = [];
  for (const [id, s] of saved) {
    const l = now.get(id);
    if (!l) stale.push(`${s.name ?? id} (${id}) was deleted`);
    else if (liveFingerprint(file.saved.salt, l) !== s.fingerprint)
      stale.push(`${s.name ?? id} (${id}) was changed`);
  }
  for (const [id, l] of now) if (!saved.has(id)) stale.push(`${l.name ?? id} (${id}) appeared`);
  if (stale.length > 0) {
    throw new StalePlanError(
      `the plan is stale: since it was made, in LaunchDarkly ${stale.sort().join('; ')}. Plan again and review the new plan`,
    );
  }
}
