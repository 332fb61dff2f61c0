import { rememberEnvironment } from '../../core/config/read-environment.js';
import { ConfigValidator } from '../../core/config/validate.js';
import {
  checkOptions,
  isBoolean,
  isEnvironment,
  isString,
  isStringList,
} from '../../core/options.js';
import type { ConfigReadResult, ConfigSource } from '../../core/port.js';
import { compareProblems } from '../../core/problem.js';
import type { FsReader } from './fs-reader.js';
import { loadSources } from './load.js';

/** How {@link readConfig} and {@link fileConfigSource} read config files. */
export interface FileConfigOptions {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** The file-system calls; Node's unless a test injects failing ones. */
  fs?: FsReader;
  /** Treat unset `${NAME}` as unknown placeholders: validate --allow-missing-env, explain. */
  allowMissingEnv?: boolean;
}

/** The checks of what a library caller passes: never a default in place of a mistake. */
function checkReadArguments(entry: string, paths: unknown, options: unknown): void {
  const list = isStringList(paths, `${entry}: paths`);
  if (list) throw list;
  checkOptions(entry, options, {
    env: isEnvironment,
    cwd: isString,
    fs: (v, name) =>
      typeof v === 'object' && v !== null ? undefined : new TypeError(`${name} must be an object`),
    allowMissingEnv: isBoolean,
  });
  const given = options as Partial<FileConfigOptions> | undefined;
  if (given?.env === undefined || given.cwd === undefined)
    throw new TypeError(`${entry}: options.env and options.cwd are required`);
}

/** Files -> parsed documents -> validated, normalized desired webhooks. Never touches the network. */
export async function readConfig(
  paths: readonly string[],
  options: FileConfigOptions,
): Promise<ConfigReadResult> {
  checkReadArguments('readConfig', paths, options);
  // Each document is checked as soon as it is parsed, so that its nodes can go.
  const validator = new ConfigValidator();
  const sources = await loadSources(paths, { ...options, onDocument: (doc) => validator.add(doc) });
  const validated = validator.finish();
  const problems = [...sources.problems, ...validated.problems].sort(compareProblems);
  const config: ConfigReadResult = {
    files: sources.files,
    webhooks: validated.webhooks,
    ownerTags: validated.ownerTags,
    problems,
    ...(options.allowMissingEnv ? { unsetVariables: sources.unsetVariables } : {}),
  };
  // plan masks with the environment the config was read with, not another.
  rememberEnvironment(config, options.env);
  return config;
}

/** The config files under PATH arguments, as the engine's config source. */
export function fileConfigSource(
  paths: readonly string[],
  options: FileConfigOptions,
): ConfigSource {
  checkReadArguments('fileConfigSource', paths, options);
  return { read: () => readConfig(paths, options) };
}
