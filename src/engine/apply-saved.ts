import type { MaskEntry } from '../core/mask.js';
import type { WebhooksPort } from '../core/port.js';
import {
  OwnershipError,
  PlanFileError,
  type ReviewedOperation,
  StalePlanError,
  UnknownTargetError,
} from './errors.js';
import { type PlanRun, planFromLive } from './plan.js';
import {
  changesDigest,
  checkLiveUnchanged,
  checkSavedSection,
  restoreDesired,
  restoreOwnerTags,
  type SavedSection,
  verifySeal,
} from './saved-plan.js';

/** The plan format this ldhooks reads and writes (render/plan-schema.ts holds the same). */
export interface SavedPlanFormat {
  format: string;
  version: number;
  ldhooksVersion: string;
}

/** What {@link planFromSaved} checks a saved plan against: where ldhooks points, and with what key. */
export interface SavedPlanContext {
  /** The file as the user named it, for messages. */
  file: string;
  /** Where ldhooks points now: must be where the plan was made. */
  baseUri: string;
  env: Readonly<Record<string, string | undefined>>;
  expected: SavedPlanFormat;
  /** What the seal's key is derived from (see saved-plan.ts sealKey). */
  keyMaterial: string;
  /** More values never to show (the access token). */
  secrets?: readonly MaskEntry[];
}

/**
 * Where JSON.parse gave up, without what it read there: the file may be anything (a token file,
 * a .env), and its text is never echoed.
 */
function jsonErrorPlace(e: unknown): string {
  const at = /position (\d+)/.exec(e instanceof Error ? e.message : '');
  return at ? ` (at character ${at[1]})` : '';
}

/** A version number read from the file, shown only when it looks like one. */
function plain(v: unknown): string {
  const s = String(v);
  return /^[0-9A-Za-z.+-]{1,32}$/.test(s) ? s : '(unreadable)';
}

interface ParsedFile {
  file: Record<string, unknown>;
  saved: SavedSection;
}

/** Parses a plan file and checks its format; a corrupt or foreign file is a PlanFileError. */
export function parseSavedPlan(text: string, ctx: SavedPlanContext): ParsedFile {
  const { file, expected } = ctx;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new PlanFileError(
      `${file} is not a plan file: not valid JSON${jsonErrorPlace(e)}; make one with ldhooks plan --out ${file}`,
    );
  }
  const d = data as Record<string, unknown> | null;
  if (typeof d !== 'object' || d === null || d.format !== expected.format) {
    throw new PlanFileError(
      `${file} is not an ldhooks plan file (no "format": "${expected.format}"); make one with ldhooks plan --out ${file}`,
    );
  }
  if (d.format_version !== expected.version) {
    throw new PlanFileError(
      `${file} is a plan of format version ${plain(d.format_version)}, written by ldhooks ${plain(d.ldhooks_version)}; this ldhooks ${expected.ldhooksVersion} reads version ${expected.version}: plan again with this version`,
    );
  }
  if (d.saved === undefined) {
    throw new PlanFileError(
      `${file} is a plan printed with --format json, without what apply needs; save one with ldhooks plan --out ${file}`,
    );
  }
  return { file: d, saved: checkSavedSection(d.saved, file) };
}

/** The desired webhooks and owner tags of a saved plan; a damaged file is a PlanFileError. */
function restore(saved: SavedSection, ctx: SavedPlanContext, key: Buffer) {
  try {
    return {
      desired: restoreDesired(saved, ctx.env, key),
      ownerTags: restoreOwnerTags(saved, ctx.env),
    };
  } catch (e) {
    if (e instanceof PlanFileError || e instanceof StalePlanError) throw e;
    // A shape the schema let through but that cannot be read (nesting past the stack, say).
    throw new PlanFileError(
      `${ctx.file} is damaged: its saved webhooks cannot be read; plan again with ldhooks plan --out ${ctx.file}`,
    );
  }
}

/**
 * Re-plans a saved plan against the account as it is now and refuses anything but exactly the
 * reviewed plan: another account, a changed managed webhook, other environment values, or a
 * plan that would now differ (exit 3). Guards are checked again with the saved thresholds.
 */
export async function planFromSaved(
  text: string,
  webhooks: WebhooksPort,
  ctx: SavedPlanContext,
): Promise<PlanRun> {
  const parsed = parseSavedPlan(text, ctx);
  const { saved } = parsed;
  const key = verifySeal(text, parsed.file, saved, ctx.keyMaterial, ctx.file);
  if (ctx.baseUri !== saved.base_uri) {
    throw new PlanFileError(
      `the plan was made against ${saved.base_uri}, but ldhooks now points at ${ctx.baseUri}; plan again against this account`,
    );
  }
  try {
    return await replan(saved, webhooks, ctx, key);
  } catch (e) {
    // The seal holds, so the file's operations are the ones reviewed: the report lists them.
    if (e instanceof StalePlanError && e.operations.length === 0)
      throw new StalePlanError(e.message, reviewedOperations(parsed.file));
    throw e;
  }
}

/** The operations of the plan as it was reviewed, from the sealed file's changes. */
function reviewedOperations(file: Record<string, unknown>): ReviewedOperation[] {
  const changes = Array.isArray(file.changes) ? (file.changes as unknown[]) : [];
  return changes.flatMap((c) => {
    const change = c as { name?: unknown; id?: unknown; actions?: unknown } | null;
    const action = Array.isArray(change?.actions) ? change.actions[0] : undefined;
    if (action !== 'create' && action !== 'update' && action !== 'delete') return [];
    if (typeof change?.name !== 'string') return [];
    return [{ action, name: change.name, id: typeof change.id === 'string' ? change.id : null }];
  });
}

async function replan(
  saved: SavedSection,
  webhooks: WebhooksPort,
  ctx: SavedPlanContext,
  key: Buffer,
): Promise<PlanRun> {
  const { desired, ownerTags } = restore(saved, ctx, key);
  const live = await webhooks.list();
  const config = { files: [], webhooks: desired, ownerTags, problems: [] };
  const options = {
    adopt: saved.options.adopt,
    takeoverFrom: saved.options.takeover_from,
    targets: saved.options.targets,
    maxDeletePercent: saved.options.max_delete_percent,
    allowDeleteAll: saved.options.allow_delete_all,
    env: ctx.env,
    secrets: ctx.secrets ?? [],
  };
  let run: PlanRun;
  try {
    run = planFromLive(config, live, options);
  } catch (e) {
    if (e instanceof UnknownTargetError) {
      throw new StalePlanError(
        `the plan can no longer be applied as it was reviewed: ${e.message}. Plan again`,
      );
    }
    if (!(e instanceof OwnershipError)) throw e;
    throw new StalePlanError(
      `the plan can no longer be applied as it was reviewed: ${e.problems.map((p) => p.message).join('; ')}. Plan again`,
    );
  }
  checkLiveUnchanged(saved, ownerTags, live, run.masker, key);
  if (changesDigest(run.plan) !== saved.changes_digest) {
    throw new StalePlanError('the plan no longer matches what it would do now; plan again');
  }
  return run;
}
