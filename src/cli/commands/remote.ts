import type { Command } from 'commander';
import { LaunchDarklyClient } from '../../adapters/launchdarkly/client.js';
import { ApiError } from '../../adapters/launchdarkly/errors.js';
import { resolveApiSettings, SettingsError } from '../../adapters/launchdarkly/settings.js';
import type { LiveWebhook } from '../../core/model.js';
import { formatProblem, hasErrors, type Problem } from '../../core/problem.js';
import { type ConfigReadResult, readConfig } from '../../engine/read-config.js';
import { CliError, type CliIO, writeLine } from '../io.js';

export interface RemoteFlags {
  baseUri?: string;
  insecure?: boolean;
}

/** The options every command that talks to LaunchDarkly takes. */
export function remoteOptions(command: Command): Command {
  return command
    .option(
      '--base-uri <url>',
      'LaunchDarkly API location (else LD_BASE_URI, LAUNCHDARKLY_API_HOST, https://app.launchdarkly.com)',
    )
    .option('--insecure', 'allow plain http to a host other than loopback');
}

/** A client for the resolved settings; a missing token or a bad URI fails before any request. */
export function connect(
  flags: RemoteFlags,
  io: CliIO,
): { client: LaunchDarklyClient; baseUri: string } {
  try {
    const settings = resolveApiSettings({
      baseUri: flags.baseUri,
      insecure: flags.insecure,
      env: io.env,
    });
    const client = new LaunchDarklyClient({
      ...settings,
      clock: io.clock,
      log: (line) => writeLine(io.stderr, `ldhooks: ${line}`),
    });
    return { client, baseUri: settings.baseUri };
  } catch (e) {
    if (e instanceof SettingsError) throw new CliError(e.message);
    throw e;
  }
}

export async function listLive(client: LaunchDarklyClient): Promise<LiveWebhook[]> {
  try {
    return await client.list();
  } catch (e) {
    if (e instanceof ApiError) throw new CliError(e.message);
    throw e;
  }
}

/** Reads and validates the config; prints warnings; any error stops the command with exit 1. */
export async function readValidConfig(paths: string[], io: CliIO): Promise<ConfigReadResult> {
  const config = await readConfig(paths, { env: io.env, cwd: io.cwd });
  printProblems(config.problems, io);
  if (hasErrors(config.problems)) {
    throw new CliError(
      'the configuration is not valid; nothing was sent to LaunchDarkly (ldhooks validate shows the same problems)',
    );
  }
  return config;
}

export function printProblems(problems: readonly Problem[], io: CliIO): void {
  for (const p of problems) writeLine(io.stderr, formatProblem(p));
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
