import type { Command } from 'commander';
import { fileConfigSource, readConfig } from '../../adapters/fs/config-source.js';
import { LaunchDarklyClient } from '../../adapters/launchdarkly/client.js';
import { resolveApiSettings } from '../../adapters/launchdarkly/settings.js';
import { type MaskEntry, Masker, variableEntries, variablesOf } from '../../core/mask.js';
import type { ConfigReadResult, ConfigSource } from '../../core/port.js';
import { hasErrors } from '../../core/problem.js';
import { ConfigInvalidError } from '../../engine/errors.js';
import { VERSION } from '../../version.js';
import { type CliIO, printProblems, writeLine } from '../io.js';

// Kept where the commands that reach LaunchDarkly import them from; they live in light modules
// so that offline commands load neither the HTTP client nor the config reader for them.
export { printProblems } from '../io.js';
export { collect } from '../options.js';

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

/**
 * A client for the resolved settings; a missing token or a bad URI fails before any request, its
 * message saying whether the command needs to `read` webhooks only or also to `write` them.
 * Given the text of a saved plan, the client masks from the start the environment values its
 * templates name (the plan's own masker exists only after the first request).
 */
export function connect(
  flags: RemoteFlags,
  io: CliIO,
  access: 'read' | 'write',
  savedPlan?: string,
): { client: LaunchDarklyClient; baseUri: string } {
  const settings = resolveApiSettings({
    baseUri: flags.baseUri,
    insecure: flags.insecure,
    env: io.env,
    access,
  });
  const client = new LaunchDarklyClient({
    ...settings,
    userAgent: `ldhooks/${VERSION}`,
    ...(io.clock ? { clock: io.clock } : {}),
    log: (line) => writeLine(io.stderr, `ldhooks: ${line}`),
    ...(savedPlan !== undefined
      ? { masker: new Masker(environmentEntries(variablesOf(savedPlan), io.env)) }
      : {}),
  });
  return { client, baseUri: settings.baseUri };
}

/** The access token as a value never to show: a server may put it anywhere, even in a name. */
export function tokenEntry(io: CliIO): MaskEntry[] {
  const token = resolveApiSettings({ env: io.env }).token;
  return token ? [{ value: token, shown: '(access token)' }] : [];
}

/**
 * What seals saved plans: LDHOOKS_PLAN_KEY when set (for plan and apply jobs that use different
 * tokens), else the access token, which both jobs hold and a reader of the file does not.
 */
export function planKeyMaterial(io: CliIO): string {
  return io.env.LDHOOKS_PLAN_KEY || resolveApiSettings({ env: io.env }).token;
}

/**
 * The config files under PATH, read with this process's environment and directory. Given the
 * client, the client masks the config's sensitive values as soon as they are read, before the
 * first request.
 */
export function configSource(
  paths: readonly string[],
  io: CliIO,
  client?: LaunchDarklyClient,
): ConfigSource {
  const source = fileConfigSource(paths, { env: io.env, cwd: io.cwd, fs: io.fs });
  if (!client) return source;
  return {
    read: async () => {
      const config = await source.read();
      const sensitive = config.webhooks.flatMap((d) => d.sensitive);
      client.redactWith(new Masker([...sensitive, ...variableEntries(sensitive, io.env)]));
      return config;
    },
  };
}

function environmentEntries(
  names: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): MaskEntry[] {
  return names.flatMap((name) => {
    const value = env[name];
    return value ? [{ value, shown: `\${${name}}` }] : [];
  });
}

/**
 * Reads and validates the config for a command that never talks to LaunchDarkly (explain): it
 * needs no variable's value, so unset ones are unknown placeholders. Prints warnings; any error
 * ends the command (exit 1).
 */
export async function readOfflineConfig(paths: string[], io: CliIO): Promise<ConfigReadResult> {
  const config = await readConfig(paths, {
    env: io.env,
    cwd: io.cwd,
    fs: io.fs,
    allowMissingEnv: true,
  });
  if (hasErrors(config.problems)) {
    throw new ConfigInvalidError(
      config.problems,
      'the configuration is not valid (ldhooks validate shows the same problems)',
    );
  }
  printProblems(config.problems, io);
  return config;
}
