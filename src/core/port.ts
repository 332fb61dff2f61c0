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
  /** Applies a JSON Patch (RFC 6902) to the webhook with this id; returns it as it is after. */
  update(id: string, operations: PatchOperation[]): Promise<LiveWebhook>;
  /** Deletes the webhook with this id; one already gone is not an error (`alreadyGone`). */
  remove(id: string): Promise<RemoveOutcome>;
}

/** What {@link WebhooksPort.remove} found: a webhook already gone is not an error. */
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
  /** Reads and validates the configuration; problems are data, not exceptions. */
  read(): Promise<ConfigReadResult>;
}

/** Time, injected so that waits can be tested without waiting. */
export interface Clock {
  /** Milliseconds since the epoch, as `Date.now()`. */
  now(): number;
  /** Resolves after `ms` milliseconds of this clock's time. */
  sleep(ms: number): Promise<void>;
}
