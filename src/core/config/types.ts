import type { FromSchema } from 'json-schema-to-ts';
import { configSchema as schema } from './schema.js';

/**
 * The config types, derived from the schema itself so the two cannot drift. The schema's `$ref`s
 * are resolved here by composition, at the type level only: the published schema keeps them.
 */
type Options = { keepDefaultedPropertiesOptional: true };

const statements = { type: 'array', items: schema.$defs.statement } as const;
const shared = {
  on: schema.$defs.on,
  sign: schema.$defs.sign,
  tags: schema.$defs.tags,
  statements,
} as const;
const webhook = {
  ...schema.$defs.webhook,
  properties: { ...schema.$defs.webhook.properties, ...shared },
} as const;
const defaults = { ...schema.properties.defaults, properties: shared } as const;
const document = {
  ...schema,
  properties: {
    ...schema.properties,
    defaults,
    webhooks: { ...schema.properties.webhooks, items: webhook },
  },
} as const;

/** A LaunchDarkly policy statement, as written and as sent. */
export type Statement = FromSchema<typeof schema.$defs.statement, Options>;
/** One webhook as written in a config file (after `${NAME}` interpolation). */
export type WebhookConfig = FromSchema<typeof webhook, Options>;
/** One config document as written. */
export type ConfigDocument = FromSchema<typeof document, Options>;
export type Effect = Statement['effect'];
