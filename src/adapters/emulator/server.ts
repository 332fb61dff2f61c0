import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import fastJsonPatch from 'fast-json-patch';
import { errorCodeFor } from './error-codes.js';
import { checkFault, FaultQueue, type FaultSpec } from './faults.js';
import { alterAnswer, answerBefore, stall } from './hostile.js';
import {
  EMULATOR_RANGES,
  outOfRange,
  RateLimiter,
  type RouteRateLimit,
  routeOf,
} from './rate-limit.js';
import { checkPatched, checkPost, type StoredWebhook } from './rules.js';
import { newId, newSecret, WebhookStore } from './store.js';

const { applyPatch, validate: validatePatch } = fastJsonPatch;

/** The access token the emulator accepts unless it is given another (`token`, `--token`). */
export const DEFAULT_EMULATOR_TOKEN = 'ldhooks-emulator-token';
const WEBHOOKS = '/api/v2/webhooks';
const CONTROL = '/_emulator';
const MAX_BODY = 1024 * 1024;
/** LaunchDarkly's rate-limit windows are ten seconds long. */
export const DEFAULT_WINDOW_MS = 10_000;

/** How {@link startEmulator} starts the emulator: every option may be left out. */
export interface EmulatorOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /** Persist the webhooks to this JSON file; loaded at start. */
  data?: string;
  /** The access token requests must carry in Authorization. */
  token?: string;
  /**
   * Requests the whole account may make per window (see `windowMs`), every route together, with
   * `X-Ratelimit-Global-Remaining` on every answer; unlimited when absent.
   */
  rateLimit?: number;
  /**
   * Requests per window on each route (a method and URL pattern, such as
   * `PATCH /api/v2/webhooks/{id}`), with `X-Ratelimit-Route-Remaining` on its answers: one number
   * for every route, or an object naming some routes (the others have no route limit). Each route
   * counts on its own, beside the global limit. Unlimited when absent.
   */
  routeRateLimit?: RouteRateLimit;
  /** Length of a rate-limit window in milliseconds, for every counter; default 10 000, as LaunchDarkly's. */
  windowMs?: number;
  /**
   * Where the emulator reads the time, for its windows, `X-Ratelimit-Reset` and the request log:
   * tests share one fake clock with the client so that waiting for a window costs no real time.
   * Its `sleep`, when it has one, also serves `latencyMs`.
   */
  clock?: EmulatorClock;
  /**
   * Milliseconds every API request waits before it is handled and answered, as a distant server
   * would make it wait (the /_emulator control routes answer at once). Default 0. A real timer,
   * or the clock's `sleep` when the clock has one.
   */
  latencyMs?: number;
  /** Drop the tags of a POST, as LaunchDarkly might (unverified), to exercise the patch that restores them. */
  dropTagsOnCreate?: boolean;
}

/** Where the emulator reads the time and, when it has one, how it sleeps (for `latencyMs`). */
export interface EmulatorClock {
  now(): number;
  sleep?(ms: number): Promise<void>;
}

/** One API request the emulator received, as {@link Emulator.requests} lists it. */
export interface LoggedRequest {
  /** Arrival time, epoch ms, by the emulator's clock. */
  at: number;
  method: string;
  path: string;
  /** The status answered, or undefined when the connection was dropped. */
  status: number | undefined;
  body: unknown;
  apiVersion: string | undefined;
  userAgent: string | undefined;
  authorized: boolean;
}

/**
 * A running emulator: where it listens and with which token, the webhooks it holds, the
 * requests it received, and the controls a test uses (faults, the log). Stop it with `close()`.
 */
export interface Emulator {
  /** Its base URI, `http://127.0.0.1:PORT`: give it to ldhooks as `LD_BASE_URI` or `baseUri`. */
  url: string;
  /** The port it listens on (a free one unless `port` was given). */
  port: number;
  /** The access token it accepts in `Authorization`. */
  token: string;
  /** The webhooks it holds. */
  store: WebhookStore;
  /** Every API request (not the /_emulator control routes), in arrival order. */
  requests: LoggedRequest[];
  /** Requests per method, e.g. { GET: 1, PATCH: 3 }. */
  counts(): Record<string, number>;
  /** Make the next matching requests fail. */
  inject(fault: FaultSpec): void;
  /** Forget every fault not yet produced. */
  clearFaults(): void;
  /** Empty `requests` (and so `counts()`): count from here on. */
  resetLog(): void;
  /** Stop listening; resolves once the server is closed. */
  close(): Promise<void>;
}

class HttpError {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly message: string,
  ) {}
}

/**
 * Starts the LaunchDarkly webhooks emulator on 127.0.0.1: `GET/POST /api/v2/webhooks` and
 * `GET/PATCH/DELETE /api/v2/webhooks/{id}`, with LaunchDarkly's representations, error bodies
 * and status codes, the `Authorization` check, and optionally a rate limit and persistence to a
 * file. It is what `ldhooks emulator` runs; nothing it does reaches LaunchDarkly.
 *
 * @param options - port (default: a free one), token, data file, rate limit; see
 *   {@link EmulatorOptions}.
 * @returns the running emulator, once it listens; `await emulator.close()` stops it.
 * @throws `EmulatorDataError` when the `data` file cannot be used; `RangeError` for a
 *   `rateLimit`, `routeRateLimit`, `windowMs` or `latencyMs` outside `EMULATOR_RANGES`.
 *
 * @example
 * ```ts
 * import { LaunchDarklyClient } from 'ldhooks';
 * import { startEmulator } from 'ldhooks/emulator';
 *
 * const emulator = await startEmulator();
 * const launchDarkly = new LaunchDarklyClient({ baseUri: emulator.url, token: emulator.token });
 * console.log(await launchDarkly.list()); // []
 * await emulator.close();
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const token = options.token ?? DEFAULT_EMULATOR_TOKEN;
  const windowMs = options.windowMs ?? DEFAULT_WINDOW_MS;
  const latencyMs = options.latencyMs ?? 0;
  for (const [name, value] of [
    ['windowMs', windowMs],
    ['latencyMs', latencyMs],
  ] as const) {
    const wrong = outOfRange(name, value, EMULATOR_RANGES[name]);
    if (wrong) throw new RangeError(wrong);
  }
  const now = () => (options.clock ?? Date).now();
  const delay = (ms: number) =>
    options.clock?.sleep
      ? options.clock.sleep(ms)
      : new Promise<void>((r) => setTimeout(r, ms).unref());
  const store = new WebhookStore(options.data);
  const faults = new FaultQueue();
  const requests: LoggedRequest[] = [];
  const limiter = new RateLimiter({
    rateLimit: options.rateLimit,
    routeRateLimit: options.routeRateLimit,
    windowMs,
  });

  const rep = (h: StoredWebhook) => ({
    _links: { self: { href: `${WEBHOOKS}/${h._id}`, type: 'application/json' } },
    _id: h._id,
    ...(h.name !== undefined ? { name: h.name } : {}),
    url: h.url,
    ...(h.secret ? { secret: h.secret } : {}),
    ...(h.statements !== undefined ? { statements: h.statements } : {}),
    on: h.on,
    tags: h.tags,
    _access: { allowed: [], denied: [] },
  });

  const find = (id: string) => {
    const hook = store.get(id);
    if (!hook) throw new HttpError(404, 'not_found', 'Invalid resource identifier');
    return hook;
  };

  /** The API itself: returns [status, body]; throws HttpError for an error answer. */
  const handle = (method: string, path: string, body: unknown): [number, unknown] => {
    if (path === WEBHOOKS) {
      if (method === 'GET') {
        return [
          200,
          {
            _links: { self: { href: WEBHOOKS, type: 'application/json' } },
            items: store.all().map(rep),
          },
        ];
      }
      if (method === 'POST') {
        const problem = checkPost(body);
        if (problem) throw new HttpError(400, 'invalid_request', problem);
        const b = body as Record<string, unknown>;
        const secret = b.sign ? (b.secret as string | undefined) || newSecret() : undefined;
        const hook: StoredWebhook = {
          _id: newId(),
          ...(b.name !== undefined ? { name: b.name as string } : {}),
          url: b.url as string,
          ...(secret !== undefined ? { secret } : {}),
          ...(b.statements !== undefined && b.statements !== null
            ? { statements: b.statements as unknown[] }
            : {}),
          on: b.on as boolean,
          tags: options.dropTagsOnCreate ? [] : ((b.tags as string[] | undefined) ?? []),
        };
        store.put(hook);
        return [200, rep(hook)];
      }
      throw new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${path}`);
    }
    const match = /^\/api\/v2\/webhooks\/([^/]+)$/.exec(path);
    if (!match) throw new HttpError(404, 'not_found', 'Invalid resource identifier');
    const id = decodeURIComponent(match[1] as string);
    if (method === 'GET') return [200, rep(find(id))];
    if (method === 'DELETE') {
      find(id);
      store.delete(id);
      return [204, undefined];
    }
    if (method === 'PATCH') {
      const hook = find(id);
      const ops = body;
      if (!Array.isArray(ops))
        throw new HttpError(400, 'invalid_request', 'the body must be a JSON Patch array');
      for (const op of ops as { path?: unknown; op?: unknown }[]) {
        if (typeof op?.path === 'string' && op.path.startsWith('/_')) {
          throw new HttpError(
            400,
            'invalid_request',
            `${op.path} cannot be patched: fields starting with _ belong to LaunchDarkly`,
          );
        }
        if (!['add', 'remove', 'replace', 'test'].includes(op?.op as string)) {
          throw new HttpError(
            400,
            'invalid_request',
            `unsupported patch operation ${JSON.stringify(op?.op)}: use add, remove, replace or test`,
          );
        }
      }
      // LaunchDarkly takes `replace` of a secret or statements the webhook does not have (its
      // Terraform provider sends it): both are there, empty, while the patch applies.
      const { _id, ...doc } = { secret: '', statements: [], ...structuredClone(hook) };
      const invalid = validatePatch(ops as fastJsonPatch.Operation[], doc);
      if (invalid) {
        const failedTest = invalid.name === 'TEST_OPERATION_FAILED';
        throw new HttpError(
          failedTest ? 409 : 422,
          failedTest ? 'optimistic_locking_error' : 'patch_failed',
          invalid.message.split('\n')[0] as string,
        );
      }
      const patched = applyPatch(doc, ops as fastJsonPatch.Operation[], false, true)
        .newDocument as Record<string, unknown>;
      const problem = checkPatched(patched);
      if (problem) throw new HttpError(400, 'invalid_request', problem);
      const next = { _id, ...patched } as StoredWebhook;
      // The empty secret is no secret (LaunchDarkly's unsigned webhook), as are empty statements.
      if (next.secret === '') delete next.secret;
      if (next.statements === null || next.statements?.length === 0) delete next.statements;
      store.put(next);
      return [200, rep(next)];
    }
    throw new HttpError(405, 'method_not_allowed', `${method} is not allowed on ${path}`);
  };

  const control = (method: string, path: string, body: unknown): [number, unknown] => {
    if (path === `${CONTROL}/requests` && method === 'GET')
      return [200, { counts: counts(), requests }];
    if (path === `${CONTROL}/requests` && method === 'DELETE') {
      requests.length = 0;
      return [204, undefined];
    }
    if (path === `${CONTROL}/faults` && method === 'POST') {
      const problem = checkFault(body);
      if (problem) throw new HttpError(400, 'invalid_request', problem);
      faults.add(body as FaultSpec);
      return [204, undefined];
    }
    if (path === `${CONTROL}/faults` && method === 'DELETE') {
      faults.clear();
      return [204, undefined];
    }
    if (path === `${CONTROL}/webhooks` && method === 'DELETE') {
      store.clear();
      return [204, undefined];
    }
    throw new HttpError(404, 'not_found', `no emulator control route ${method} ${path}`);
  };

  const counts = () => {
    const out: Record<string, number> = {};
    for (const r of requests) out[r.method] = (out[r.method] ?? 0) + 1;
    return out;
  };

  const server = createServer((req, res) => {
    serve(req, res).catch((e) => {
      if (!res.headersSent)
        send(res, 500, { code: 'internal_server_error', message: String(e), id: randomUUID() });
    });
  });

  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const path = new URL(req.url ?? '/', 'http://emulator').pathname;
    const requestId = randomUUID();
    const authorized = req.headers.authorization === token;
    const raw = await readBody(req).catch(() => undefined);
    let body: unknown;
    let malformed = false;
    if (raw === undefined) malformed = true;
    else if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        malformed = true;
      }
    }
    const isControl = path.startsWith(`${CONTROL}/`);
    if (!isControl && latencyMs > 0) await delay(latencyMs);
    const entry: LoggedRequest = {
      at: now(),
      method,
      path,
      status: undefined,
      body,
      apiVersion: header(req, 'ld-api-version'),
      userAgent: header(req, 'user-agent'),
      authorized,
    };
    if (!isControl) requests.push(entry);
    const answer = (status: number, payload: unknown) => {
      entry.status = status;
      send(res, status, payload);
    };
    const fail = (e: HttpError) =>
      answer(e.status, { code: e.code, message: e.message, id: requestId });

    if (!isControl) {
      const verdict = limiter.take(entry.at, routeOf(method, path));
      for (const [name, value] of Object.entries(verdict.headers)) res.setHeader(name, value);
      if (verdict.retryAfter !== undefined) {
        res.setHeader('Retry-After', String(verdict.retryAfter));
        return fail(
          new HttpError(
            429,
            'rate_limited',
            "You've exceeded the API rate limit. Try again later.",
          ),
        );
      }
    }
    if (!authorized) return fail(new HttpError(401, 'unauthorized', 'Invalid access token'));
    if (malformed)
      return fail(
        new HttpError(400, 'invalid_request', 'Invalid request body: not JSON, or over 1 MiB'),
      );
    if (isControl) {
      try {
        const [status, payload] = control(method, path, body);
        return answer(status, payload);
      } catch (e) {
        if (e instanceof HttpError) return fail(e);
        throw e;
      }
    }

    const fault = faults.take(method, path);
    if (fault?.kind === 'drop') return res.socket?.destroy();
    if (fault?.kind === 'status') {
      const status = fault.status ?? 500;
      return fail(new HttpError(status, errorCodeFor(status), 'injected fault'));
    }
    if (fault?.kind === 'delay')
      await new Promise((r) => setTimeout(r, fault.delayMs ?? 1000).unref());
    const early =
      fault &&
      answerBefore(fault, {
        authorization: header(req, 'authorization') ?? '',
        body: raw ?? '',
        held: store.all(),
      });
    if (early) {
      entry.status = early.status;
      return res.writeHead(early.status, early.headers).end(early.body);
    }
    let result: [number, unknown];
    try {
      result = handle(method, path, body);
    } catch (e) {
      if (e instanceof HttpError) return fail(e);
      throw e;
    }
    if (fault?.kind === 'commit-then-drop') return res.socket?.destroy();
    if (res.destroyed) return; // the client gave up while the answer was delayed
    if (fault?.kind === 'stall') {
      entry.status = result[0];
      return stall(res, result[0], result[1], fault.bytes);
    }
    answer(result[0], alterAnswer(fault, result[1]));
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    token,
    store,
    requests,
    counts,
    inject: (f) => faults.add(f),
    clearFaults: () => faults.clear(),
    resetLog: () => {
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  if (res.destroyed) return;
  if (payload === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.resume();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
