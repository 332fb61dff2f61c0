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
  origin: Origin;
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
