import ky from 'ky';
import { type Masker, SENSITIVE } from '../../core/mask.js';
import type { LiveWebhook, PatchOperation, WebhookPost } from '../../core/model.js';
import type { RemoveOutcome, WebhooksPort } from '../../core/port.js';
import { describeNetworkFailure } from '../network-failure.js';
import { ApiError, remedyFor } from './errors.js';
import {
  backoffDelay,
  type Clock,
  RateLimitPacer,
  RateLimitStall,
  rateLimitDelay,
  routeOf,
  systemClock,
} from './pacer.js';
import { Redactor } from './redact.js';
import { type ApiSettings, SettingsError } from './settings.js';
import { API_VERSION, OddWebhookError, shownId, toLiveWebhook, WEBHOOKS_PATH } from './wire.js';

/**
 * How a {@link LaunchDarklyClient} reaches LaunchDarkly (`baseUri`, `token`: see
 * `resolveApiSettings`) and how patiently: timeouts, retries, pacing. Only the first two are
 * required.
 */
export interface ClientOptions extends ApiSettings {
  /** Sent as User-Agent, e.g. `ldhooks/1.2.3`. Default `ldhooks`. */
  userAgent?: string;
  /** Per-request timeout, from sending to the last byte of the answer. Default 30 s. */
  timeoutMs?: number;
  /** Retries after a network error or 5xx (GET, PATCH, DELETE; POST after a re-list). Default 4. */
  retries?: number;
  /** Retries after a 429. Default 8. */
  rateLimitRetries?: number;
  /**
   * The most this client waits for rate limits in all (pacing, used-up windows, 429s) before it
   * gives up with an ApiError: a server that keeps saying "later" never holds a run forever.
   * Default 10 minutes. A server whose windows open empty 3 times in a row (right after the
   * reset it promised) is given up on sooner.
   */
  maxRateLimitWaitMs?: number;
  /** First backoff step; doubles each retry. Default 500 ms. */
  backoffMs?: number;
  /** Pages of a paginated list followed before giving up on a server that never ends. Default 1000. */
  maxPages?: number;
  /** Masks what a server says: values from the environment, secrets. More can come by `redactWith`. */
  masker?: Masker;
  clock?: Clock;
  random?: () => number;
  /** Told about waits and retries, for progress output. Never given the token. */
  log?: (line: string) => void;
}

/** A successful answer, read whole within the request's timeout. */
interface Answer {
  status: number;
  text: string;
  /** True when an earlier attempt of this request failed without a definite answer. */
  retried: boolean;
}

/** The outcome of a write is unknown: no response, or a 5xx that may have come after the commit. */
class UnknownOutcome extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
  }
}

/** The request's own deadline passed: told apart from other aborts and network failures. */
class Deadline extends Error {}

/** An answer is read whole before it is parsed; past this size a server is not to be trusted. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** Of an error answer, only the start is shown: what is read beyond it is never printed. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;

/** A token must be sendable as a header, and checking it must never print it. */
const TOKEN_SHAPE = /^[\x21-\x7e]+$/;

/**
 * LaunchDarkly's webhooks API over ky: retries with backoff, 429s honoured, pacing from the
 * rate-limit headers, and no blind repeat of a POST. Nothing a server says reaches the user
 * before the redactor has replaced every sensitive value in it; redirects are never followed.
 */
export class LaunchDarklyClient implements WebhooksPort {
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #pacer: RateLimitPacer;
  readonly #http: typeof ky;
  readonly #redactor: Redactor;

  readonly #options: ClientOptions;

  constructor(options: ClientOptions) {
    this.#options = options;
    if (!TOKEN_SHAPE.test(options.token)) {
      throw new SettingsError(
        'the access token holds a character that cannot be sent in an HTTP header (a line break, another control character, a space or a non-ASCII character)',
        'copy the token again, without anything around it, into LD_ACCESS_TOKEN (or LAUNCHDARKLY_ACCESS_TOKEN)',
      );
    }
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#redactor = new Redactor(options.token);
    if (options.masker) this.#redactor.use(options.masker);
    this.#pacer = new RateLimitPacer(
      this.#clock,
      this.#random,
      (ms, capped) =>
        options.log?.(
          capped
            ? `rate limit window used up: waiting ${(ms / 1000).toFixed(1)} s, the longest ldhooks waits for a window, then asking again (the server's next window is further away)`
            : `rate limit window used up: waiting ${(ms / 1000).toFixed(1)} s for the next`,
        ),
      options.maxRateLimitWaitMs !== undefined ? { maxWaitMs: options.maxRateLimitWaitMs } : {},
    );
    this.#http = ky.create({
      // The deadline is the client's own, so that it covers reading the body (ky's stops at
      // the headers).
      timeout: false,
      retry: 0,
      throwHttpErrors: false,
      // Another origin would receive the token, and a POST's secret with a 307.
      redirect: 'manual',
      headers: {
        Authorization: options.token,
        'LD-API-Version': API_VERSION,
        'User-Agent': options.userAgent ?? 'ldhooks',
        Accept: 'application/json',
      },
    });
  }

  /**
   * What serialization shows of a client: where it points, never its token. The token and
   * everything that holds it live in private fields, which neither JSON.stringify nor
   * util.inspect reach.
   */
  toJSON(): { baseUri: string; token: string } {
    return { baseUri: this.#options.baseUri, token: SENSITIVE };
  }

  /** As {@link toJSON}, for console.log and util.inspect. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `LaunchDarklyClient { baseUri: ${JSON.stringify(this.#options.baseUri)}, token: '${SENSITIVE}' }`;
  }

  /**
   * The run's masker, once known (the configuration is read after the client is made): every
   * value it masks is masked in whatever the server says from now on.
   */
  redactWith(masker: Masker): void {
    this.#redactor.use(masker);
  }

  async list(): Promise<LiveWebhook[]> {
    const byId = new Map<string, LiveWebhook>();
    const seen = new Set<string>();
    const maxPages = this.#options.maxPages ?? 1000;
    let path: string | undefined = WEBHOOKS_PATH;
    while (path !== undefined) {
      if (seen.size >= maxPages) {
        throw this.unexpected(
          'GET',
          path,
          `the list goes on past ${maxPages} pages (_links.next never ends)`,
        );
      }
      seen.add(path);
      const answer = await this.send('GET', path);
      const body = this.json(answer, 'GET', path) as {
        items?: unknown;
        _links?: { next?: { href?: unknown } | null } | null;
      } | null;
      if (typeof body !== 'object' || body === null || !Array.isArray(body.items))
        throw this.unexpected('GET', path, 'the body has no "items" list');
      for (const item of body.items) {
        const webhook = this.webhookOf(item, 'GET', path);
        const before = byId.get(webhook.id);
        // A page that shifted while the list was read may repeat a webhook: it is one webhook.
        if (before && JSON.stringify(before) !== JSON.stringify(webhook)) {
          throw this.unexpected(
            'GET',
            path,
            `webhook ${shownId(webhook.id)} is listed twice, with different values; plan again`,
          );
        }
        byId.set(webhook.id, webhook);
      }
      const href = body._links?.next?.href;
      if (href !== undefined && href !== null && typeof href !== 'string')
        throw this.unexpected('GET', path, '_links.next has an href that is not a string');
      path = href ? this.samePath(href, path) : undefined;
      if (path !== undefined && seen.has(path))
        throw this.unexpected('GET', path, '_links.next repeats a page');
    }
    return [...byId.values()];
  }

  async get(id: string): Promise<LiveWebhook> {
    const path = `${WEBHOOKS_PATH}/${encodeURIComponent(id)}`;
    return this.webhook(await this.send('GET', path), 'GET', path);
  }

  async create(body: WebhookPost, marker: string): Promise<LiveWebhook> {
    this.#redactor.secret(body.secret);
    this.#redactor.url(body.url);
    const path = WEBHOOKS_PATH;
    const retries = this.#options.retries ?? 4;
    for (let attempt = 1; ; attempt++) {
      try {
        const answer = await this.send('POST', path, body, { repeatable: false });
        return this.webhook(answer, 'POST', path);
      } catch (e) {
        if (!(e instanceof UnknownOutcome)) throw e;
        if (attempt > retries) throw e.error;
        const why = e.error.status ?? `no response: ${e.error.detail}`;
        this.#options.log?.(
          `POST ${path}: outcome unknown (${why}); looking for the webhook before trying again`,
        );
        await this.#clock.sleep(backoffDelay(attempt, this.#random, this.#options.backoffMs));
        const found = (await this.list()).find((w) => isTheCreated(w, body, marker));
        if (found) return found;
      }
    }
  }

  async update(id: string, operations: PatchOperation[]): Promise<LiveWebhook> {
    for (const op of operations) {
      if (op.path === '/secret') this.#redactor.secret(op.value);
      if (op.path === '/url') this.#redactor.url(op.value);
    }
    const path = `${WEBHOOKS_PATH}/${encodeURIComponent(id)}`;
    return this.webhook(await this.send('PATCH', path, operations), 'PATCH', path);
  }

  /** Deletes a webhook. A 404 means it is gone already, whoever deleted it: the goal is met. */
  async remove(id: string): Promise<RemoveOutcome> {
    const path = `${WEBHOOKS_PATH}/${encodeURIComponent(id)}`;
    const answer = await this.send('DELETE', path, undefined, { allow404: true });
    // After a retry, the 404 is most likely this run's own earlier attempt, not someone else.
    return { alreadyGone: answer.status === 404 && !answer.retried };
  }

  /**
   * Sends one request, retrying what is safe to retry. Resolves with a 2xx answer read whole
   * (or a 404, when allowed); throws ApiError otherwise, or UnknownOutcome for a POST.
   */
  private async send(
    method: string,
    path: string,
    json?: unknown,
    { repeatable = true, allow404 = false } = {},
  ): Promise<Answer> {
    const retries = this.#options.retries ?? 4;
    const rateLimitRetries = this.#options.rateLimitRetries ?? 8;
    let failures = 0;
    let rateLimited = 0;
    for (;;) {
      const ticket = await this.#paced(method, path);
      let exchange: Exchange | undefined;
      try {
        exchange = await this.exchange(method, path, json);
      } finally {
        // Released once the body is read or abandoned, with the headers of whatever answered.
        this.#pacer.release(ticket, exchange?.response?.headers);
      }
      const { response, text, failure } = exchange;
      const status = response?.status;

      if (response && status !== undefined && failure === undefined) {
        if (status < 300) return { status, text, retried: failures > 0 };
        if (status === 404 && allow404) return { status, text, retried: failures > 0 };
        if (status < 400) throw this.redirected(method, path, response);
      }
      if (status === 429 && response && failure === undefined) {
        const error = this.error(method, path, response, text);
        if (++rateLimited > rateLimitRetries) throw error;
        const wait = rateLimitDelay(response.headers, this.#clock.now(), this.#random);
        this.#options.log?.(
          `${method} ${path}: rate limited (429); retrying in ${(wait / 1000).toFixed(1)} s`,
        );
        try {
          await this.#pacer.wait(wait, 'the server keeps answering 429 Too Many Requests');
        } catch (e) {
          throw e instanceof RateLimitStall ? this.stalled(method, path, e) : e;
        }
        continue;
      }
      if (failure instanceof BodyTooLarge) throw this.unexpected(method, path, failure.message);
      // No answer, an answer cut off or stalled, or a 5xx: the request may or may not have
      // been carried out.
      const answered = response !== undefined && failure === undefined;
      const transient = !answered || (status ?? 0) >= 500;
      const error = answered
        ? this.error(method, path, response, text)
        : this.networkError(method, path, failure);
      if (!transient) throw error;
      if (!repeatable) throw new UnknownOutcome(error);
      if (++failures > retries) throw error;
      const wait = backoffDelay(failures, this.#random, this.#options.backoffMs);
      this.#options.log?.(
        `${method} ${path}: ${answered ? status : `no response (${error.detail})`}; retry ${failures} of ${retries} in ${(wait / 1000).toFixed(1)} s`,
      );
      await this.#clock.sleep(wait);
    }
  }

  /** Waits for the rate limits to let a request go; a bound passed is an ApiError. */
  async #paced(method: string, path: string) {
    try {
      return await this.#pacer.acquire(routeOf(method, path));
    } catch (e) {
      throw e instanceof RateLimitStall ? this.stalled(method, path, e) : e;
    }
  }

  /** The rate-limit waits would pass their bound: the run stops, saying what the server did. */
  private stalled(method: string, path: string, e: RateLimitStall): ApiError {
    return new ApiError({
      method,
      path,
      detail: `not sent: ${e.message}`,
      remedy:
        "check that the base URI points at the LaunchDarkly API; if it does, wait a few minutes (another client may be using up the account's rate limit) and run again",
    });
  }

  /**
   * One request and its whole answer, under one deadline: a server that sends headers and then
   * stalls times out like one that never answers. Never throws: a failure is returned.
   */
  private async exchange(method: string, path: string, json: unknown): Promise<Exchange> {
    const controller = new AbortController();
    const timeoutMs = this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    // A real timer, not the injected clock: it must be cancelled when the answer is in, and
    // the clock's sleep cannot be.
    const timer = setTimeout(() => controller.abort(new Deadline()), timeoutMs);
    let response: Response | undefined;
    try {
      response = await this.#http(`${this.#options.baseUri}${path}`, {
        method,
        signal: controller.signal,
        ...(json !== undefined ? { json } : {}),
      });
      if (response.status >= 300 && response.status < 400) {
        await response.body?.cancel().catch(() => {});
        return { response, text: '' };
      }
      const ok = response.status < 300;
      const text = await readBody(
        response,
        ok ? MAX_BODY_BYTES : MAX_ERROR_BODY_BYTES,
        !ok,
        controller.signal,
      );
      return { response, text };
    } catch (e) {
      const failure = controller.signal.aborted ? new Deadline() : e;
      await response?.body?.cancel().catch(() => {});
      return { ...(response ? { response } : {}), text: '', failure };
    } finally {
      clearTimeout(timer);
    }
  }

  private webhook(answer: Answer, method: string, path: string): LiveWebhook {
    return this.webhookOf(this.json(answer, method, path), method, path);
  }

  /** A webhook from the wire; its secret and URL are known to the redactor from then on. */
  private webhookOf(value: unknown, method: string, path: string): LiveWebhook {
    const raw = value as { secret?: unknown; url?: unknown } | null;
    this.#redactor.secret(raw?.secret);
    this.#redactor.url(raw?.url);
    try {
      return toLiveWebhook(value);
    } catch (e) {
      if (e instanceof OddWebhookError) throw this.unexpected(method, path, e.message);
      throw e;
    }
  }

  private json(answer: Answer, method: string, path: string): unknown {
    try {
      return JSON.parse(answer.text);
    } catch {
      throw this.unexpected(method, path, 'the body is not JSON');
    }
  }

  /** An error answer, every part of it redacted before it is cut, then made inert. */
  private error(method: string, path: string, response: Response, text: string): ApiError {
    const said = this.said(text, response.headers.get('content-type'));
    const header = response.headers.get('x-request-id');
    const id = typeof said.id === 'string' && said.id !== '' ? said.id : header;
    const show = (s: unknown, max: number) =>
      typeof s === 'string' && s.trim() !== '' ? this.#redactor.serverText(s, max) : undefined;
    return new ApiError({
      method,
      path,
      status: response.status,
      code: show(said.code, 64),
      ldMessage: show(said.message, 300),
      requestId: show(id, 100),
      remedy: remedyFor(response.status, method),
    });
  }

  /** What an error body says: LaunchDarkly's JSON, or the readable text of anything else. */
  private said(text: string, contentType: string | null): Record<string, unknown> {
    try {
      const body = JSON.parse(text) as unknown;
      if (typeof body === 'object' && body !== null && !Array.isArray(body))
        return body as Record<string, unknown>;
    } catch {
      // Not JSON: a proxy's page, plain text.
    }
    const html = /html/i.test(contentType ?? '') || /^\s*</.test(text);
    // Redacted before the markup goes, so that no value is put back together by removing it.
    return { message: html ? htmlText(this.#redactor.text(text)) : text };
  }

  private redirected(method: string, path: string, response: Response): ApiError {
    const location = response.headers.get('location');
    let where = 'without a Location';
    if (location !== null) {
      try {
        const url = new URL(location, `${this.#options.baseUri}${path}`);
        where = `to ${url.origin === 'null' ? `a ${url.protocol} URL` : url.origin}`;
      } catch {
        where = 'to a Location that is not a URL';
      }
    }
    return new ApiError({
      method,
      path,
      status: response.status,
      detail: `a redirect ${this.#redactor.serverText(where, 200)}, not followed: the token and the webhooks' secrets go to the base URI only`,
      remedy:
        'point the base URI (--base-uri, LD_BASE_URI) at the API itself, as the redirect says if you trust it, e.g. https://app.launchdarkly.com',
    });
  }

  private networkError(method: string, path: string, failure: unknown): ApiError {
    const timeoutMs = this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const detail =
      failure instanceof Deadline
        ? `no complete answer within ${timeoutMs < 1000 ? `${timeoutMs} ms` : `${(timeoutMs / 1000).toFixed(0)} s`}`
        : this.#redactor.serverText(describeNetworkFailure(failure), 200);
    return new ApiError({ method, path, detail, remedy: remedyFor(undefined) });
  }

  private unexpected(method: string, path: string, detail: string): ApiError {
    return new ApiError({
      method,
      path,
      detail: `unexpected response: ${this.#redactor.serverText(detail, 300)}`,
      remedy: 'check that the base URI points at the LaunchDarkly API',
    });
  }

  /** `_links.next` may be absolute or a path; it must stay on the same host. */
  private samePath(href: string, current: string): string {
    const base = new URL(this.#options.baseUri);
    let url: URL;
    try {
      url = new URL(href, base);
    } catch {
      throw this.unexpected('GET', current, '_links.next is not a URL');
    }
    if (url.origin !== base.origin)
      throw this.unexpected('GET', current, `_links.next leads to another host (${url.origin})`);
    const prefix = base.pathname.replace(/\/+$/, '');
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
    return `${path}${url.search}`;
  }
}

interface Exchange {
  response?: Response;
  text: string;
  /** Set when the request failed or its answer could not be read whole. */
  failure?: unknown;
}

class BodyTooLarge extends Error {}

/**
 * The body as text, read under the request's signal. Past `limit` bytes, an error answer is cut
 * (only its start is ever shown) and a successful one refused.
 */
async function readBody(
  response: Response,
  limit: number,
  cut: boolean,
  signal: AbortSignal,
): Promise<string> {
  const body = response.body;
  if (!body) return '';
  const reader = body.getReader();
  let onAbort = () => {};
  // Some stream sources ignore the signal: the race makes sure a stall ends with the deadline.
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => {});
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), aborted]);
      if (done) break;
      if (size + value.byteLength > limit) {
        if (!cut) throw new BodyTooLarge(`the answer is larger than ${limit / 1024 / 1024} MiB`);
        chunks.push(value.subarray(0, limit - size));
        break;
      }
      size += value.byteLength;
      chunks.push(value);
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    reader.cancel().catch(() => {});
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The readable text of an HTML page: its title, else its text without markup. */
function htmlText(html: string): string {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  const text = (title ?? html)
    .replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) =>
      e === 'amp'
        ? '&'
        : e === 'lt'
          ? '<'
          : e === 'gt'
            ? '>'
            : e === 'quot'
              ? '"'
              : e === '#39'
                ? "'"
                : ' ',
    )
    .replace(/\s+/g, ' ')
    .trim();
  return text === '' ? '(an HTML page without text)' : `an HTML page: ${text}`;
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
