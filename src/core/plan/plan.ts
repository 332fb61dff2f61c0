import { OWNER_TAG_PREFIX } from '../config/schema.js';
import { escapeControl } from '../escape.js';
import { type MaskEntry, Masker, type Shown } from '../mask.js';
import type {
  Change,
  ChangeReason,
  DesiredWebhook,
  LiveWebhook,
  Operation,
  Plan,
  PlannedChange,
  UnmanagedWebhook,
  WebhookPost,
  WebhookView,
} from '../model.js';
import { pointerToPath } from '../pointer.js';
import type { Problem } from '../problem.js';
import { sortedUnique } from '../sorted-unique.js';
import { compareWebhook } from './compare.js';
import { splitCopies } from './duplicates.js';
import { applyTargets, type UnknownTarget } from './targets.js';
import { desiredView, fieldChanges, liveView, patchView } from './view.js';

/** What {@link computePlan} plans from: the desired and the live webhooks, and the options. */
export interface PlanInput {
  desired: readonly DesiredWebhook[];
  live: readonly LiveWebhook[];
  /** Owner tags of the config: live webhooks carrying one of them are managed. */
  ownerTags: readonly string[];
  /** --adopt: adopt every unmanaged live webhook whose name the config declares. */
  adopt?: boolean;
  /**
   * --takeover-from: owner tags of other configs whose webhooks may be adopted (their tag is
   * replaced by ours). Without it, adopting a webhook another config owns is refused.
   */
  takeoverFrom?: readonly string[];
  /** --target: limit the plan to these names (real names, or names as the plan shows them). */
  targets?: readonly string[];
  /** More values never to show, beyond those of the desired webhooks (environment values). */
  sensitive?: readonly MaskEntry[];
}

/** What {@link computePlan} returns: the plan, or the problems that forbid applying it. */
export interface PlanResult {
  plan: Plan;
  /** Ownership errors (duplicates, adoption needed): the plan must not be applied. */
  problems: Problem[];
  /** --target names that match no declared or managed webhook: the plan must not be applied. */
  unknownTargets: UnknownTarget[];
  /** Masks every sensitive value the plan knows of: for progress lines and error text. */
  masker: Masker;
}

/** A live webhook is managed when it carries one of the owner tags; ldhooks touches no other. */
export function isManagedBy(l: LiveWebhook, ownerTags: readonly string[]): boolean {
  return l.tags.some((t) => ownerTags.includes(t));
}

/**
 * The owner tags of other configs that a live webhook carries: its `managed-by-` tags that are
 * not ours, sorted. Empty for ours (when it carries only ours) and for unmanaged webhooks.
 */
export function otherOwners(l: LiveWebhook, ownerTags: readonly string[]): string[] {
  return sortedUnique(
    l.tags.filter((t) => t.startsWith(OWNER_TAG_PREFIX) && !ownerTags.includes(t)),
  );
}

/** The POST body for a desired webhook. */
export function createBody(d: DesiredWebhook): WebhookPost {
  return {
    name: d.name,
    url: d.url,
    sign: d.sign,
    on: d.on,
    ...(d.sign && d.secret !== undefined ? { secret: d.secret } : {}),
    tags: d.tags,
    ...(d.statements.length > 0 ? { statements: d.statements } : {}),
  };
}

/**
 * Whether applying the plan would write anything (a create, an update or a delete): what
 * `plan --detailed-exitcode` reports with exit code 2.
 */
export function hasChanges(plan: Plan): boolean {
  return plan.summary.create + plan.summary.update + plan.summary.delete > 0;
}

/** The masker of a plan: every sensitive value the config and the caller know of. */
function planMasker(desired: readonly DesiredWebhook[], extra: readonly MaskEntry[] = []): Masker {
  const entries: MaskEntry[] = [];
  for (const d of desired) if (d.sensitive.length > 0) entries.push(...d.sensitive);
  return new Masker([...entries, ...extra]);
}

/**
 * A planned change: the view, with the real name and operation kept out of serialization. The
 * view becomes the change: pass one made for it.
 */
export function plannedChange(view: Change, key: string, operation?: Operation): PlannedChange {
  const change = view as PlannedChange;
  Object.defineProperty(change, 'key', { value: key, enumerable: false });
  if (operation)
    Object.defineProperty(change, 'operation', { value: operation, enumerable: false });
  return change;
}

interface Context {
  ownerTags: string[];
  takeoverFrom: readonly string[];
  masker: Masker;
  /**
   * A problem. Its message and remedy are ldhooks' own words and are not masked: each value in
   * them (a name, an id, an owner tag) is masked where it is written in, with {@link shown}.
   */
  problem(d: DesiredWebhook | undefined, code: string, message: string, remedy: string): void;
  /** A value as a problem quotes it: masked as plans mask values (see Masker.valueText). */
  shown(value: string): string;
}

const byName = <T extends { name?: string }>(list: readonly T[]) => {
  const map = new Map<string, T[]>();
  for (const item of list) {
    const key = item.name ?? '';
    const found = map.get(key);
    if (found) found.push(item);
    else map.set(key, [item]);
  }
  return map;
};

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const ORDER = { delete: 0, update: 1, create: 2, 'no-op': 3 } as const;

/**
 * The pure planner: desired webhooks and one listing of the live account in, a deterministic
 * plan out. Only webhooks that carry an owner tag are managed; the rest are counted, never
 * touched. Each change carries its view and its operation: filtering and sorting act on one list.
 */
export function computePlan(input: PlanInput): PlanResult {
  const ownerTags = sortedUnique(input.ownerTags);
  const problems: Problem[] = [];
  const ctx: Context = {
    ownerTags,
    takeoverFrom: input.takeoverFrom ?? [],
    masker: planMasker(input.desired, input.sensitive),
    problem: (d, code, message, remedy) =>
      problems.push({
        severity: 'error',
        code,
        file: d?.origin.file ?? 'LaunchDarkly',
        line: d?.origin.line ?? 0,
        col: d?.origin.col ?? 0,
        path: d ? pointerToPath(d.origin.pointer) : '',
        // Names and ids come from LaunchDarkly too: a line break in one must not forge a line.
        message: escapeControl(message),
        // A remedy may name another config's owner tag, which comes from LaunchDarkly too.
        remedy: escapeControl(remedy),
      }),
    shown: (value) => ctx.masker.valueText(value),
  };
  const { managed, unmanaged } = partitionByOwner(input.live, ownerTags);
  const { kept, copies } = resolveDuplicates(managed, input.desired, ctx);
  const managedByName = byName(kept);
  const unmanagedByName = byName(unmanaged);

  const changes: PlannedChange[] = [];
  const adopted = new Set<LiveWebhook>();
  for (const d of input.desired) {
    const live = managedByName.get(d.name)?.[0];
    if (live) {
      changes.push(planAgainstLive(d, live, 'differs from config', ctx));
      continue;
    }
    const foreign = unmanagedByName.get(d.name) ?? [];
    if (foreign.length === 0) {
      changes.push(planCreate(d, ctx));
      continue;
    }
    const adoptable = checkAdoption(d, foreign, input.adopt ?? false, ctx);
    if (adoptable) {
      changes.push(planAgainstLive(d, adoptable, 'adopt', ctx));
      adopted.add(adoptable);
    }
  }
  changes.push(...planDeletions(kept, input.desired, ctx));
  changes.push(...copies.map((l) => planDelete(l, 'duplicate', ctx)));

  const known = [...input.desired.map((d) => d.name), ...managed.map((l) => l.name ?? '')];
  const targeted = applyTargets(changes, input.targets, known, ctx.masker);
  targeted.changes.sort(
    (a, b) =>
      compareText(a.name, b.name) ||
      compareText(a.key, b.key) ||
      ORDER[a.action] - ORDER[b.action] ||
      compareText(a.id ?? '', b.id ?? ''),
  );
  const count = { create: 0, update: 0, delete: 0, 'no-op': 0 };
  for (const c of targeted.changes) count[c.action] += 1;
  return {
    plan: {
      changes: targeted.changes,
      summary: {
        create: count.create,
        update: count.update,
        delete: count.delete,
        noop: count['no-op'],
        unmanaged: unmanaged.length - adopted.size,
      },
      ownerTags: ownerTags.map((t) => ctx.masker.string(t)[0]),
      managed: managed.length,
      ...(targeted.shown ? { targets: targeted.shown } : {}),
      unmanaged: unmanagedList(
        unmanaged.filter((l) => !adopted.has(l)),
        ctx,
      ),
    },
    problems,
    unknownTargets: targeted.unknown,
    masker: ctx.masker,
  };
}

function partitionByOwner(live: readonly LiveWebhook[], ownerTags: readonly string[]) {
  const managed: LiveWebhook[] = [];
  const unmanaged: LiveWebhook[] = [];
  for (const l of live) (isManagedBy(l, ownerTags) ? managed : unmanaged).push(l);
  return { managed, unmanaged };
}

/** The webhooks a plan leaves alone, as shown: names and owners masked, by name then id. */
function unmanagedList(unmanaged: readonly LiveWebhook[], ctx: Context): UnmanagedWebhook[] {
  return unmanaged
    .map((l) => {
      const owner = otherOwners(l, ctx.ownerTags).map((t) => ctx.shown(t));
      return {
        id: l.id,
        name: l.name === undefined ? null : ctx.shown(l.name),
        owner: owner.length > 0 ? owner.join(', ') : null,
      };
    })
    .sort((a, b) => compareText(a.name ?? '', b.name ?? '') || compareText(a.id, b.id));
}

/** Managed webhooks sharing a name: identical copies are resolved (see splitCopies), others are a problem. */
function resolveDuplicates(
  managed: readonly LiveWebhook[],
  desired: readonly DesiredWebhook[],
  ctx: Context,
): { kept: LiveWebhook[]; copies: LiveWebhook[] } {
  const copies = new Set<LiveWebhook>();
  for (const [name, list] of byName(managed)) {
    // Unnamed webhooks match no declared name (names are never empty): each is only deleted.
    if (list.length < 2 || name === '') continue;
    const split = splitCopies(
      list,
      desired.find((d) => d.name === name),
    );
    if (split) {
      for (const l of split.copies) copies.add(l);
      continue;
    }
    ctx.problem(
      desired.find((d) => d.name === name),
      'plan.duplicate-live',
      `${list.length} managed webhooks in LaunchDarkly are named "${ctx.shown(name)}" and differ: ${list.map((l) => ctx.shown(l.id)).join(', ')}`,
      'delete all but one of them in LaunchDarkly (or remove the owner tag from the extra ones), then plan again',
    );
  }
  return { kept: managed.filter((l) => !copies.has(l)), copies: [...copies] };
}

/**
 * The one unmanaged webhook a declared webhook may adopt, or a problem saying why not. A webhook
 * another config owns (another `managed-by-` tag) is adopted only when --takeover-from names
 * every owner it carries; naming them is the adoption.
 */
function checkAdoption(
  d: DesiredWebhook,
  foreign: readonly LiveWebhook[],
  adoptAll: boolean,
  ctx: Context,
): LiveWebhook | undefined {
  const ids = foreign.map((l) => ctx.shown(l.id)).join(', ');
  const name = ctx.shown(d.name);
  const owners = sortedUnique(foreign.flatMap((l) => otherOwners(l, ctx.ownerTags)));
  const ownersText = owners.map((o) => `"${ctx.shown(o)}"`).join(', ');
  const takeover = owners.length > 0 && owners.every((o) => ctx.takeoverFrom.includes(o));
  if (!(adoptAll || d.adopt || takeover)) {
    if (owners.length > 0) {
      ctx.problem(
        d,
        'plan.owned-by-other',
        `a webhook named "${name}" already exists in LaunchDarkly (${ids}) and is owned by another config: ${ownersText}`,
        `rename this webhook; or, to take it over from that config, pass ${owners.map((o) => `--takeover-from ${ctx.shown(o)}`).join(' ')} (and remove it from that config)`,
      );
      return undefined;
    }
    // Untagged, at the declared URL: likely one another apply is creating right now against a
    // server that drops tags on create, which it tags a moment later.
    const inFlight = foreign.every((l) => l.tags.length === 0 && l.url === d.url);
    ctx.problem(
      d,
      'plan.adopt-needed',
      `a webhook named "${name}" already exists in LaunchDarkly (${ids}) but ldhooks does not manage it${inFlight ? '; it has no tags at all and the declared URL, as a webhook another apply is creating right now would' : ''}`,
      inFlight
        ? 'if another apply is running, wait for it and plan again; otherwise, to take it over, set adopt: true on this webhook or pass --adopt'
        : 'to take it over, set adopt: true on this webhook or pass --adopt; otherwise rename this webhook',
    );
    return undefined;
  }
  if (foreign.length > 1) {
    ctx.problem(
      d,
      'plan.adopt-ambiguous',
      `cannot adopt "${name}": ${foreign.length} unmanaged webhooks have this name (${ids})`,
      'delete or rename all but one of them in LaunchDarkly, then plan again',
    );
    return undefined;
  }
  const refused = owners.filter((o) => !ctx.takeoverFrom.includes(o));
  if (refused.length > 0) {
    ctx.problem(
      d,
      'plan.owned-by-other',
      `cannot adopt "${name}" (${ids}): it is owned by another config, ${refused.map((o) => `"${ctx.shown(o)}"`).join(', ')}; adopting it would take it from that config, which could then no longer plan`,
      `to take it over, pass ${refused.map((o) => `--takeover-from ${ctx.shown(o)}`).join(' ')} (and remove it from that config); otherwise rename this webhook`,
    );
    return undefined;
  }
  return foreign[0];
}

const noFields = (): Pick<Change, 'fields' | 'patch' | 'patchMask'> => ({
  fields: [],
  patch: [],
  patchMask: false,
});

/** An update or adoption of a live webhook, or a no-op when nothing differs. */
function planAgainstLive(
  d: DesiredWebhook,
  live: LiveWebhook,
  reason: Extract<ChangeReason, 'differs from config' | 'adopt'>,
  ctx: Context,
): PlannedChange {
  const diff = compareWebhook(d, live);
  const masker = ctx.masker.prefer(d.sensitive);
  const after = desiredView(d, masker, diff.generateSecret);
  const name = after.value.name as string;
  if (diff.fields.length === 0 && reason !== 'adopt') {
    // Equal after normalization: the live state is the desired state.
    // Written out field by field, in the order the spreads of the other changes give: a plan
    // holds thousands of these.
    return plannedChange(
      {
        action: 'no-op',
        reason: 'matches config',
        name,
        id: live.id,
        before: after.value,
        beforeMask: after.mask,
        after: after.value,
        afterMask: after.mask,
        fields: [],
        patch: [],
        patchMask: false,
      },
      d.name,
    );
  }
  const before = liveView(live, [d.ownerTag], masker, d);
  const patch = patchView(diff.patch, diff.generateSecret, masker);
  return plannedChange(
    {
      action: 'update',
      reason,
      name,
      id: live.id,
      ...shownPair(before, after),
      fields: fieldChanges(diff, before, after),
      patch: patch.value,
      patchMask: patch.mask,
      ...(reason === 'adopt' ? takenOver(live, ctx) : {}),
    },
    d.name,
    { action: 'update', id: live.id, patch: diff.patch, generateSecret: diff.generateSecret },
  );
}

/** The owners an adoption takes a webhook from, as shown (none for an unmanaged webhook). */
function takenOver(live: LiveWebhook, ctx: Context): Pick<Change, 'takenOverFrom'> {
  const owners = otherOwners(live, ctx.ownerTags);
  return owners.length > 0 ? { takenOverFrom: owners.map((o) => ctx.shown(o)).join(', ') } : {};
}

function planCreate(d: DesiredWebhook, ctx: Context): PlannedChange {
  // sign: true without a secret: LaunchDarkly makes one.
  const after = desiredView(d, ctx.masker.prefer(d.sensitive), d.secret === undefined);
  return plannedChange(
    {
      action: 'create',
      reason: 'not in LaunchDarkly',
      name: after.value.name as string,
      beforeMask: false,
      after: after.value,
      afterMask: after.mask,
      ...noFields(),
    },
    d.name,
    { action: 'create', body: createBody(d), desired: d },
  );
}

function planDeletions(
  managed: readonly LiveWebhook[],
  desired: readonly DesiredWebhook[],
  ctx: Context,
): PlannedChange[] {
  const declared = new Set(desired.map((d) => d.name));
  return managed
    .filter((l) => l.name === undefined || !declared.has(l.name))
    .map((l) => planDelete(l, 'not in config', ctx));
}

function planDelete(
  l: LiveWebhook,
  reason: Extract<ChangeReason, 'not in config' | 'duplicate'>,
  ctx: Context,
): PlannedChange {
  const before = liveView(l, ctx.ownerTags, ctx.masker);
  return plannedChange(
    {
      action: 'delete',
      reason,
      name: before.value.name ?? '(unnamed)',
      id: l.id,
      before: before.value,
      beforeMask: before.mask,
      afterMask: false,
      ...noFields(),
    },
    l.name ?? '',
    { action: 'delete', id: l.id },
  );
}

function shownPair(before: Shown<WebhookView>, after: Shown<WebhookView>) {
  return {
    before: before.value,
    beforeMask: before.mask,
    after: after.value,
    afterMask: after.mask,
  };
}
