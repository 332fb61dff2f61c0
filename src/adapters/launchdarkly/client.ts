import ky, { TimeoutError } from 'ky';
import type { LiveWebhook, PatchOperation, WebhookPost } from '../../core/model.js';
import type { WebhooksPort } from '../../core/port.js';
import { ApiError, remedyFor, scrub } from './errors.js';
import { backoffDelay, type Clock, RateLimitPacer, rateLimitDelay, systemClock } from './pacer.js';
import type { ApiSettings } from './settings.js';
import {
  API_VERSION,
  type ErrorRep,
  isWebhookRep,
  toLiveWebhook,
  WEBHOOKS_PATH,
  type WebhooksRep,
} from './wire.js';

export interface ClientOptions extends ApiSettings {
  /** Sent as User-Agent, e.g. `ldhooks/1.2.3`. Default `ldhooks`. */
  userAgent?: string;
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number;
  /** Retries after a network error or 5xx (GET, PATCH, DELETE; POST after a re-list). Default 4. */
  retries?: number;
  /** Retries after a 429. Default 8. */
  rateLimitRetries?: number;
  /** First backoff step; doubles each retry. Default 500 ms. */
  backoffMs?: number;
  clock?: Clock;
  random?: () => number;
  /** Told about waits and retries, for progress output. Never given the token. */
  log?: (line: string) => void;
}

interface Sent {
  response: Response;
  /** True when an earlier attempt of this request failed without a definite answer. */
  retried: boolean;
}

/** The outcome of a write is unknown: no response, or a 5xx that may have come after the commit. */
class UnknownOutcome extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

/**
 * LaunchDarkly's webhooks API over ky: retries with backoff, 429s honoured, pacing from the
 * rate-limit headers, and no blind repeat of a POST.
 */
export class LaunchDarklyClient implements WebhooksPort {
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly pacer: RateLimitPacer;
  private readonly http: typeof ky;

  constructor(private readonly options: ClientOptions) {
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.pacer = new RateLimitPacer(this.clock, this.random, (ms) =>
      options.log?.(`rate limit window nearly used up: waiting ${(ms / 1000).toFixed(1)} s`),
    );
    this.http = ky.create({
      timeout: options.timeoutMs ?? 30_000,
      retry: 0,
      throwHttpErrors: false,
      headers: {
        Authorization: options.token,
        'LD-API-Version': API_VERSION,
        'User-Agent': options.userAgent ?? 'ldhooks',
        Accept: 'application/json',
      },
    });
  }

  async list(): Promise<LiveWebhook[]> {
    const out: LiveWebhook[] = [];
    const seen = new Set<string>();
    let path: string | undefined = WEBHOOKS_PATH;
    while (path !== undefined) {
      seen.add(path);
      const { response } = await this.send('GET', path);
      const body = (await this.json(response, 'GET', path)) as Partial<WebhooksRep>;
      if (!body || !Array.isArray(body.items))
        throw this.unexpected('GET', path, 'the body has no "items" list');
      for (const item of body.items) {
        if (!isWebhookRep(item)) throw this.unexpected('GET', path, 'an item is not a webhook');
        out.push(toLiveWebhook(item));
      }
      const next: string | undefined = body._links?.next?.href;
      path = next ? this.samePath(next, path) : undefined;
      if (path !== undefined && seen.has(path))
        throw this.unexpected('GET', path, '_links.next repeats a page');
    }
    return out;
  }

  async get(id: string): Promise<LiveWebhook> {
    const path = `${WEBHOOKS_PATH}/${encodeURIComponent(id)}`;
    const { response } = await this.send('GET', path);
    return this.webhook(response, 'GET', path);
  }

  async create(body: WebhookPost, marker: string): Promise<LiveWebhook> {
    const path = WEBHOOKS_PATH;
    const retries = this.options.retries ?? 4;
    for (let attempt = 1; ; attempt++) {
      try {
        const { response } = await this.send('POST', path, body, { repeatable: false });
        return await this.webhook(response, 'POST', path);
      } catch (e) {
        if (!(e instanceof UnknownOutcome)) throw e;
        if (attempt > retries) throw e.error;
        this.options.log?.(
          `POST ${path}: outcome unknown (${e.error.status ?? 'no response'}); looking for the webhook before trying again`,
        );
        await this.clock.sleep(backoffDelay(attempt, this.random, this.options.backoffMs));
        const found = (await this.list()).find((w) => isTheCreated(w, body, marker));
        if (found) return found;
      }
    }
  }

  async update(id: string, operations: PatchOperation[]): Promise<LiveWebhook> {
    const path = `${WEBHOOKS_PATH}/${encodeURIComponent(id)}`;
    const { response } = await this.send('PATCH', path, operations);
    return this.webhook(response, 'PATCH', path);
  }

  async remove(id: string): Promise<void> {
    const path = `${WEBHOOKS_PATH}/${encodeURIComponent(id)}`;
    const { response, retried } = await this.send('DELETE', path, undefined, {
      allow404AfterRetry: true,
    });
    if (response.status === 404 && retried) return; // an earlier attempt deleted it
    await response.body?.cancel();
  }

  /**
   * Sends one request, retrying what is safe to retry. Resolves with a 2xx response (or a 404
   * after a retried DELETE); throws ApiError otherwise, or UnknownOutcome for a POST.
   */
  private async send(
    method: string,
    path: string,
    json?: unknown,
    { repeatable = true, allow404AfterRetry = false } = {},
  ): Promise<Sent> {
    const retries = this.options.retries ?? 4;
    const rateLimitRetries = this.options.rateLimitRetries ?? 8;
    let failures = 0;
    let rateLimited = 0;
    for (;;) {
      await this.pacer.acquire();
      let response: Response | undefined;
      let failure: unknown;
      try {
        response = await this.http(`${this.options.baseUri}${path}`, {
          method,
          ...(json !== undefined ? { json } : {}),
        });
      } catch (e) {
        failure = e;
      } finally {
        this.pacer.release(response?.headers);
      }

      if (response && response.status < 300) return { response, retried: failures > 0 };
      if (response && response.status === 404 && allow404AfterRetry && failures > 0) {
        return { response, retried: true };
      }
      if (response?.status === 429) {
        const error = await this.error(method, path, response);
        if (++rateLimited > rateLimitRetries) throw error;
        const wait = rateLimitDelay(response.headers, this.clock.now(), this.random);
        this.options.log?.(
          `${method} ${path}: rate limited (429); retrying in ${(wait / 1000).toFixed(1)} s`,
        );
        await this.clock.sleep(wait);
        continue;
      }
      const transient = response === undefined || response.status >= 500;
      const error = response
        ? await this.error(method, path, response)
        : this.networkError(method, path, failure);
      if (!transient) throw error;
      if (!repeatable) throw new UnknownOutcome(error);
      if (++failures > retries) throw error;
      const wait = backoffDelay(failures, this.random, this.options.backoffMs);
      this.options.log?.(
        `${method} ${path}: ${response ? response.status : 'no response'}; retry ${failures} of ${retries} in ${(wait / 1000).toFixed(1)} s`,
      );
      await this.clock.sleep(wait);
    }
  }

  private async webhook(response: Response, method: string, path: string): Promise<LiveWebhook> {
    const body = await this.json(response, method, path);
    if (!isWebhookRep(body)) throw this.unexpected(method, path, 'the body is not a webhook');
    return toLiveWebhook(body);
  }

  private async json(response: Response, method: string, path: string): Promise<unknown> {
    const text = await response.text();
    try {
      return JSON.parse(text);
    } catch {
      throw this.unexpected(method, path, 'the body is not JSON');
    }
  }

  private async error(method: string, path: string, response: Response): Promise<ApiError> {
    const text = await response.text().catch(() => '');
    let body: Partial<ErrorRep> = {};
    try {
      body = JSON.parse(text) as Partial<ErrorRep>;
    } catch {
      body = { message: text.slice(0, 200).trim() || undefined } as Partial<ErrorRep>;
    }
    return new ApiError({
      method,
      path,
      status: response.status,
      code: typeof body.code === 'string' ? body.code : undefined,
      ldMessage:
        typeof body.message === 'string' ? scrub(body.message, [this.options.token]) : undefined,
      requestId:
        typeof body.id === 'string' ? body.id : (response.headers.get('x-request-id') ?? undefined),
      remedy: remedyFor(response.status, method),
    });
  }

  private networkError(method: string, path: string, failure: unknown): ApiError {
    const detail =
      failure instanceof TimeoutError
        ? `no answer within ${((this.options.timeoutMs ?? 30_000) / 1000).toFixed(0)} s`
        : describeNetworkFailure(failure);
    return new ApiError({
      method,
      path,
      detail: scrub(detail, [this.options.token]),
      remedy: remedyFor(undefined),
    });
  }

  private unexpected(method: string, path: string, detail: string): ApiError {
    return new ApiError({
      method,
      path,
      detail: `unexpected response: ${detail}`,
      remedy: 'check that the base URI points at the LaunchDarkly API',
    });
  }

  /** `_links.next` may be absolute or a path; it must stay on the same host. */
  private samePath(href: string, current: string): string {
    const base = new URL(this.options.baseUri);
    const url = new URL(href, base);
    if (url.origin !== base.origin)
      throw this.unexpected('GET', current, `_links.next leads to another host (${url.origin})`);
    const prefix = base.pathname.replace(/\/+$/, '');
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
    return `${path}${url.search}`;
  }
}

/**
 * After a POST of unknown outcome: the webhook it would have created. Before creating, the plan
 * made sure no live webhook had this name, so one with this name and the marker is ours; so is
 * one with this name and URL and no tags, in case LaunchDarkly dropped the tags of the POST.
 */
function isTheCreated(w: LiveWebhook, body: WebhookPost, marker: string): boolean {
  if (w.name !== body.name) return false;
  return w.tags.includes(marker) || (w.tags.length === 0 && w.url === body.url);
}

function describeNetworkFailure(failure: unknown): string {
  if (!(failure instanceof Error)) return String(failure);
  const cause = (failure as Error & { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return failure.message;
}
