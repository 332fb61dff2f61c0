import { validateConfig } from '../../core/config/validate.js';
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

/** Files -> parsed documents -> validated, normalized desired webhooks. Never touches the network. */
export async function readConfig(
  paths: readonly string[],
  options: FileConfigOptions,
): Promise<ConfigReadResult> {
  const sources = await loadSources(paths, options);
  const validated = validateConfig(sources.documents);
  const problems = [...sources.problems, ...validated.problems].sort(compareProblems);
  return {
    files: sources.files,
    webhooks: validated.webhooks,
    ownerTags: validated.ownerTags,
    problems,
    ...(options.allowMissingEnv ? { unsetVariables: sources.unsetVariables } : {}),
  };
}

/** The config files under PATH arguments, as the engine's config source. */
export function fileConfigSource(
  paths: readonly string[],
  options: FileConfigOptions,
): ConfigSource {
  return { read: () => readConfig(paths, options) };
}
