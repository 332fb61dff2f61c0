import type {
  ChangeAction,
  DesiredWebhook,
  FieldChange,
  PatchOperation,
  Plan,
  WebhookView,
} from '../model.js';
import { SENSITIVE } from '../model.js';

export const PLAN_FILE_FORMAT = 'ldhooks-plan';
export const PLAN_FILE_VERSION = 1;

/** A desired webhook as a saved plan keeps it: sensitive values replaced by templates and fingerprints. */
export type SavedDesired = Omit<DesiredWebhook, 'secret' | 'origin' | 'statementSources'> & {
  /** `(sensitive)` when a secret is declared; never the value. */
  secret?: string;
  fingerprints: Partial<Record<'name' | 'url' | 'secret' | 'tags' | 'statements', string>>;
};

/** What `apply --plan` needs beyond the plan itself; only in files written by `plan --out`. */
export interface SavedSection {
  base_uri: string;
  options: { adopt: boolean; targets: string[] };
  salt: string;
  desired: SavedDesired[];
  /** Every managed live webhook the plan read, by id. */
  live: { id: string; name: string | null; fingerprint: string }[];
}

export type SensitiveMask = Partial<Record<keyof WebhookView, true>>;

export interface ChangeJson {
  name: string;
  id: string | null;
  /** Terraform-like: ["create"], ["update"], ["delete"] or ["no-op"]. */
  actions: [ChangeAction];
  reason: string;
  before: WebhookView | null;
  after: WebhookView | null;
  /** Which fields of before/after hold the (sensitive) marker instead of a value. */
  before_sensitive: SensitiveMask;
  after_sensitive: SensitiveMask;
  fields: FieldChange[];
  patch: PatchOperation[];
}

/** The plan as JSON (`plan --format json`), and the body of a saved plan. */
export interface PlanJson {
  format: typeof PLAN_FILE_FORMAT;
  format_version: typeof PLAN_FILE_VERSION;
  ldhooks_version: string;
  summary: { create: number; update: number; delete: number; no_op: number; unmanaged: number };
  managed: number;
  owner_tags: string[];
  targets: string[] | null;
  changes: ChangeJson[];
  saved?: SavedSection;
}

export type PlanFile = PlanJson & { saved: SavedSection };

function mask(view: WebhookView | undefined): SensitiveMask {
  const out: SensitiveMask = {};
  if (!view) return out;
  for (const key of ['name', 'url', 'secret', 'tags'] as const) {
    const v = view[key];
    if (v === SENSITIVE || (Array.isArray(v) && v.includes(SENSITIVE))) out[key] = true;
  }
  return out;
}

/** The plan in its versioned JSON form, with a fixed key order. Pure. */
export function toPlanJson(plan: Plan, ldhooksVersion: string): PlanJson {
  return {
    format: PLAN_FILE_FORMAT,
    format_version: PLAN_FILE_VERSION,
    ldhooks_version: ldhooksVersion,
    summary: {
      create: plan.summary.create,
      update: plan.summary.update,
      delete: plan.summary.delete,
      no_op: plan.summary.noop,
      unmanaged: plan.summary.unmanaged,
    },
    managed: plan.managed,
    owner_tags: plan.ownerTags,
    targets: plan.targets ?? null,
    changes: plan.changes.map((c) => ({
      name: c.name,
      id: c.id ?? null,
      actions: [c.action],
      reason: c.reason,
      before: c.before ?? null,
      after: c.after ?? null,
      before_sensitive: mask(c.before),
      after_sensitive: mask(c.after),
      fields: c.fields,
      patch: c.patch,
    })),
  };
}

const stringList = { type: 'array', items: { type: 'string' } } as const;

const view = {
  type: ['object', 'null'],
  description:
    'A webhook as the plan shows it; sensitive values are "(sensitive)", owner tags hidden.',
  additionalProperties: false,
  required: ['url', 'on', 'sign', 'tags', 'statements'],
  properties: {
    name: { type: 'string', description: 'Name.' },
    url: { type: 'string', description: 'URL (a live URL shows its origin only).' },
    on: { type: 'boolean', description: 'Enabled.' },
    sign: { type: 'boolean', description: 'Signed.' },
    secret: {
      const: SENSITIVE,
      description: 'Present when the webhook has a secret; never the value.',
    },
    tags: { ...stringList, description: 'Tags without owner tags.' },
    statements: { type: 'array', items: { type: 'object' }, description: 'Canonical statements.' },
  },
} as const;

const sensitiveMask = {
  type: 'object',
  description: 'true for each field of the view that holds "(sensitive)" instead of a value.',
  additionalProperties: { const: true },
} as const;

/** JSON Schema of the JSON plan and of saved plans (`schemas/plan.schema.json`). */
export const planFileSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:ldhooks:schema:plan:1',
  title: 'ldhooks plan',
  description:
    'The output of `ldhooks plan --format json`, and of `ldhooks plan --out FILE`, which adds the `saved` section that `ldhooks apply --plan FILE` needs. Holds no sensitive value: only the (sensitive) marker, ${NAME} templates and salted fingerprints.',
  type: 'object',
  required: [
    'format',
    'format_version',
    'ldhooks_version',
    'summary',
    'managed',
    'owner_tags',
    'targets',
    'changes',
  ],
  additionalProperties: false,
  properties: {
    format: { const: PLAN_FILE_FORMAT, description: 'Marks the document as an ldhooks plan.' },
    format_version: {
      const: PLAN_FILE_VERSION,
      description: 'The version of this format; changes only with incompatible changes.',
    },
    ldhooks_version: { type: 'string', description: 'The ldhooks version that made the plan.' },
    summary: {
      type: 'object',
      description: 'How many changes of each kind, and how many live webhooks are not managed.',
      additionalProperties: false,
      required: ['create', 'update', 'delete', 'no_op', 'unmanaged'],
      properties: {
        create: { type: 'integer', description: 'Webhooks to create.' },
        update: { type: 'integer', description: 'Webhooks to update (adoptions included).' },
        delete: { type: 'integer', description: 'Webhooks to delete.' },
        no_op: { type: 'integer', description: 'Webhooks that match the config.' },
        unmanaged: {
          type: 'integer',
          description: 'Live webhooks without an owner tag: never touched.',
        },
      },
    },
    managed: { type: 'integer', description: 'Live webhooks carrying an owner tag of the config.' },
    owner_tags: { ...stringList, description: 'Owner tags whose webhooks the plan manages.' },
    targets: {
      type: ['array', 'null'],
      items: { type: 'string' },
      description: '--target names, or null for all.',
    },
    changes: {
      type: 'array',
      description: 'One entry per webhook, sorted by name.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: [
          'name',
          'id',
          'actions',
          'reason',
          'before',
          'after',
          'before_sensitive',
          'after_sensitive',
          'fields',
          'patch',
        ],
        properties: {
          name: { type: 'string', description: 'The webhook name (its identity).' },
          id: {
            type: ['string', 'null'],
            description: "LaunchDarkly's _id, or null for a create.",
          },
          actions: {
            type: 'array',
            minItems: 1,
            maxItems: 1,
            items: { enum: ['create', 'update', 'delete', 'no-op'] },
            description: 'What happens: ["create"], ["update"], ["delete"] or ["no-op"].',
          },
          reason: {
            enum: [
              'not in LaunchDarkly',
              'not in config',
              'differs from config',
              'adopt',
              'matches config',
            ],
            description: 'Why.',
          },
          before: { ...view, description: 'The live webhook, or null for a create.' },
          after: { ...view, description: 'The desired webhook, or null for a delete.' },
          before_sensitive: sensitiveMask,
          after_sensitive: sensitiveMask,
          fields: {
            type: 'array',
            description: 'For an update: the fields that change.',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['field', 'before', 'after', 'sensitive'],
              properties: {
                field: {
                  enum: ['name', 'url', 'on', 'sign', 'secret', 'tags', 'statements'],
                  description: 'The field.',
                },
                before: { description: 'Old value, or "(sensitive)".' },
                after: { description: 'New value, or "(sensitive)".' },
                sensitive: { type: 'boolean', description: 'Whether the values are masked.' },
              },
            },
          },
          patch: {
            type: 'array',
            description: 'For an update: the JSON Patch operations, sensitive values masked.',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['op', 'path'],
              properties: {
                op: { enum: ['add', 'remove', 'replace', 'test'], description: 'Operation.' },
                path: { type: 'string', description: 'JSON Pointer.' },
                value: { description: 'Value, or "(sensitive)".' },
              },
            },
          },
        },
      },
    },
    saved: {
      type: 'object',
      description:
        'Only in files written by plan --out: what apply --plan needs to apply exactly this plan.',
      required: ['base_uri', 'options', 'salt', 'desired', 'live'],
      additionalProperties: false,
      properties: {
        base_uri: {
          type: 'string',
          description: 'The LaunchDarkly API the plan was made against.',
        },
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
              ...view.properties,
              tags: { ...stringList, description: 'Tags, owner tag included.' },
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
      },
    },
  },
} as const;
