import { loadSources } from '../adapters/fs/load.js';
import { validateConfig } from '../core/config/validate.js';
import type { DesiredWebhook } from '../core/model.js';
import { compareProblems, type Problem } from '../core/problem.js';

export interface ConfigReadResult {
  files: string[];
  webhooks: DesiredWebhook[];
  ownerTags: string[];
  problems: Problem[];
}

export interface ReadConfigOptions {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

/** Files -> parsed documents -> validated, normalized desired webhooks. Never touches the network. */
export async function readConfig(
  paths: readonly string[],
  options: ReadConfigOptions,
): Promise<ConfigReadResult> {
  const sources = await loadSources(paths, options);
  const validated = validateConfig(sources.documents);
  const problems = [...sources.problems, ...validated.problems].sort(compareProblems);
  return {
    files: sources.files,
    webhooks: validated.webhooks,
    ownerTags: validated.ownerTags,
    problems,
  };
}
