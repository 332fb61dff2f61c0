/**
 * ldhooks as a library: the same code the CLI runs, from reading configs to applying plans.
 * @packageDocumentation
 */

/** The local LaunchDarkly webhooks emulator. */
export {
  type Emulator,
  type EmulatorOptions,
  type FaultSpec,
  startEmulator,
} from './adapters/emulator/index.js';
/** Config: read and validate files, or validate parsed documents. */
export { loadSources } from './adapters/fs/load.js';
export { type ClientOptions, LaunchDarklyClient } from './adapters/launchdarkly/client.js';
export { ApiError } from './adapters/launchdarkly/errors.js';
export { resolveApiSettings } from './adapters/launchdarkly/settings.js';
export { configSchema, DEFAULT_OWNER_TAG } from './core/config/schema.js';
export { type ValidatedConfig, validateConfig } from './core/config/validate.js';
/** Domain types. */
export type {
  Change,
  ConfigDocument,
  DesiredWebhook,
  LiveWebhook,
  Operation,
  PatchOperation,
  Plan,
  Statement,
  WebhookConfig,
  WebhookPost,
} from './core/model.js';

/** Planning: pure functions of desired and live webhooks. */
export { checkGuards, type GuardOptions } from './core/plan/guards.js';
export { computePlan, type PlanInput, type PlanResult } from './core/plan/plan.js';
export { type PlanJson, planFileSchema, toPlanJson } from './core/plan/plan-file.js';
/** Policies: evaluation and explanations. */
export { decide, parseResource } from './core/policy/evaluate.js';
export { explain } from './core/policy/explain.js';
export { parseSpecifier } from './core/policy/specifier.js';
export type { WebhooksPort } from './core/port.js';
export { formatProblem, type Problem } from './core/problem.js';
export type { SourceDocument } from './core/source.js';
/** Applying: through any WebhooksPort, such as the LaunchDarkly client. */
export { type ApplyOptions, applyOperations } from './engine/apply.js';
export { type ConfigReadResult, readConfig } from './engine/read-config.js';

/** Renderers: pure functions of a plan. */
export { renderJson } from './render/json.js';
export { renderMarkdown } from './render/markdown.js';
export { renderText } from './render/text.js';
export { VERSION } from './version.js';
