import { ConfigValidator } from '../../core/config/validate.js';
import type { ConfigReadResult, ConfigSource } from '../../core/port.js';
import { compareProblems } from '../../core/problem.js';
import type { FsReader } from './fs-reader.js';
import { loadSources } from './load.js';

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
  // Each document is checked as soon as it is parsed, so that its nodes can go.
  const validator = new ConfigValidator();
  const sources = await loadSources(paths, { ...options, onDocument: (doc) => validator.add(doc) });
  const validated = validator.finish();
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
