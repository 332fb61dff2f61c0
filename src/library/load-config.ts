import { readConfig } from '../adapters/fs/config-source.js';
import {
  checkOptions,
  isBoolean,
  isEnvironment,
  isString,
  isStringList,
  kindOf,
  type OptionCheck,
} from '../core/options.js';
import type { ConfigReadResult } from '../core/port.js';
import { formatProblem, hasErrors } from '../core/problem.js';
import { ConfigInvalidError } from '../engine/errors.js';

/** How {@link loadConfig} reads: every field is optional. */
export interface LoadConfigOptions {
  /**
   * Config files or directories (directories are read recursively for `.yaml` and `.yml`, in
   * sorted order), relative to `cwd`. Default: `cwd` itself, as the CLI's `[PATH...]`.
   */
  paths?: string | readonly string[];
  /** The directory relative paths start from, and that problems name files relative to. Default `process.cwd()`. */
  cwd?: string;
  /** The environment `${NAME}` reads. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /**
   * Treat an unset `${NAME}` as an unknown placeholder instead of an error (as
   * `ldhooks validate --allow-missing-env`): for checks that never talk to LaunchDarkly. A config
   * read this way is not fit to plan from.
   */
  allowMissingEnv?: boolean;
}

/** Every option of {@link loadConfig}, checked at the entry. */
const LOAD_OPTIONS: Record<keyof LoadConfigOptions, OptionCheck> = {
  paths: (v, name) => (typeof v === 'string' ? undefined : isStringList(v, name)),
  cwd: isString,
  env: isEnvironment,
  allowMissingEnv: isBoolean,
};

/** Paths given twice (as the first argument and as an option) are a mistake. */
const refuse: OptionCheck = (_, name) =>
  new TypeError(`${name} cannot be given with paths as the first argument`);

/** Problems shown in the message of the error loadConfig throws; all are in its `problems`. */
const SHOWN_IN_MESSAGE = 20;

/**
 * Reads and validates config files, as `ldhooks validate` does: schema, `${NAME}`
 * interpolation, the rules across files, policy lint. Never touches the network.
 *
 * Every problem is collected before it throws, with its place (`file:line:col` and the path in
 * the document, such as `webhooks[2].url`), what is wrong and the remedy. The problems hold no
 * value from the environment. To get problems as data instead of an error, use `readConfig`.
 *
 * @param paths - a config file or directory, or several; default `.` (the working directory).
 *   Or every option in one object, `paths` among them.
 * @param options - where to read from and with which environment; see {@link LoadConfigOptions}.
 * @returns the validated config, ready for `plan`: its desired webhooks, the files read, the
 *   owner tags, and in `problems` the warnings only.
 * @throws `TypeError` before anything is read, for paths or an option of the wrong type (a
 *   number for paths never reads the working directory in its place).
 * @throws {@link ConfigInvalidError} when any file is missing or unreadable, or any problem is
 *   an error: its `problems` lists every problem, sorted by file, line and column, and its
 *   message shows them as `file:line:col  path  message  (remedy)`.
 *
 * @example
 * ```ts
 * import { ConfigInvalidError, loadConfig } from 'ldhooks';
 *
 * try {
 *   const config = await loadConfig('webhooks/');
 *   console.log(`${config.webhooks.length} webhooks in ${config.files.length} files`);
 * } catch (e) {
 *   if (!(e instanceof ConfigInvalidError)) throw e;
 *   for (const p of e.problems) console.error(`${p.file}:${p.line}:${p.col} ${p.message}`);
 * }
 * ```
 */
export async function loadConfig(
  paths?: string | readonly string[] | LoadConfigOptions,
  options: Omit<LoadConfigOptions, 'paths'> = {},
): Promise<ConfigReadResult> {
  const byPaths = typeof paths === 'string' || Array.isArray(paths);
  if (!byPaths && paths !== undefined && (typeof paths !== 'object' || paths === null)) {
    // Never the working directory in its place: a wrong argument reads nothing.
    throw new TypeError(
      `loadConfig: paths must be a path, a list of paths or an options object, not ${kindOf(paths)}`,
    );
  }
  checkOptions('loadConfig', options, { ...LOAD_OPTIONS, paths: refuse });
  if (!byPaths) checkOptions('loadConfig', paths, LOAD_OPTIONS);
  const given: LoadConfigOptions = byPaths
    ? { ...options, paths: paths as string | readonly string[] }
    : { ...options, ...(paths as LoadConfigOptions | undefined) };
  const list = given.paths === undefined ? [] : [given.paths].flat();
  const env = given.env ?? process.env;
  const config = await readConfig(list, {
    env,
    cwd: given.cwd ?? process.cwd(),
    ...(given.allowMissingEnv ? { allowMissingEnv: true } : {}),
  });
  if (hasErrors(config.problems)) throw new ConfigInvalidError(config.problems, describe(config));
  return config;
}

function describe(config: ConfigReadResult): string {
  const errors = config.problems.filter((p) => p.severity === 'error');
  const shown = errors.slice(0, SHOWN_IN_MESSAGE).map((p) => `  ${formatProblem(p)}`);
  const more = errors.length - shown.length;
  return [
    `the configuration is not valid (${errors.length} error${errors.length === 1 ? '' : 's'}):`,
    ...shown,
    ...(more > 0 ? [`  and ${more} more (see the error's problems)`] : []),
  ].join('\n');
}
