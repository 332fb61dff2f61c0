import type { DesiredWebhook, Plan, Statement } from '../model.js';

export const PLAN_FILE_FORMAT = 'ldhooks-plan';
export const PLAN_FILE_VERSION = 1;

/** A desired webhook as a plan file keeps it: sensitive values replaced by templates and fingerprints. */
export interface SavedDesired {
  name: string;
  url: string;
  on: boolean;
  sign: boolean;
  secret?: string;
  tags: string[];
  statements: Statement[];
  ownerTag: string;
  adopt: boolean;
  sensitive: DesiredWebhook['sensitive'];
  templates: DesiredWebhook['templates'];
  fingerprints: Partial<Record<'name' | 'url' | 'secret' | 'tags' | 'statements', string>>;
}

/** `plan --out FILE`: everything `apply --plan FILE` needs, and no sensitive value. */
export interface PlanFile {
  format: typeof PLAN_FILE_FORMAT;
  format_version: typeof PLAN_FILE_VERSION;
  ldhooks_version: string;
  base_uri: string;
  options: { adopt: boolean; targets: string[] };
  owner_tags: string[];
  salt: string;
  desired: SavedDesired[];
  /** Every managed live webhook the plan read, by id. */
  live: { id: string; name: string | null; fingerprint: string }[];
  plan: Plan;
}

const stringList = { type: 'array', items: { type: 'string' } } as const;

/** JSON Schema of a plan file (`schemas/plan.schema.json`). */
export const planFileSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:ldhooks:schema:plan-file:1',
  title: 'ldhooks saved plan',
  description:
    'Written by `ldhooks plan --out FILE`, read by `ldhooks apply --plan FILE`. Holds no sensitive value: only templates (${NAME}) and salted fingerprints.',
  type: 'object',
  required: [
    'format',
    'format_version',
    'ldhooks_version',
    'base_uri',
    'options',
    'owner_tags',
    'salt',
    'desired',
    'live',
    'plan',
  ],
  additionalProperties: false,
  properties: {
    format: { const: PLAN_FILE_FORMAT, description: 'Marks the file as an ldhooks plan.' },
    format_version: { const: PLAN_FILE_VERSION, description: 'The version of this file format.' },
    ldhooks_version: { type: 'string', description: 'The ldhooks version that wrote the plan.' },
    base_uri: { type: 'string', description: 'The LaunchDarkly API the plan was made against.' },
    options: {
      type: 'object',
      description: 'The planning options, applied again at apply time.',
      additionalProperties: false,
      required: ['adopt', 'targets'],
      properties: {
        adopt: { type: 'boolean', description: '--adopt' },
        targets: { ...stringList, description: '--target names; empty for all.' },
      },
    },
    owner_tags: { ...stringList, description: 'Owner tags whose webhooks the plan manages.' },
    salt: {
      type: 'string',
      pattern: '^[0-9a-f]{32}$',
      description: 'Random salt of the fingerprints.',
    },
    desired: {
      type: 'array',
      description: 'The desired webhooks, sensitive values masked.',
      items: {
        type: 'object',
        required: [
          'name',
          'url',
          'on',
          'sign',
          'tags',
          'statements',
          'ownerTag',
          'adopt',
          'sensitive',
          'templates',
          'fingerprints',
        ],
        additionalProperties: false,
        properties: {
          name: { type: 'string', description: 'Webhook name, or (sensitive).' },
          url: { type: 'string', description: 'URL, or (sensitive).' },
          on: { type: 'boolean', description: 'Enabled.' },
          sign: { type: 'boolean', description: 'Signed.' },
          secret: {
            const: '(sensitive)',
            description: 'Present when a secret is declared; never the value.',
          },
          tags: { ...stringList, description: 'Tags, owner tag included.' },
          statements: {
            type: 'array',
            description: 'Canonical statements.',
            items: { type: 'object' },
          },
          ownerTag: { type: 'string', description: 'The marker tag.' },
          adopt: { type: 'boolean', description: 'adopt: true' },
          sensitive: { ...stringList, description: 'Fields whose values are masked.' },
          templates: {
            type: 'object',
            description: 'Sensitive fields as written, with their ${NAME} references.',
          },
          fingerprints: {
            type: 'object',
            description: 'Salted HMAC-SHA256 of each sensitive value.',
            additionalProperties: { type: 'string', pattern: '^[0-9a-f]{64}$' },
          },
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
          name: { type: ['string', 'null'], description: 'Its name when it was read.' },
          fingerprint: {
            type: 'string',
            pattern: '^[0-9a-f]{64}$',
            description: 'Salted fingerprint of every compared field.',
          },
        },
      },
    },
    plan: { type: 'object', description: 'The plan as shown when it was saved.' },
  },
} as const;
