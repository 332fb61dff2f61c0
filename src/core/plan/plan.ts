import {
  type Change,
  type DesiredWebhook,
  type LiveWebhook,
  type Operation,
  type Plan,
  type PlanField,
  SENSITIVE,
  type WebhookPost,
} from '../model.js';
import { pointerToPath } from '../pointer.js';
import type { Problem } from '../problem.js';
import { sortedUnique } from '../sorted-unique.js';
import { compareWebhook, desiredView, liveView, sensitiveFields } from './compare.js';

export interface PlanInput {
  desired: readonly DesiredWebhook[];
  live: readonly LiveWebhook[];
  /** Owner tags of the config: live webhooks carrying one of them are managed. */
  ownerTags: readonly string[];
  /** --adopt: adopt every unmanaged live webhook whose name the config declares. */
  adopt?: boolean;
  /** --target: limit the plan to these names. */
  targets?: readonly string[];
}

export interface PlanResult {
  plan: Plan;
  /** What apply sends, with the real values. Never serialize or print it. */
  operations: Operation[];
  /** Ownership errors (duplicates, adoption needed, unknown targets): the plan must not be applied. */
  problems: Problem[];
}

const byName = <T extends { name?: string }>(list: readonly T[]) => {
  const map = new Map<string, T[]>();
  for (const item of list) {
    const key = item.name ?? '';
    map.set(key, [...(map.get(key) ?? []), item]);
  }
  return map;
};

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The pure planner: desired webhooks and one listing of the live account in, a deterministic
 * plan out. Only webhooks that carry an owner tag are managed; the rest are counted, never touched.
 */
export function computePlan(input: PlanInput): PlanResult {
  const ownerTags = sortedUnique(input.ownerTags);
  const isManaged = (l: LiveWebhook) => isManagedBy(l, ownerTags);
  const managed = input.live.filter(isManaged);
  const unmanaged = input.live.filter((l) => !isManaged(l));
  const managedByName = byName(managed);
  const unmanagedByName = byName(unmanaged);
  const problems: Problem[] = [];
  const changes: Change[] = [];
  const operations: Operation[] = [];
  const problem = (d: DesiredWebhook | undefined, code: string, message: string, remedy: string) =>
    problems.push({
      severity: 'error',
      code,
      file: d?.origin.file ?? 'LaunchDarkly',
      line: d?.origin.line ?? 0,
      col: d?.origin.col ?? 0,
      path: d ? pointerToPath(d.origin.pointer) : '',
      message,
      remedy,
    });

  for (const [name, list] of managedByName) {
    if (list.length > 1) {
      problem(
        input.desired.find((d) => d.name === name),
        'plan.duplicate-live',
        `${list.length} managed webhooks in LaunchDarkly are named "${name}": ${list.map((l) => l.id).join(', ')}`,
        'delete all but one of them in LaunchDarkly (or remove the owner tag from the extra ones), then plan again',
      );
    }
  }

  for (const d of input.desired) {
    const live = managedByName.get(d.name)?.[0];
    const sensitive = sensitiveFields(d);
    const shown = sensitive.includes('name') ? SENSITIVE : d.name;
    if (live) {
      const diff = compareWebhook(d, live, ownerTags);
      const after = desiredView(d, ownerTags);
      const base = { name: shown, id: live.id, after, sensitive };
      if (diff.fields.length === 0) {
        // Equal after normalization: the live state is the desired state.
        changes.push({
          ...base,
          action: 'no-op',
          reason: 'matches config',
          before: after,
          fields: [],
          patch: [],
        });
      } else {
        changes.push({
          ...base,
          action: 'update',
          reason: 'differs from config',
          before: liveView(live, ownerTags, d),
          fields: diff.fields,
          patch: diff.maskedPatch,
        });
        operations.push({
          action: 'update',
          name: d.name,
          id: live.id,
          patch: diff.patch,
          generateSecret: diff.generateSecret,
        });
      }
      continue;
    }
    const foreign = unmanagedByName.get(d.name) ?? [];
    if (foreign.length > 0) {
      if (!(input.adopt || d.adopt)) {
        problem(
          d,
          'plan.adopt-needed',
          `a webhook named "${shown}" already exists in LaunchDarkly (${foreign.map((l) => l.id).join(', ')}) but ldhooks does not manage it`,
          'to take it over, set adopt: true on this webhook or pass --adopt; otherwise rename this webhook',
        );
        continue;
      }
      if (foreign.length > 1) {
        problem(
          d,
          'plan.adopt-ambiguous',
          `cannot adopt "${shown}": ${foreign.length} unmanaged webhooks have this name (${foreign.map((l) => l.id).join(', ')})`,
          'delete or rename all but one of them in LaunchDarkly, then plan again',
        );
        continue;
      }
      const live2 = foreign[0] as LiveWebhook;
      const diff = compareWebhook(d, live2, ownerTags);
      changes.push({
        action: 'update',
        reason: 'adopt',
        name: shown,
        id: live2.id,
        before: liveView(live2, ownerTags, d),
        after: desiredView(d, ownerTags),
        fields: diff.fields,
        patch: diff.maskedPatch,
        sensitive,
      });
      operations.push({
        action: 'update',
        name: d.name,
        id: live2.id,
        patch: diff.patch,
        generateSecret: diff.generateSecret,
      });
      continue;
    }
    changes.push({
      action: 'create',
      reason: 'not in LaunchDarkly',
      name: shown,
      after: desiredView(d, ownerTags),
      fields: [],
      patch: [],
      sensitive,
    });
    operations.push({ action: 'create', name: d.name, body: createBody(d), desired: d });
  }

  const declared = new Set(input.desired.map((d) => d.name));
  for (const l of managed) {
    if (l.name !== undefined && declared.has(l.name)) continue;
    changes.push({
      action: 'delete',
      reason: 'not in config',
      name: l.name ?? '(unnamed)',
      id: l.id,
      before: liveView(l, ownerTags),
      fields: [],
      patch: [],
      sensitive: ['secret'] as PlanField[],
    });
    operations.push({ action: 'delete', name: l.name ?? '(unnamed)', id: l.id });
  }

  let targets: string[] | undefined;
  let kept = changes;
  let keptOps = operations;
  if (input.targets && input.targets.length > 0) {
    targets = sortedUnique(input.targets);
    const known = new Set([...declared, ...managed.map((l) => l.name ?? '')]);
    for (const t of targets) {
      if (!known.has(t)) {
        problem(
          undefined,
          'plan.unknown-target',
          `--target ${t} names no declared or managed webhook`,
          'check the name; --target takes webhook names',
        );
      }
    }
    kept = changes.filter((c) => targets?.includes(c.name));
    keptOps = operations.filter((o) => targets?.includes(o.name));
  }

  const order = { delete: 0, update: 1, create: 2, 'no-op': 3 } as const;
  kept.sort(
    (a, b) =>
      compareText(a.name, b.name) ||
      order[a.action] - order[b.action] ||
      compareText(a.id ?? '', b.id ?? ''),
  );
  keptOps.sort((a, b) => order[a.action] - order[b.action] || compareText(a.name, b.name));
  const count = (a: Change['action']) => kept.filter((c) => c.action === a).length;
  const adopted = changes.filter((c) => c.reason === 'adopt').length;
  return {
    plan: {
      changes: kept,
      summary: {
        create: count('create'),
        update: count('update'),
        delete: count('delete'),
        noop: count('no-op'),
        unmanaged: unmanaged.length - adopted,
      },
      ownerTags,
      managed: managed.length,
      ...(targets ? { targets } : {}),
    },
    operations: keptOps,
    problems,
  };
}

/** A live webhook is managed when it carries one of the owner tags; ldhooks touches no other. */
export function isManagedBy(l: LiveWebhook, ownerTags: readonly string[]): boolean {
  return l.tags.some((t) => ownerTags.includes(t));
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

export function hasChanges(plan: Plan): boolean {
  return plan.summary.create + plan.summary.update + plan.summary.delete > 0;
}
