import { LaunchDarklyClient } from '../adapters/launchdarkly/client.js';
import { Masker, variableEntries } from '../core/mask.js';
import type { ConfigReadResult, ConfigSource, WebhooksPort } from '../core/port.js';
import { ConfigInvalidError } from '../engine/errors.js';
import {
  type PlanOptions as EnginePlanOptions,
  type PlanRun,
  plan as planRun,
} from '../engine/plan.js';
import { environmentOf } from './load-config.js';

/** The deletion guard's threshold when none is given: the CLI's default. */
export const DEFAULT_MAX_DELETE_PERCENT = 25;

/**
 * How {@link plan} plans: the CLI's plan options, every one optional.
 *
 * - `maxDeletePercent` (default 25) and `allowDeleteAll` (default false): the deletion guards,
 *   as `--max-delete-percent` and `--allow-delete-all`;
 * - `adopt`, `takeoverFrom`, `targets`: as `--adopt`, `--takeover-from`, `--target`;
 * - `env`: the environment the config was read with, whose values the plan masks. Default: the
 *   one `loadConfig` read it with, else `process.env`;
 * - `secrets`: more values never to show, each with what to show instead. The CLI passes the
 *   access token, `[{ value: token, shown: '(access token)' }]`, so that a server that puts it
 *   in a webhook's name or URL cannot make the plan show it; the client hides it from errors
 *   by itself.
 */
export type PlanOptions = Partial<EnginePlanOptions>;

/** A config source (`fileConfigSource`) rather than a config already read. */
const isSource = (c: ConfigReadResult | ConfigSource): c is ConfigSource =>
  typeof (c as ConfigSource).read === 'function';

/**
 * Plans, as `ldhooks plan` does: reads the live webhooks once (one `GET /api/v2/webhooks`,
 * nothing else) and compares them with the config. Only webhooks carrying the config's owner
 * tag are ever changed; the others are listed and left alone.
 *
 * The result holds the plan (`run.plan`: render it with `renderText`, `renderMarkdown` or
 * `renderJson`), what it was made from, and the masker of every sensitive value it knows. A
 * plan that a guard refuses is returned, not thrown, so that it can be shown: `run.refusal`
 * says which guard and how to override it, and {@link apply} refuses to apply it.
 *
 * Given a `LaunchDarklyClient`, the client is told the config's sensitive values before its
 * first request, so that no error message a server sends can carry them.
 *
 * @param config - the config from `loadConfig` (or `readConfig`), or a `ConfigSource` that
 *   reads it (such as `fileConfigSource(paths, options)`).
 * @param webhooks - LaunchDarkly: a `LaunchDarklyClient`, or any `WebhooksPort`.
 * @param options - see {@link PlanOptions}; all optional.
 * @returns the finished plan and what it was made from; `hasChanges(run.plan)` says whether
 *   applying it would write anything (what `plan --detailed-exitcode` reports).
 * @throws {@link ConfigInvalidError} when the config has errors (nothing is sent);
 *   `OwnershipError` when the plan would change webhooks it does not own (an unmanaged webhook
 *   of a declared name without `adopt`, another owner's without `takeoverFrom`);
 *   `UnknownTargetError` for a `targets` name that nothing declares or manages; `ApiError` when
 *   LaunchDarkly cannot be read.
 *
 * @example
 * ```ts
 * import { LaunchDarklyClient, loadConfig, plan, renderText, resolveApiSettings } from 'ldhooks';
 *
 * const launchDarkly = new LaunchDarklyClient(resolveApiSettings({ env: process.env }));
 * const run = await plan(await loadConfig('webhooks/'), launchDarkly);
 * process.stdout.write(renderText(run.plan));
 * if (run.refusal) console.error(run.refusal.message);
 * ```
 */
export async function plan(
  config: ConfigReadResult | ConfigSource,
  webhooks: WebhooksPort,
  options: PlanOptions = {},
): Promise<PlanRun> {
  const read = isSource(config) ? await config.read() : config;
  refuseUnsetVariables(read);
  const env = options.env ?? environmentOf(read) ?? process.env;
  if (webhooks instanceof LaunchDarklyClient) {
    const sensitive = read.webhooks.flatMap((d) => d.sensitive);
    webhooks.redactWith(new Masker([...sensitive, ...variableEntries(sensitive, env)]));
  }
  return planRun({ read: async () => read }, webhooks, {
    ...options,
    maxDeletePercent: options.maxDeletePercent ?? DEFAULT_MAX_DELETE_PERCENT,
    env,
  });
}

/** A config read with allowMissingEnv holds placeholders: planning from it would be wrong. */
function refuseUnsetVariables(config: ConfigReadResult): void {
  const unset = config.unsetVariables ?? [];
  if (unset.length === 0) return;
  throw new ConfigInvalidError(
    config.problems,
    `cannot plan from a config read with allowMissingEnv: ${unset.join(', ')} ${unset.length === 1 ? 'is' : 'are'} not set; set ${unset.length === 1 ? 'it' : 'them'} and load the config again without allowMissingEnv`,
  );
}
