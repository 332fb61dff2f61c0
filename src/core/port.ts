import type { DesiredWebhook, LiveWebhook, PatchOperation, WebhookPost } from './model.js';
import type { Problem } from './problem.js';

/**
 * What the engine needs from LaunchDarkly. The HTTP client implements it; nothing else in the
 * engine knows about HTTP.
 */
export interface WebhooksPort {
  /** Every webhook of the account, in one request (more only if the API ever paginates). */
  list(): Promise<LiveWebhook[]>;
  /**
   * Creates a webhook. `marker` is the owner tag the body carries: if the outcome of the POST is
   * unknown, the implementation looks for a webhook with this name and marker before trying again.
   */
  create(body: WebhookPost, marker: string): Promise<LiveWebhook>;
  update(id: string, operations: PatchOperation[]): Promise<LiveWebhook>;
  remove(id: string): Promise<RemoveOutcome>;
}

export interface RemoveOutcome {
  /** The webhook was not there to delete: someone deleted it since it was listed. */
  alreadyGone: boolean;
}

/** The configuration, read and validated: what the engine plans from. */
export interface ConfigReadResult {
  /** Every file that was read, as shown to the user. */
  files: string[];
  /** The desired webhooks, in file order. Complete only when `problems` holds no error. */
  webhooks: DesiredWebhook[];
  /** Every owner tag the documents declare (sorted). */
  ownerTags: string[];
  /** Errors and warnings, sorted by file, line and column. */
  problems: Problem[];
  /** When unset variables were allowed: their names, their values unknown. */
  unsetVariables?: string[];
}

/** Where the configuration comes from: files, in the CLI. */
export interface ConfigSource {
  read(): Promise<ConfigReadResult>;
}

/** Time, injected so that waits can be tested without waiting. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}
