/**
 * The domain types. "As written" (WebhookConfig) and "normalized" (DesiredWebhook) are kept
 * apart: only normalized data is diffed.
 */

export type Effect = 'allow' | 'deny';

/** A LaunchDarkly policy statement, as written and as sent. */
export interface Statement {
  effect: Effect;
  resources?: string[];
  notResources?: string[];
  actions?: string[];
  notActions?: string[];
}

/** One webhook as written in a config file (after `${NAME}` interpolation). */
export interface WebhookConfig {
  name: string;
  url: string;
  on?: boolean;
  secret?: string;
  sign?: boolean;
  tags?: string[];
  statements?: Statement[];
  adopt?: boolean;
}

/** One config document as written. */
export interface ConfigDocument {
  $schema?: string;
  version: 1;
  ownerTag?: string;
  defaults?: Pick<WebhookConfig, 'on' | 'sign' | 'tags' | 'statements'>;
  webhooks: WebhookConfig[];
}

/** Fields whose value may be sensitive (it came from the environment, or it is a secret). */
export type WebhookField = 'name' | 'url' | 'on' | 'secret' | 'sign' | 'tags' | 'statements';

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
  /** Fields never to print: `secret` always, others when they came from the environment. */
  sensitive: WebhookField[];
  /**
   * For fields that came from the environment: the value as written, with its `${NAME}`
   * references, so that a saved plan can resolve them again without the config files.
   */
  templates: Partial<Record<'name' | 'url' | 'secret' | 'tags' | 'statements', unknown>>;
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

/** The fields a plan compares, in the order it shows and patches them. */
export type PlanField = 'name' | 'url' | 'on' | 'sign' | 'secret' | 'tags' | 'statements';

/** Shown in place of a sensitive value: in plans, plan files, JSON and errors. */
export const SENSITIVE = '(sensitive)';

/** A webhook as a plan shows it: sensitive values masked, owner tags hidden. */
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
  /** Masked when sensitive. */
  before: unknown;
  after: unknown;
  sensitive: boolean;
}

export interface Change {
  action: ChangeAction;
  name: string;
  /** LaunchDarkly's `_id`, when the webhook exists. */
  id?: string;
  reason:
    | 'not in LaunchDarkly'
    | 'not in config'
    | 'differs from config'
    | 'adopt'
    | 'matches config';
  before?: WebhookView;
  after?: WebhookView;
  /** For an update: the fields that change, in a fixed order. */
  fields: FieldChange[];
  /** For an update: the JSON Patch operations, sensitive values masked. */
  patch: PatchOperation[];
  /** Fields of this webhook whose values are sensitive (masked everywhere above). */
  sensitive: PlanField[];
}

export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  noop: number;
  unmanaged: number;
}

/** The plan: plain, serializable, free of sensitive values. */
export interface Plan {
  changes: Change[];
  summary: PlanSummary;
  /** Owner tags whose webhooks this plan manages. */
  ownerTags: string[];
  /** Number of live webhooks carrying one of the owner tags. */
  managed: number;
  /** Set when --target limited the plan. */
  targets?: string[];
}

/** What apply sends: the real values, never serialized or printed. */
export type Operation =
  | { action: 'create'; name: string; body: WebhookPost; desired: DesiredWebhook }
  | {
      action: 'update';
      name: string;
      id: string;
      patch: PatchOperation[];
      /** The desired webhook asks LaunchDarkly to sign without a secret: one is generated at apply. */
      generateSecret: boolean;
    }
  | { action: 'delete'; name: string; id: string };
