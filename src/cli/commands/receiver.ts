import type { Command } from 'commander';
import { type Delivery, startReceiver } from '../../adapters/receiver/index.js';
import { escapeControl } from '../../core/escape.js';
import { Masker } from '../../core/mask.js';
import { CliError, type CliIO, writeLine } from '../io.js';
import { collect, parseInteger } from '../options.js';

interface ReceiverFlags {
  port: number;
  secret?: string[];
}

/** The environment variable that holds the receiver's secrets (comma-separated for several). */
export const RECEIVER_SECRET_ENV = 'LDHOOKS_RECEIVER_SECRET';

function verdict(d: Delivery): string {
  const s = d.signature;
  if ('unchecked' in s)
    return s.signed ? 'signed, NOT checked (no secret configured)' : 'unsigned, not checked';
  if (s.ok) return s.secretIndex === 0 ? 'verified' : `verified (secret #${s.secretIndex + 1})`;
  switch (s.reason) {
    case 'missing':
      return d.method === 'POST' ? 'NOT verified: no X-LD-Signature header' : 'not a POST';
    case 'malformed':
      return 'NOT verified: X-LD-Signature is not a hex HMAC-SHA256';
    case 'no-secret':
      return 'NOT verified: no secret to check with';
    case 'mismatch':
      return 'NOT verified: signature does not match the secret';
    default:
      return 'NOT read: body too large';
  }
}

export function registerReceiver(program: Command, io: CliIO, signals: NodeJS.EventEmitter): void {
  program
    .command('receiver')
    .summary('run a local webhook receiver that verifies X-LD-Signature')
    .description(
      "Listen on 127.0.0.1 for webhook deliveries, verify each POST's X-LD-Signature\n" +
        '(the hex HMAC-SHA256 of the body, keyed by the secret), and print one line\n' +
        'per delivery. Answers 200 when verified, 401 when not; with no secret, every\n' +
        'POST is answered 200 and its signature, if any, is not checked. Secrets come\n' +
        `from --secret (repeatable, for rotation) and ${RECEIVER_SECRET_ENV}\n` +
        '(comma-separated), so they need not be on the command line; they are never\n' +
        'printed, and an empty one is refused. Try it with ldhooks ping. Stops on\n' +
        'Ctrl-C.',
    )
    .option(
      '--port <n>',
      'port to listen on; 0 picks a free one',
      parseInteger('--port', 0, 65535),
      8788,
    )
    .option('--secret <secret>', 'a secret to accept (repeatable)', collect)
    .action(async (flags: ReceiverFlags) => {
      const secrets = [...flagSecrets(flags.secret ?? []), ...environmentSecrets(io.env)];
      // Nothing the receiver prints comes from the request but the summary: mask it anyway.
      const masker = new Masker(secrets.map((value) => ({ value, shown: '(secret)' })));
      const now = () => new Date(io.clock?.now() ?? Date.now()).toISOString();
      let receiver: Awaited<ReturnType<typeof startReceiver>>;
      try {
        receiver = await startReceiver({
          port: flags.port,
          secrets,
          onDelivery: (d) =>
            writeLine(
              io.stdout,
              // What came with the request prints as one line, its control characters escaped.
              escapeControl(
                masker.text(`${now()}  ${d.method} ${d.status}  ${verdict(d)}  ${d.summary}`),
              ),
            ),
        });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new CliError(
            `port ${flags.port} is already in use; choose another with --port, or --port 0 for a free one`,
          );
        }
        throw e;
      }
      writeLine(io.stdout, `webhook receiver listening on ${receiver.url}`);
      writeLine(
        io.stdout,
        secrets.length === 0
          ? `secret: none, so signatures are not checked (set --secret or ${RECEIVER_SECRET_ENV} to verify them)`
          : `secrets: ${secrets.length} (not shown); deliveries are verified against X-LD-Signature`,
      );
      writeLine(io.stdout, 'Press Ctrl-C to stop.');
      await new Promise<void>((resolve) => {
        signals.once('SIGINT', resolve);
        signals.once('SIGTERM', resolve);
      });
      await receiver.close();
      writeLine(io.stdout, 'receiver stopped');
    });
}

/**
 * An empty secret would verify nothing, and a receiver started with one would seem to check
 * what it does not: refused, never skipped.
 */
function flagSecrets(given: readonly string[]): string[] {
  if (given.some((s) => s.trim() === '')) {
    throw new CliError(
      `--secret is empty: an empty secret verifies nothing; give the webhook's secret, or leave --secret out to receive without checking signatures`,
    );
  }
  return [...given];
}

/**
 * ${RECEIVER_SECRET_ENV}, comma-separated. Set but empty (or with an empty item) is refused: in
 * `${RECEIVER_SECRET_ENV}=$LD_HOOK_SECRET`, it means the variable it is set from was not set.
 */
function environmentSecrets(env: Readonly<Record<string, string | undefined>>): string[] {
  const value = env[RECEIVER_SECRET_ENV];
  if (value === undefined) return [];
  const items = value.split(',').map((s) => s.trim());
  if (items.some((s) => s === '')) {
    throw new CliError(
      `${RECEIVER_SECRET_ENV} is set but ${value.trim() === '' ? 'empty' : 'holds an empty secret between its commas'}: an empty secret verifies nothing (set from another variable, as in ${RECEIVER_SECRET_ENV}=$LD_HOOK_SECRET, that variable is not set); set it to the webhook's secret, or unset it to receive without checking signatures`,
    );
  }
  return items;
}
