/** Failures the emulator can be told to produce, for tests of retries and convergence. */
export type FaultKind =
  /** Answer with `status` and an error body; nothing is changed. */
  | 'status'
  /** Close the connection without answering; nothing is changed. */
  | 'drop'
  /** Carry out the request, then close the connection without answering. */
  | 'commit-then-drop'
  /** Wait `delayMs`, then answer normally. */
  | 'delay'
  /** Answer `status` (default 302) with `Location: location`; nothing is changed. */
  | 'redirect'
  /** Carry out the request, send the headers and the first `bytes` of the answer, then stall. */
  | 'stall'
  /** Answer a list with `_links.next` to a page never seen before: a list that never ends. */
  | 'paginate'
  /** Answer with `fields` set on every webhook of the answer (`{"statements": [null]}`). */
  | 'odd'
  /** Answer a list with every webhook twice. */
  | 'duplicate'
  /**
   * Answer `status` (default 400) with an error that repeats the request's Authorization header
   * and body and every webhook held, in `format`, after `pad` filler characters; nothing is
   * changed.
   */
  | 'echo';

/** A fault to inject with {@link Emulator.inject}: which requests fail, how many, and how. */
export interface FaultSpec {
  kind: FaultKind;
  /** HTTP method to match; default any. */
  method?: string;
  /** Path prefix to match, such as /api/v2/webhooks; default any API path. */
  path?: string;
  /** Let this many matching requests through before failing any; default 0. */
  after?: number;
  /** How many matching requests fail; default 1. */
  count?: number;
  /** For `status`: the status to answer with (default 500). */
  status?: number;
  /** For `delay`: milliseconds before answering (default 1000). */
  delayMs?: number;
  /** For `redirect`: the Location (default https://elsewhere.example/api/v2/webhooks). */
  location?: string;
  /** For `stall`: how many bytes of the answer are sent before it stalls (default 10). */
  bytes?: number;
  /** For `odd`: the fields set on each webhook of the answer. */
  fields?: Record<string, unknown>;
  /** For `echo`: `json` (code, message and id, the default), `text` or `html`. */
  format?: 'json' | 'text' | 'html';
  /** For `echo`: filler characters before what is repeated (default 0). */
  pad?: number;
}

const KINDS = new Set<FaultKind>([
  'status',
  'drop',
  'commit-then-drop',
  'delay',
  'redirect',
  'stall',
  'paginate',
  'odd',
  'duplicate',
  'echo',
]);

const count = (v: unknown) => v === undefined || (Number.isInteger(v) && (v as number) >= 0);

/** Checks a fault that arrived over HTTP; returns a message when it is not usable. */
export function checkFault(v: unknown): string | undefined {
  const f = v as Partial<FaultSpec> | null;
  if (typeof f !== 'object' || f === null) return 'a fault is a JSON object';
  if (!KINDS.has(f.kind as FaultKind)) return `kind must be one of ${[...KINDS].join(', ')}`;
  if (f.count !== undefined && (!Number.isInteger(f.count) || f.count < 1))
    return 'count must be a positive integer';
  if (f.status !== undefined && (!Number.isInteger(f.status) || f.status < 100 || f.status > 599)) {
    return 'status must be an HTTP status';
  }
  if (f.delayMs !== undefined && (typeof f.delayMs !== 'number' || f.delayMs < 0))
    return 'delayMs must be >= 0';
  if (f.location !== undefined && typeof f.location !== 'string')
    return 'location must be a string';
  if (!count(f.bytes)) return 'bytes must be a whole number >= 0';
  if (!count(f.pad)) return 'pad must be a whole number >= 0';
  if (
    f.fields !== undefined &&
    (typeof f.fields !== 'object' || f.fields === null || Array.isArray(f.fields))
  )
    return 'fields must be a JSON object';
  if (f.format !== undefined && !['json', 'text', 'html'].includes(f.format))
    return 'format must be json, text or html';
  return undefined;
}

export class FaultQueue {
  private readonly pending: (FaultSpec & { left: number; skip: number })[] = [];

  add(spec: FaultSpec): void {
    this.pending.push({ ...spec, left: spec.count ?? 1, skip: spec.after ?? 0 });
  }

  clear(): void {
    this.pending.length = 0;
  }

  /** The first pending fault that matches this request, spent by one. */
  take(method: string, path: string): FaultSpec | undefined {
    const i = this.pending.findIndex(
      (f) =>
        (!f.method || f.method.toUpperCase() === method) && (!f.path || path.startsWith(f.path)),
    );
    if (i === -1) return undefined;
    const fault = this.pending[i] as FaultSpec & { left: number; skip: number };
    if (fault.skip > 0) {
      fault.skip -= 1;
      return undefined;
    }
    fault.left -= 1;
    if (fault.left <= 0) this.pending.splice(i, 1);
    return fault;
  }
}
