/**
 * ldhooks as a library: the same code the CLI runs, from reading configs to applying plans.
 *
 * The main entries: {@link loadConfig} reads and validates config files, {@link plan} compares
 * them with LaunchDarkly (a {@link LaunchDarklyClient}), `renderText` / `renderMarkdown` /
 * `renderJson` show the plan, {@link apply} carries it out, {@link verifySignature} checks a
 * delivery on the receiving end, and {@link startEmulator} (also `ldhooks/emulator`) runs a
 * local LaunchDarkly webhooks API to try all of it against.
 *
 * @example
 * ```ts
 * import { apply, LaunchDarklyClient, loadConfig, plan, renderText, resolveApiSettings } from 'ldhooks';
 *
 * const launchDarkly = new LaunchDarklyClient(resolveApiSettings({ env: process.env }));
 * const run = await plan(await loadConfig('webhooks/'), launchDarkly);
 * process.stdout.write(renderText(run.plan));
 * const report = await apply(launchDarkly, run);
 * ```
 * @packageDocumentation
 */

// The local LaunchDarkly webhooks emulator (also `ldhooks/emulator`).
export {
  DEFAULT_EMULATOR_TOKEN,
  type Emulator,
  type EmulatorOptions,
  type FaultKind,
  type FaultSpec,
  type LoggedRequest,
  startEmulator,
} from './adapters/emulator/index.js';
// Config files: read and validate, problems as data.
export {
  type FileConfigOptions,
  fileConfigSource,
  readConfig,
} from './adapters/fs/config-source.js';
export { type LoadedSources, type LoadOptions, loadSources } from './adapters/fs/load.js';
// LaunchDarkly's API.
export { type ClientOptions, LaunchDarklyClient } from './adapters/launchdarkly/client.js';
export { ApiError } from './adapters/launchdarkly/errors.js';
export {
  type ApiSettings,
  type ApiSettingsInput,
  resolveApiSettings,
  SettingsError,
} from './adapters/launchdarkly/settings.js';
// Config schemas and validation of parsed documents.
export { publishedConfigSchema } from './core/config/published-schema.js';
export { configSchema, DEFAULT_OWNER_TAG } from './core/config/schema.js';
export { type ValidatedConfig, validateConfig } from './core/config/validate.js';
export { type Mask, type MaskEntry, Masker, SENSITIVE } from './core/mask.js';
// Domain types.
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
// Planning: pure functions of desired and live webhooks.
export { checkGuards, type GuardOptions, type GuardRefusal } from './core/plan/guards.js';
export {
  computePlan,
  hasChanges,
  type PlanInput,
  type PlanResult,
} from './core/plan/plan.js';
// Policies: evaluation and explanations.
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
// Receiving webhooks: the sample LaunchDarkly delivery, and signature verification.
export { SAMPLE_CHANGE, samplePayload } from './core/sample-payload.js';
export {
  SIGNATURE_HEADER,
  type SignatureResult,
  signBody,
  verifySignature,
} from './core/signature.js';
export type { SourceDocument } from './core/source.js';
// Runs over ports, as the CLI's: the engine's typed errors, saved plans, the pure planning step.
export type { ApplyReport, OperationResult, RemovedCopy } from './engine/apply.js';
export { planFromSaved, type SavedPlanContext } from './engine/apply-saved.js';
export * from './engine/errors.js';
export { type PlanRun, planFromLive } from './engine/plan.js';
// The main entries: read a config, plan, apply.
export { type ApplyOptions, apply, DEFAULT_PARALLELISM } from './library/apply.js';
export { type LoadConfigOptions, loadConfig } from './library/load-config.js';
export { DEFAULT_MAX_DELETE_PERCENT, type PlanOptions, plan } from './library/plan.js';
export type { ApplyJson } from './render/apply-json.js';
export { applyJsonSchema } from './render/apply-schema.js';
// Renderers: pure functions of a plan.
export { type PlanJson, renderJson, toPlanJson } from './render/json.js';
export { renderMarkdown } from './render/markdown.js';
export { planJsonSchema } from './render/plan-schema.js';
export { renderText } from './render/text.js';
export { validateJsonSchema } from './render/validate-schema.js';
export { VERSION } from './version.js';
