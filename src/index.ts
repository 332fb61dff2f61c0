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
export { fileConfigSource, readConfig } from './adapters/fs/config-source.js';
export { loadSources } from './adapters/fs/load.js';
export { type ClientOptions, LaunchDarklyClient } from './adapters/launchdarkly/client.js';
export { ApiError } from './adapters/launchdarkly/errors.js';
export { resolveApiSettings } from './adapters/launchdarkly/settings.js';
export { publishedConfigSchema } from './core/config/published-schema.js';
export { configSchema, DEFAULT_OWNER_TAG } from './core/config/schema.js';
export { type ValidatedConfig, validateConfig } from './core/config/validate.js';
export { type Mask, Masker, SENSITIVE } from './core/mask.js';
/** Domain types. */
export type {
  Change,
  ConfigDocument,
  DesiredWebhook,
  LiveWebhook,
  Operation,
  PatchOperation,
  Plan,
  PlannedChange,
  Statement,
  WebhookConfig,
  WebhookPost,
} from './core/model.js';
/** Planning: pure functions of desired and live webhooks. */
export { checkGuards, type GuardOptions } from './core/plan/guards.js';
export { computePlan, type PlanInput, type PlanResult } from './core/plan/plan.js';
/** Policies: evaluation and explanations. */
export { decide, parseResource } from './core/policy/evaluate.js';
export { explain } from './core/policy/explain.js';
export { parseSpecifier } from './core/policy/specifier.js';
export type {
  Clock,
  ConfigReadResult,
  ConfigSource,
  RemoveOutcome,
  WebhooksPort,
} from './core/port.js';
export { formatProblem, type Problem } from './core/problem.js';
/** Receiving webhooks: the sample LaunchDarkly delivery, and signature verification. */
export { SAMPLE_CHANGE, samplePayload } from './core/sample-payload.js';
export {
  SIGNATURE_HEADER,
  type SignatureResult,
  signBody,
  verifySignature,
} from './core/signature.js';
export type { SourceDocument } from './core/source.js';
/** Runs: plan and apply over ports (a config source, LaunchDarkly), as the CLI does. */
export { type ApplyOptions, type ApplyReport, apply } from './engine/apply.js';
export { planFromSaved } from './engine/apply-saved.js';
export * from './engine/errors.js';
export { type PlanOptions, type PlanRun, plan, planFromLive } from './engine/plan.js';

/** Renderers: pure functions of a plan. */
export { type PlanJson, renderJson, toPlanJson } from './render/json.js';
export { renderMarkdown } from './render/markdown.js';
export { planJsonSchema } from './render/plan-schema.js';
export { renderText } from './render/text.js';
export { VERSION } from './version.js';
