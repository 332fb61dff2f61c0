import type { LiveWebhook, PatchOperation, WebhookPost } from './model.js';

/**
 * What the engine needs from LaunchDarkly. The HTTP client implements it; nothing else in the
 * engine knows about HTTP.
 */
export interface WebhooksPort {
  /** Every webhook of the account, in one request (more only if the API ever paginates). */
  list(): Promise<LiveWebhook[]>;
  get(id: string): Promise<LiveWebhook>;
  /**
   * Creates a webhook. `marker` is the owner tag the body carries: if the outcome of the POST is
   * unknown, the implementation looks for a webhook with this name and marker before trying again.
   */
  create(body: WebhookPost, marker: string): Promise<LiveWebhook>;
  update(id: string, operations: PatchOperation[]): Promise<LiveWebhook>;
  remove(id: string): Promise<void>;
}
