import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FaultSpec } from './faults.js';

/**
 * The faults that play a hostile or odd server, for tests that ldhooks cannot be steered, hung
 * or crashed by one, and never prints what such a server repeats.
 */

/** An answer a fault gives instead of the API's: status, headers, body. */
export interface FaultAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const FILLER = 'x';

/**
 * `redirect` and `echo` answer before the request is carried out; undefined for other kinds.
 * An echo repeats what the request carried (the Authorization header and the body) and every
 * webhook the emulator holds, secrets included, as a server that quotes all it knows in its
 * errors would, after `pad` filler characters.
 */
export function answerBefore(
  fault: FaultSpec,
  request: { authorization: string; body: string; held: unknown[] },
): FaultAnswer | undefined {
  if (fault.kind === 'redirect') {
    return {
      status: fault.status ?? 302,
      headers: {
        Location: fault.location ?? 'https://elsewhere.example/api/v2/webhooks',
        'Content-Type': 'text/plain; charset=utf-8',
      },
      body: 'moved',
    };
  }
  if (fault.kind !== 'echo') return undefined;
  const said = `${FILLER.repeat(fault.pad ?? 0)}token ${request.authorization} body ${request.body} held ${JSON.stringify(request.held)}`;
  const format = fault.format ?? 'json';
  const status = fault.status ?? 400;
  if (format === 'json') {
    return {
      status,
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'X-Request-Id': request.authorization,
      },
      body: JSON.stringify({ code: said, message: said, id: said }),
    };
  }
  const html = `<html><head><title>${said}</title></head><body><p>${said}</p></body></html>`;
  return {
    status,
    headers: {
      'Content-Type': `text/${format === 'html' ? 'html' : 'plain'}; charset=utf-8`,
      'X-Request-Id': request.authorization,
    },
    body: format === 'html' ? html : said,
  };
}

/**
 * `paginate`, `odd` and `duplicate` change a successful answer: a list that links to a page
 * never seen before, webhooks with `fields` set to odd values, a list with every webhook twice.
 */
export function alterAnswer(fault: FaultSpec | undefined, payload: unknown): unknown {
  if (fault === undefined || typeof payload !== 'object' || payload === null) return payload;
  const p = payload as { items?: unknown[]; _links?: Record<string, unknown> };
  if (fault.kind === 'paginate' && Array.isArray(p.items)) {
    return {
      ...p,
      _links: { ...p._links, next: { href: `/api/v2/webhooks?page=${randomUUID()}` } },
    };
  }
  if (fault.kind === 'duplicate' && Array.isArray(p.items))
    return { ...p, items: p.items.flatMap((i) => [i, i]) };
  if (fault.kind === 'odd') {
    const odd = (w: unknown) => ({ ...(w as object), ...fault.fields });
    return Array.isArray(p.items) ? { ...p, items: p.items.map(odd) } : odd(p);
  }
  return payload;
}

/** `stall`: the headers and the first `bytes` of the answer, then nothing, never an end. */
export function stall(res: ServerResponse, status: number, payload: unknown, bytes = 10): void {
  const text = Buffer.from(payload === undefined ? '' : JSON.stringify(payload));
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': text.length,
  });
  res.write(text.subarray(0, Math.min(bytes, text.length)));
}
