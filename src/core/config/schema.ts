/**
 * The JSON Schema (2020-12) of an ldhooks config file. `schemas/ldhooks.schema.json` is this
 * object, written by `npm run schemas`; a test keeps the two identical.
 */
export const TAG_PATTERN = '^[A-Za-z0-9._-]{1,64}$';
export const URL_PATTERN = '^[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#]+';
/** The owner tag of a config that sets no `ownerTag`: the marker of the webhooks ldhooks manages. */
export const DEFAULT_OWNER_TAG = 'managed-by-ldhooks';
/** Every owner tag starts with it, so that every config recognises the webhooks others own. */
export const OWNER_TAG_PREFIX = 'managed-by-';
export const OWNER_TAG_PATTERN = '^managed-by-[A-Za-z0-9._-]{1,53}$';

const stringList = <D extends string, I extends string>(description: D, itemDescription: I) =>
  ({
    description,
    type: 'array',
    minItems: 1,
    items: { type: 'string', minLength: 1, description: itemDescription },
  }) as const;

/**
 * The JSON Schema (2020-12) of a config document as ldhooks checks it, after `${NAME}`
 * interpolation. The single source of the config's TypeScript types; `publishedConfigSchema`
 * derives from it the schema editors use (`schemas/ldhooks.schema.json`).
 */
export const configSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:ldhooks:schema:config:1',
  title: 'ldhooks config',
  description:
    'LaunchDarkly webhooks declared as code. ldhooks plans and applies the difference between these files and the live account.',
  type: 'object',
  additionalProperties: false,
  required: ['version', 'webhooks'],
  properties: {
    $schema: {
      description: 'The JSON Schema this file follows; ignored by ldhooks.',
      type: 'string',
    },
    version: {
      description: 'The config format version. Always 1.',
      const: 1,
    },
    ownerTag: {
      description:
        'The marker tag that ldhooks adds to the webhooks of this file and uses to recognise the webhooks it manages: "managed-by-" and a name (1 to 53 letters, digits, ".", "_" or "-"). Live webhooks without it are never changed; those carrying another "managed-by-" tag belong to another config and are taken over only with --takeover-from. Give each repository or team its own tag to split ownership, such as managed-by-team-payments. Default: managed-by-ldhooks.',
      type: 'string',
      pattern: OWNER_TAG_PATTERN,
      default: DEFAULT_OWNER_TAG,
    },
    defaults: {
      description:
        'Values merged under every webhook of this file: on and sign apply where a webhook does not set them, tags are added to every webhook, statements apply to webhooks that declare none.',
      type: 'object',
      additionalProperties: false,
      properties: {
        on: { $ref: '#/$defs/on' },
        sign: { $ref: '#/$defs/sign' },
        tags: { $ref: '#/$defs/tags' },
        statements: { $ref: '#/$defs/statements' },
      },
    },
    webhooks: {
      description: 'The webhooks this file declares. Each name must be unique across all files.',
      type: 'array',
      items: { $ref: '#/$defs/webhook' },
    },
  },
  $defs: {
    webhook: {
      description: 'One LaunchDarkly webhook.',
      type: 'object',
      additionalProperties: false,
      required: ['name', 'url'],
      properties: {
        name: {
          description:
            'The webhook name: its identity. Required and unique across every file; renaming a webhook deletes the old one and creates a new one.',
          type: 'string',
          minLength: 1,
        },
        url: {
          description:
            'The absolute http(s) URL LaunchDarkly posts events to. Usually ${NAME} from the environment, which makes it sensitive: never printed.',
          type: 'string',
          format: 'uri',
          pattern: URL_PATTERN,
        },
        on: { $ref: '#/$defs/on' },
        secret: {
          description:
            'The signing secret: LaunchDarkly sends the hex HMAC-SHA256 of each body keyed by it in X-LD-Signature. Load it with ${NAME}; it is never printed or written. Implies sign: true.',
          type: 'string',
          minLength: 1,
        },
        sign: { $ref: '#/$defs/sign' },
        tags: { $ref: '#/$defs/tags' },
        statements: { $ref: '#/$defs/statements' },
        adopt: {
          description:
            'Take over a live webhook of the same name that ldhooks does not manage yet: it is updated in place and receives the owner tag. Default false.',
          type: 'boolean',
          default: false,
        },
      },
    },
    on: {
      description: 'Whether the webhook is enabled. Default true.',
      type: 'boolean',
      default: true,
    },
    sign: {
      description:
        'Whether deliveries are signed. Default: true when a secret is declared, else false. true without a secret: LaunchDarkly generates one and ldhooks leaves it alone.',
      type: 'boolean',
    },
    tags: {
      description:
        'Tags on the webhook: 1 to 64 letters, digits, ".", "_" or "-". Compared as a set; the owner tag is added automatically. A tag starting with managed-by- is an owner tag: set it with ownerTag, never here.',
      type: 'array',
      items: {
        description:
          'A tag: 1 to 64 letters, digits, ".", "_" or "-"; not starting with managed-by- (owner tags are set with ownerTag).',
        type: 'string',
        pattern: TAG_PATTERN,
        not: { type: 'string', pattern: '^managed-by-' },
      },
    },
    statements: {
      description:
        'Policy statements that filter which events the webhook receives. Without statements LaunchDarkly sends all flag changes in production environments.',
      type: 'array',
      items: { $ref: '#/$defs/statement' },
    },
    statement: {
      description:
        'A policy statement: an effect, exactly one of resources / notResources and exactly one of actions / notActions.',
      type: 'object',
      additionalProperties: false,
      required: ['effect'],
      properties: {
        effect: {
          description: 'allow sends matching events; deny withholds them and beats any allow.',
          enum: ['allow', 'deny'],
        },
        resources: stringList(
          'Resource specifiers this statement matches, such as proj/*:env/production:flag/*.',
          'A resource specifier: kind/name[;tag,...] segments joined by ":"; * is a glob.',
        ),
        notResources: stringList(
          'The statement matches every resource except these specifiers.',
          'A resource specifier: kind/name[;tag,...] segments joined by ":"; * is a glob.',
        ),
        actions: stringList(
          'Actions this statement matches, such as updateOn, or * for all.',
          'An action name or *.',
        ),
        notActions: stringList(
          'The statement matches every action except these.',
          'An action name.',
        ),
      },
      anyOf: [{ required: ['resources'] }, { required: ['notResources'] }],
      dependentSchemas: {
        resources: { not: { required: ['notResources'] } },
        actions: { not: { required: ['notActions'] } },
      },
      allOf: [{ anyOf: [{ required: ['actions'] }, { required: ['notActions'] }] }],
    },
  },
} as const;
