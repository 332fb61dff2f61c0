import http from 'node:http';
import { summarizeDelivery } from '../../core/sample-payload.js';
import { type SignatureResult, verifySignature } from '../../core/signature.js';

/** The largest body the receiver reads; LaunchDarkly's deliveries are a few kilobytes. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface ReceiverOptions {
  /** Port on 127.0.0.1; 0 (the default) picks a free one. */
  port?: number;
  /**
   * The accepted secrets; none: deliveries are answered 200 without a check. An empty secret is
   * refused: it would verify nothing.
   */
  secrets?: readonly string[];
  /** Called once per request, after it is answered. */
  onDelivery?: (delivery: Delivery) => void;
}

export interface Delivery {
  method: string;
  /** The status the receiver answered. */
  status: number;
  /**
   * The check of X-LD-Signature; `unchecked` when no secret is configured, with `signed` saying
   * whether the delivery carried a signature all the same.
   */
  signature:
    | SignatureResult
    | { ok: true; unchecked: true; signed: boolean }
    | { ok: false; reason: 'too-large' };
  /** One line about the body: kind, name and title of a change-history entry. */
  summary: string;
  bytes: number;
}

export interface Receiver {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts a webhook receiver on 127.0.0.1 that verifies each POST's X-LD-Signature against the
 * secrets: 200 when verified (or when no secret is configured), 401 otherwise, 405 for another
 * method, 413 for a body over 1 MiB.
 */
export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const secrets = options.secrets ?? [];
  if (secrets.some((s) => s.trim() === '')) {
    throw new Error('an empty secret verifies nothing: give each secret a value, or none at all');
  }
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      const answer = (status: number, text: string, delivery: Omit<Delivery, 'status'>) => {
        res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
        res.end(`${text}\n`);
        options.onDelivery?.({ ...delivery, status });
      };
      const method = req.method ?? 'GET';
      if (tooLarge) {
        answer(413, 'body too large', {
          method,
          signature: { ok: false, reason: 'too-large' },
          summary: `(over ${MAX_BODY_BYTES} bytes, not read)`,
          bytes,
        });
        return;
      }
      const raw = Buffer.concat(chunks);
      const summary = summarizeDelivery(raw.toString('utf8'));
      if (method !== 'POST') {
        res.setHeader('allow', 'POST');
        answer(405, 'only POST is accepted', {
          method,
          signature: { ok: false, reason: 'missing' },
          summary,
          bytes,
        });
        return;
      }
      if (secrets.length === 0) {
        // A signature nobody checked is not a delivery without one: said apart.
        const signed = req.headers['x-ld-signature'] !== undefined;
        answer(
          200,
          signed
            ? 'received (signed, but not checked: no secret configured)'
            : 'received (unsigned, not checked)',
          { method, signature: { ok: true, unchecked: true, signed }, summary, bytes },
        );
        return;
      }
      const signature = verifySignature(raw, req.headers['x-ld-signature'], secrets);
      answer(
        signature.ok ? 200 : 401,
        signature.ok ? 'verified' : `signature ${signature.reason}`,
        { method, signature, summary, bytes },
      );
    });
    req.on('error', () => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
