/**
 * ldhooks as a library: read and validate configs, with the same code the CLI runs.
 * @packageDocumentation
 */
export { loadSources } from './adapters/fs/load.js';
export { configSchema, DEFAULT_OWNER_TAG } from './core/config/schema.js';
export { type ValidatedConfig, validateConfig } from './core/config/validate.js';
export type { ConfigDocument, DesiredWebhook, Statement, WebhookConfig } from './core/model.js';
export { formatProblem, type Problem } from './core/problem.js';
export type { SourceDocument } from './core/source.js';
/** Reads config files or directories and returns the desired webhooks and every problem. */
export { readConfig } from './engine/read-config.js';
export { VERSION } from './version.js';
