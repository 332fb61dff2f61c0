import { variablesOf } from '../mask.js';
import type { ConfigReadResult } from '../port.js';

/**
 * The environment values a config was read with, by the config: `plan` masks them wherever they
 * appear (a project key inside a live resource) with the same environment the config read,
 * whichever entry read it (`readConfig`, `fileConfigSource`, `loadConfig`), without the caller
 * passing it again. Kept beside the config rather than on it: the config stays plain data that
 * serializes without them, and only the variables its templates name are kept.
 */
const environments = new WeakMap<ConfigReadResult, Record<string, string>>();

/** Remembers the values of the variables the config's templates name, from `env`. */
export function rememberEnvironment(
  config: ConfigReadResult,
  env: Readonly<Record<string, string | undefined>>,
): void {
  const used: Record<string, string> = {};
  for (const e of config.webhooks.flatMap((d) => d.sensitive)) {
    for (const name of variablesOf(e.shown)) {
      const value = env[name];
      if (value !== undefined) used[name] = value;
    }
  }
  environments.set(config, used);
}

/** The environment values the config was read with, when a reader of this package read it. */
export function environmentOf(config: ConfigReadResult): Record<string, string> | undefined {
  return environments.get(config);
}
