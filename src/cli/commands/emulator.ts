import path from 'node:path';
import type { Command } from 'commander';
import {
  DEFAULT_EMULATOR_TOKEN,
  DEFAULT_WINDOW_MS,
  EMULATOR_RANGES,
  EmulatorDataError,
  startEmulator,
} from '../../adapters/emulator/index.js';
import { CliError, type CliIO, writeLine } from '../io.js';
import { parseInteger } from '../options.js';

interface EmulatorFlags {
  port: number;
  data?: string;
  token?: string;
  rateLimit?: number;
  routeRateLimit?: number;
  rateLimitWindow: number;
  latency: number;
  dropTagsOnCreate?: boolean;
}

export function registerEmulator(program: Command, io: CliIO, signals: NodeJS.EventEmitter): void {
  program
    .command('emulator')
    .summary('run a local LaunchDarkly webhooks API on 127.0.0.1')
    .description(
      'Serve the five LaunchDarkly webhook routes on 127.0.0.1, the way LaunchDarkly\n' +
        'does (representations, status codes, error bodies, JSON Patch, generated\n' +
        'secrets, the Authorization check), for trying ldhooks and for CI. Point\n' +
        'ldhooks at it with LD_BASE_URI=http://127.0.0.1:PORT. Stops on Ctrl-C.\n\n' +
        'Rate limits, as LaunchDarkly documents them: --rate-limit counts every\n' +
        'request of the account, --route-rate-limit each route on its own, in\n' +
        'windows that follow one another from the first request; answers carry\n' +
        'X-Ratelimit-Global-Remaining, X-Ratelimit-Route-Remaining and\n' +
        'X-Ratelimit-Reset (epoch ms, when every count starts again), and a\n' +
        'request past a limit gets 429 with Retry-After (seconds).\n\n' +
        'Tests drive it through /_emulator/requests (GET: counts per method;\n' +
        'DELETE: clear) and /_emulator/faults (POST a fault such as\n' +
        '{"kind":"status","status":500,"method":"PATCH","count":2}; DELETE: clear),\n' +
        'with the same token.',
    )
    .option(
      '--port <n>',
      'port to listen on; 0 picks a free one',
      parseInteger('--port', 0, 65535),
      8787,
    )
    .option(
      '--data <file>',
      'keep the webhooks in this JSON file (loaded at start, written atomically)',
    )
    .option(
      '--token <token>',
      `access token to require in Authorization (default: ${DEFAULT_EMULATOR_TOKEN})`,
    )
    .option(
      '--rate-limit <n>',
      `allow N requests per window on all routes together (X-Ratelimit-Global-Remaining), then answer 429; N from 1 to ${EMULATOR_RANGES.rateLimit.max}`,
      parseInteger('--rate-limit', EMULATOR_RANGES.rateLimit.min, EMULATOR_RANGES.rateLimit.max),
    )
    .option(
      '--route-rate-limit <n>',
      `allow N requests per window on each route, a method and URL pattern such as PATCH /api/v2/webhooks/{id} (X-Ratelimit-Route-Remaining), then answer 429; N from 1 to ${EMULATOR_RANGES.rateLimit.max}`,
      parseInteger(
        '--route-rate-limit',
        EMULATOR_RANGES.rateLimit.min,
        EMULATOR_RANGES.rateLimit.max,
      ),
    )
    .option(
      '--rate-limit-window <ms>',
      `milliseconds in a --rate-limit or --route-rate-limit window, from ${EMULATOR_RANGES.windowMs.min} to ${EMULATOR_RANGES.windowMs.max} (LaunchDarkly's are 10 s)`,
      parseInteger(
        '--rate-limit-window',
        EMULATOR_RANGES.windowMs.min,
        EMULATOR_RANGES.windowMs.max,
      ),
      DEFAULT_WINDOW_MS,
    )
    .option(
      '--latency <ms>',
      `wait this many milliseconds before answering each API request, as a distant server would, up to ${EMULATOR_RANGES.latencyMs.max}`,
      parseInteger('--latency', EMULATOR_RANGES.latencyMs.min, EMULATOR_RANGES.latencyMs.max),
      0,
    )
    .option('--drop-tags-on-create', 'ignore the tags of a POST, as LaunchDarkly may (unverified)')
    .action(async (flags: EmulatorFlags, command: Command) => {
      let emulator: Awaited<ReturnType<typeof startEmulator>>;
      try {
        emulator = await startEmulator({
          port: flags.port,
          // Relative to the directory ldhooks runs in, as every other path it takes.
          ...(flags.data ? { data: path.resolve(io.cwd, flags.data) } : {}),
          ...(flags.token ? { token: flags.token } : {}),
          ...(flags.rateLimit ? { rateLimit: flags.rateLimit } : {}),
          ...(flags.routeRateLimit ? { routeRateLimit: flags.routeRateLimit } : {}),
          windowMs: flags.rateLimitWindow,
          ...(flags.latency ? { latencyMs: flags.latency } : {}),
          ...(io.clock ? { clock: io.clock } : {}),
          ...(flags.dropTagsOnCreate ? { dropTagsOnCreate: true } : {}),
        });
      } catch (e) {
        if (e instanceof EmulatorDataError) throw new CliError(e.message);
        if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
          throw new CliError(
            `port ${flags.port} is already in use; choose another with --port, or --port 0 for a free one`,
          );
        }
        throw e;
      }
      writeLine(io.stdout, `LaunchDarkly webhooks emulator listening on ${emulator.url}`);
      writeLine(
        io.stdout,
        flags.token
          ? 'token: the one given with --token (not shown)'
          : `token: ${DEFAULT_EMULATOR_TOKEN} (the default; choose another with --token)`,
      );
      writeLine(
        io.stdout,
        flags.data
          ? `data: ${flags.data} (${emulator.store.all().length} webhooks loaded)`
          : 'data: in memory only (pass --data FILE to keep it across restarts)',
      );
      if (flags.rateLimit)
        writeLine(
          io.stdout,
          `rate limit: ${flags.rateLimit} requests per ${flags.rateLimitWindow / 1000} s`,
        );
      if (flags.routeRateLimit)
        writeLine(
          io.stdout,
          `route rate limit: ${flags.routeRateLimit} requests per route per ${flags.rateLimitWindow / 1000} s`,
        );
      if (
        !flags.rateLimit &&
        !flags.routeRateLimit &&
        command.getOptionValueSource('rateLimitWindow') === 'cli'
      )
        writeLine(
          io.stderr,
          'warning: --rate-limit-window has no effect without --rate-limit or --route-rate-limit: nothing is limited',
        );
      if (flags.latency) writeLine(io.stdout, `latency: ${flags.latency} ms before each answer`);
      writeLine(
        io.stdout,
        `try: LD_BASE_URI=${emulator.url} LD_ACCESS_TOKEN=${flags.token ? '<your --token>' : DEFAULT_EMULATOR_TOKEN} npx ldhooks plan <your config dir>`,
      );
      writeLine(io.stdout, 'Press Ctrl-C to stop.');
      await new Promise<void>((resolve) => {
        signals.once('SIGINT', resolve);
        signals.once('SIGTERM', resolve);
      });
      await emulator.close();
      writeLine(io.stdout, 'emulator stopped');
    });
}
