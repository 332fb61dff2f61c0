import { LaunchDarklyClient } from '../adapters/launchdarkly/client.js';
import { environmentOf } from '../core/config/read-environment.js';
import { Masker, variableEntries } from '../core/mask.js';
import {
  checkOptions,
  isBoolean,
  isEnvironment,
  isMaskEntries,
  isNumberIn,
  isString,
  isStringList,
  kindOf,
  type OptionCheck,
} from '../core/options.js';
import type { ConfigReadResult, ConfigSource, WebhooksPort } from '../core/port.js';
import { ConfigInvalidError } from '../engine/errors.js';
import {
  type PlanOptions as EnginePlanOptions,
  type PlanRun,
  plan as planRun,
} from '../engine/plan.js';

/** The deletion guard's threshold when none is given: the CLI's default. */
export const DEFAULT_MAX_DELETE_PERCENT = 25;

/**
 * How {@link plan} plans: the CLI's plan options, every one optional.
 *
 * - `maxDeletePercent` (default 25) and `allowDeleteAll` (default false): the deletion guards,
 *   as `--max-delete-percent` and `--allow-delete-all`;
 * - `adopt`, `takeoverFrom`, `targets`: as `--adopt`, `--takeover-from`, `--target`;
 * - `env`: the environment whose values the plan masks. Default: the one the config was read
 *   with (by `loadConfig`, `readConfig` or `fileConfigSource`), else `process.env`; given one,
 *   the values of both are masked;
 * - `secrets`: more values never to show, each with what to show instead. The CLI passes the
 *   access token, `[{ value: token, shown: '(access token)' }]`, so that a server that puts it
 *   in a webhook's name or URL cannot make the plan show it; the client hides it from errors
 *   by itself.
 */
export type PlanOptions = Partial<EnginePlanOptions>;

/** Every option of {@link plan}, checked at the entry. */
const PLAN_OPTIONS: Record<keyof PlanOptions, OptionCheck> = {
  adopt: isBoolean,
  takeoverFrom: isStringList,
  targets: isStringList,
  maxDeletePercent: isNumberIn(0, 100),
  maxDeletePercentFrom: isString,
  allowDeleteAll: isBoolean,
  env: isEnvironment,
  secrets: isMaskEntries,
};

/** The config argument: a config read (`loadConfig`, `readConfig`) or a source that reads one. */
function checkConfig(entry: string, config: unknown): void {
  if (typeof config === 'object' && config !== null) {
    if (typeof (config as ConfigSource).read === 'function') return;
    const c = config as Partial<Record<keyof ConfigReadResult, unknown>>;
    if (['files', 'webhooks', 'ownerTags', 'problems'].every((k) => Array.isArray(c[k as 'files'])))
      return;
  }
  throw new TypeError(
    `${entry}: config must be what loadConfig or readConfig returns, or a ConfigSource (such as fileConfigSource(...)), not ${kindOf(config)}`,
  );
}

/** The LaunchDarkly argument: a `LaunchDarklyClient`, or another `WebhooksPort`. */
export function checkPort(entry: string, webhooks: unknown): void {
  const port = webhooks as Partial<Record<keyof WebhooksPort, unknown>> | null;
  if (
    typeof port === 'object' &&
    port !== null &&
    (['list', 'create', 'update', 'remove'] as const).every((m) => typeof port[m] === 'function')
  )
    return;
  throw new TypeError(
    `${entry}: webhooks must be a LaunchDarklyClient (or another WebhooksPort: list, create, update, remove), not ${kindOf(webhooks)}`,
  );
}

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
 * @throws `TypeError` or `RangeError` before anything is read or sent, for an argument or an
 *   option of the wrong type or out of range (a `maxDeletePercent` that is not a number from 0 to
 *   100, an unknown option): never a default in its place.
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
  checkConfig('plan', config);
  checkPort('plan', webhooks);
  checkOptions('plan', options, PLAN_OPTIONS);
  const read = isSource(config) ? await config.read() : config;
  checkConfig('plan', read);
  refuseUnsetVariables(read);
  // The environment the config was read with, whichever entry read it; given another too,
  // the values of both are masked.
  const readWith = environmentOf(read);
  const env = options.env ?? readWith ?? process.env;
  const sensitive = read.webhooks.flatMap((d) => d.sensitive);
  const alsoRead = readWith && options.env ? variableEntries(sensitive, readWith) : [];
  if (webhooks instanceof LaunchDarklyClient) {
    webhooks.redactWith(
      new Masker([...sensitive, ...variableEntries(sensitive, env), ...alsoRead]),
    );
  }
  return planRun({ read: async () => read }, webhooks, {
    ...options,
    maxDeletePercent: options.maxDeletePercent ?? DEFAULT_MAX_DELETE_PERCENT,
    env,
    secrets: [...(options.secrets ?? []), ...alsoRead],
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
