import { maskSchema } from '../core/mask.js';

/**
 * The schema of the `saved` section of a plan file: what `apply --plan` needs beyond the JSON
 * plan itself. The one source of the section's TypeScript types (saved-plan.ts derives them).
 */
const stringList = { type: 'array', items: { type: 'string' } } as const;

const mask = maskSchema;
const hex64 = { type: 'string', pattern: '^[0-9a-f]{64}$' } as const;

export const savedSectionSchema = {
  type: 'object',
  description:
    'Only in files written by plan --out: what apply --plan needs to apply exactly this plan.',
  required: [
    'base_uri',
    'options',
    'salt',
    'owner_tags',
    'owner_tags_mask',
    'desired',
    'live',
    'changes_digest',
    'seal',
  ],
  additionalProperties: false,
  properties: {
    base_uri: { type: 'string', description: 'The LaunchDarkly API the plan was made against.' },
    options: {
      type: 'object',
      description: 'The planning options, applied again at apply time.',
      additionalProperties: false,
      required: ['adopt', 'takeover_from', 'targets', 'max_delete_percent', 'allow_delete_all'],
      properties: {
        adopt: { type: 'boolean', description: '--adopt' },
        takeover_from: {
          ...stringList,
          description: '--takeover-from owner tags; empty for none.',
        },
        targets: { ...stringList, description: '--target names; empty for all.' },
        max_delete_percent: { type: 'integer', description: '--max-delete-percent' },
        allow_delete_all: { type: 'boolean', description: '--allow-delete-all' },
      },
    },
    salt: {
      type: 'string',
      pattern: '^[0-9a-f]{32}$',
      description: 'Random salt of the key that seals the file and keys the fingerprints.',
    },
    owner_tags: {
      ...stringList,
      description:
        'The owner tags of the config as shown (a tag from the environment as its template).',
    },
    owner_tags_mask: { $ref: '#/$defs/mask' },
    desired: {
      type: 'array',
      description:
        'The desired webhooks as shown: values from the environment as their templates, resolved again at apply time.',
      items: {
        type: 'object',
        required: ['webhook', 'mask', 'on', 'sign', 'adopt', 'fingerprint'],
        additionalProperties: false,
        properties: {
          webhook: {
            type: 'object',
            description: 'name, url, tags (owner tag included), statements and owner tag as shown.',
            additionalProperties: false,
            required: ['name', 'url', 'tags', 'statements', 'owner_tag'],
            properties: {
              name: { type: 'string', description: 'Name.' },
              owner_tag: { type: 'string', description: 'The marker tag.' },
              url: { type: 'string', description: 'URL.' },
              tags: { ...stringList, description: 'Tags.' },
              statements: { type: 'array', items: { type: 'object' }, description: 'Statements.' },
            },
          },
          mask: { $ref: '#/$defs/mask' },
          on: { type: 'boolean', description: 'Enabled.' },
          sign: { type: 'boolean', description: 'Signed.' },
          secret_template: {
            type: 'string',
            description: 'The secret as written (${NAME}); absent when no secret is declared.',
          },
          adopt: { type: 'boolean', description: 'adopt: true' },
          fingerprint: { ...hex64, description: 'Salted HMAC-SHA256 of the resolved values.' },
        },
      },
    },
    live: {
      type: 'array',
      description: 'Every managed live webhook the plan read.',
      items: {
        type: 'object',
        required: ['id', 'name', 'fingerprint'],
        additionalProperties: false,
        properties: {
          id: { type: 'string', description: "LaunchDarkly's _id." },
          name: { type: ['string', 'null'], description: 'Its name when it was read (as shown).' },
          fingerprint: { ...hex64, description: 'Salted fingerprint of every compared field.' },
        },
      },
    },
    changes_digest: {
      ...hex64,
      description: 'SHA-256 of the changes as planned: apply re-plans and must find the same.',
    },
    seal: {
      ...hex64,
      description:
        'HMAC-SHA256 over the whole file but this field, keyed by scrypt(LDHOOKS_PLAN_KEY, else the access token; salt): any edit is refused.',
    },
  },
  $defs: { mask },
} as const;
