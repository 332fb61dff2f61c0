/**
 * The domain types. "As written" (config/types.ts, derived from the schema) and "normalized"
 * (DesiredWebhook) are kept apart: only normalized data is diffed.
 */
import type { Statement } from './config/types.js';
import type { Mask, MaskEntry } from './mask.js';

export type { ConfigDocument, Effect, Statement, WebhookConfig } from './config/types.js';

export interface Origin {
  file: string;
  line: number;
  col: number;
  /** JSON Pointer of the webhook inside its document, e.g. `/webhooks/2`. */
  pointer: string;
  /** 0-based index of the document inside its file. */
  document: number;
}

/** A webhook as ldhooks wants it to exist: defaults merged, canonical, ready to diff. */
export interface DesiredWebhook {
  name: string;
  url: string;
  on: boolean;
  sign: boolean;
  /** Undefined when no secret is declared: with sign true, the live secret is kept. */
  secret?: string;
  /** Sorted, without repeats, the owner tag included. */
  tags: string[];
  /** Canonical: each statement's lists sorted, statements sorted, repeats removed. */
  statements: Statement[];
  /** The marker tag that says ldhooks manages this webhook. */
  ownerTag: string;
  adopt: boolean;
  /**
   * What must never be shown, and what to show instead: each value that came from the
   * environment with its template as written, and the secret. The masking module reads it.
   */
  sensitive: MaskEntry[];
  /** The secret as written when it came from the environment (`${HOOK_SECRET}`). */
  secretTemplate?: string;
  /** The statements as written (the webhook's own, or those of defaults), with where each is. */
  statementSources: StatementSource[];
  origin: Origin;
}

export interface StatementSource {
  statement: Statement;
  file: string;
  line: number;
  col: number;
  /** `webhooks[2].statements[0]` or `defaults.statements[1]`. */
  path: string;
}

/** A webhook as LaunchDarkly holds it, reduced to the fields ldhooks manages. */
export interface LiveWebhook {
  /** LaunchDarkly's `_id`: 24 hex characters. */
  id: string;
  name?: string;
  url: string;
  /** Returned in clear by the API; a webhook is signed when it has a non-empty secret. */
  secret?: string;
  on: boolean;
  tags: string[];
  statements: Statement[];
}

/** The body of `POST /api/v2/webhooks` (LaunchDarkly's `webhookPost`). */
export interface WebhookPost {
  url: string;
  sign: boolean;
  on: boolean;
  name?: string;
  secret?: string;
  statements?: Statement[];
  tags?: string[];
}

/** One RFC 6902 JSON Patch operation, as `PATCH /api/v2/webhooks/{id}` takes them. */
export interface PatchOperation {
  op: 'add' | 'remove' | 'replace' | 'test';
  path: string;
  value?: unknown;
}

/** What a plan does to one webhook. */
export type ChangeAction = 'create' | 'update' | 'delete' | 'no-op';

export type ChangeReason =
  | 'not in LaunchDarkly'
  | 'not in config'
  | 'differs from config'
  | 'adopt'
  | 'matches config'
  /** An identical copy of another managed webhook of the same name (see the planner). */
  | 'duplicate';

/** The fields a plan compares, in the order it shows and patches them. */
export type PlanField = 'name' | 'url' | 'on' | 'sign' | 'secret' | 'tags' | 'statements';

/** A webhook as a plan shows it: values masked one by one (see mask.ts), owner tags hidden. */
export interface WebhookView {
  name?: string;
  url: string;
  on: boolean;
  sign: boolean;
  /** `(sensitive)` when the webhook has a secret; never the value. */
  secret?: string;
  tags: string[];
  statements: Statement[];
}

export interface FieldChange {
  field: PlanField;
  /** As shown: masked where the mask says. `null` for "none". */
  before: unknown;
  after: unknown;
  beforeMask: Mask;
  afterMask: Mask;
}

/** One change as a plan shows it: plain, serializable, free of sensitive values. */
export interface Change {
  action: ChangeAction;
  /** The name as shown: its template when it came from the environment. */
  name: string;
  /** LaunchDarkly's `_id`, when the webhook exists. */
  id?: string;
  reason: ChangeReason;
  before?: WebhookView;
  beforeMask: Mask;
  after?: WebhookView;
  afterMask: Mask;
  /** For an update: the fields that change, in a fixed order. */
  fields: FieldChange[];
  /** For an update: the JSON Patch apply sends, as shown. */
  patch: PatchOperation[];
  patchMask: Mask;
  /**
   * For an adoption of a webhook another config owns (`--takeover-from`): that config's owner
   * tag(s) as shown, which the update replaces with ours.
   */
  takenOverFrom?: string;
}

/** What apply sends: the real values, never serialized or printed. */
export type Operation =
  | { action: 'create'; body: WebhookPost; desired: DesiredWebhook }
  | {
      action: 'update';
      id: string;
      patch: PatchOperation[];
      /**
       * Sign a webhook that has no secret, without declaring one: apply generates the secret and
       * adds it to the patch. Nothing stands in for it before then.
       */
      generateSecret: boolean;
    }
  | { action: 'delete'; id: string };

/**
 * One planned change: what the plan shows and, when something is to be written, what apply
 * sends. `key` and `operation` hold real values and are not enumerable, so that serializing a
 * plan can never carry them.
 */
export interface PlannedChange extends Change {
  /** The real name: `--target` matches it. */
  readonly key: string;
  readonly operation?: Operation;
}

export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  noop: number;
  unmanaged: number;
}

/** A live webhook the plan leaves alone: unmanaged, or owned by another config. */
export interface UnmanagedWebhook {
  id: string;
  /** As shown (masked); null when the webhook has no name. */
  name: string | null;
  /** The other config's owner tag (a `managed-by-` tag) as shown, or null when unmanaged. */
  owner: string | null;
}

/** The plan: every change, what it shows and what apply does, in one list. */
export interface Plan {
  changes: PlannedChange[];
  summary: PlanSummary;
  /** Owner tags whose webhooks this plan manages. */
  ownerTags: string[];
  /** Number of live webhooks carrying one of the owner tags. */
  managed: number;
  /** Set when --target limited the plan. */
  targets?: string[];
  /** Live webhooks this plan leaves alone (others' and unmanaged), sorted by name then id. */
  unmanaged: UnmanagedWebhook[];
}
