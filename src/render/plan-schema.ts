import { FAILURE_KINDS } from '../core/failure.js';
import { maskSchema } from '../core/mask.js';

/**
 * The JSON Schema of `ldhooks plan --format json`: the one source of the plan JSON and of its
 * TypeScript types (render/json.ts derives them). A saved plan is this document plus a `saved`
 * section, whose schema the engine owns; `ldhooks schema --plan` prints the two joined, and
 * `npm run schemas` writes them to schemas/plan.schema.json.
 */
export const PLAN_FORMAT = 'ldhooks-plan';
export const PLAN_FORMAT_VERSION = 2;

const stringList = { type: 'array', items: { type: 'string' } } as const;

const mask = maskSchema;

const view = {
  type: ['object', 'null'],
  description:
    'A webhook as the plan shows it. A value from the environment shows as its template as written (${NAME}), a secret as "(sensitive)" (or "(generated)", made when applied); the mask beside it says which values are masked. Owner tags are hidden.',
  additionalProperties: false,
  required: ['url', 'on', 'sign', 'tags', 'statements'],
  properties: {
    name: { type: 'string', description: 'Name.' },
    url: { type: 'string', description: 'URL (a live URL shows its origin only).' },
    on: { type: 'boolean', description: 'Enabled.' },
    sign: { type: 'boolean', description: 'Signed.' },
    secret: {
      enum: ['(sensitive)', '(generated)'],
      description:
        'Present when the webhook is signed; never the value. "(generated)": no config holds the secret, and applying the plan makes one (LaunchDarkly for a create, ldhooks for an update that turns signing on).',
    },
    tags: { ...stringList, description: 'Tags without owner tags.' },
    statements: {
      type: 'array',
      items: { type: 'object' },
      description: 'Canonical statements.',
    },
  },
} as const;

/** A problem of the configuration, as `validate --format json` lists it too. */
export const problemSchema = {
  type: 'object',
  description:
    'A problem of the configuration: an error (the config cannot be used) or a warning (a policy check, say).',
  additionalProperties: false,
  required: ['severity', 'code', 'file', 'line', 'column', 'path', 'message', 'remedy'],
  properties: {
    severity: { enum: ['error', 'warning'], description: 'Error or warning.' },
    code: { type: 'string', description: 'A stable identifier, such as schema.unknown-key.' },
    file: { type: 'string', description: 'The file, as named on the command line.' },
    line: { type: 'integer', description: '1-based line; 0 for the file as a whole.' },
    column: { type: 'integer', description: '1-based column; 0 for the file as a whole.' },
    path: {
      type: 'string',
      description: 'Where in the document (webhooks[2].url); empty for the document itself.',
    },
    message: { type: 'string', description: 'What is wrong.' },
    remedy: { type: ['string', 'null'], description: 'What to do, or null.' },
  },
} as const;

/** Why a run failed or was refused, in the plan and apply reports; null when it did not. */
export const failureSchema = {
  type: ['object', 'null'],
  description:
    'Why the run failed or was refused, or null when it did not. Holds no sensitive value, as standard error does not.',
  additionalProperties: false,
  required: ['kind', 'message', 'remedy', 'exit_code', 'guard', 'request'],
  properties: {
    kind: {
      enum: FAILURE_KINDS,
      description:
        'config, ownership, target (--target), settings (token, base URI), input (an option or setting), plan-file (a saved plan that cannot be used): the input is not valid. guard, stale-plan: refused. api: a LaunchDarkly request failed. apply, interrupted: an apply that did not finish. error: anything else.',
    },
    message: { type: 'string', description: 'What went wrong, as standard error says it.' },
    remedy: { type: ['string', 'null'], description: 'What to do, or null.' },
    exit_code: { type: 'integer', description: 'The exit code of the run.' },
    guard: {
      type: ['object', 'null'],
      description: 'For kind guard: the guard and the option that allows what it refused.',
      additionalProperties: false,
      required: ['name', 'override'],
      properties: {
        name: { enum: ['empty-config', 'max-delete-percent'], description: 'The guard.' },
        override: {
          type: 'string',
          description: 'The option that allows it: --allow-delete-all, --max-delete-percent P.',
        },
      },
    },
    request: {
      type: ['object', 'null'],
      description: 'For kind api: the request that failed.',
      additionalProperties: false,
      required: ['method', 'path', 'status', 'request_id'],
      properties: {
        method: { type: 'string', description: 'HTTP method.' },
        path: { type: 'string', description: 'Path of the request.' },
        status: {
          type: ['integer', 'null'],
          description: 'HTTP status, or null when no answer came (network, timeout).',
        },
        request_id: {
          type: ['string', 'null'],
          description: "LaunchDarkly's request id, for its support.",
        },
      },
    },
  },
} as const;

/** The fields of a plan: present when a plan was made (status ok or refused, and after). */
export const PLAN_FIELDS = [
  'summary',
  'managed',
  'owner_tags',
  'targets',
  'changes',
  'unmanaged',
] as const;

/**
 * The JSON Schema of `plan --format json` (`schemas/plan.schema.json`): the versioned plan
 * format, also of a run that failed or was refused, and the source of the `PlanJson` type.
 */
export const planJsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:ldhooks:schema:plan:2',
  title: 'ldhooks plan',
  description:
    'The output of `ldhooks plan --format json`, and of `ldhooks plan --out FILE`, which adds the `saved` section that `ldhooks apply --plan FILE` needs. When plan fails or is refused it still prints this document: `status` and `error` say why, `problems` lists the config\'s problems, and the plan\'s fields are present when a plan was made. Holds no sensitive value: values from the environment show as their ${NAME} templates, secrets as "(sensitive)".',
  type: 'object',
  required: ['format', 'format_version', 'ldhooks_version', 'status', 'error', 'problems'],
  additionalProperties: false,
  properties: {
    format: { const: PLAN_FORMAT, description: 'Marks the document as an ldhooks plan.' },
    format_version: {
      const: PLAN_FORMAT_VERSION,
      description: 'The version of this format; changes only with incompatible changes.',
    },
    ldhooks_version: { type: 'string', description: 'The ldhooks version that made the plan.' },
    status: {
      enum: ['ok', 'invalid', 'refused', 'failed'],
      description:
        'ok: planned (exit 0, or 2 with --detailed-exitcode). invalid: the input is not valid (exit 1). refused: a guard refused the plan shown (exit 3). failed: LaunchDarkly or something else failed (exit 1).',
    },
    error: failureSchema,
    problems: {
      type: 'array',
      description:
        'The problems of the configuration, errors and warnings (policy checks among them), sorted by file, line and column.',
      items: problemSchema,
    },
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
          description:
            'Live webhooks without an owner tag of the config (unmanaged, or owned by another config): never touched. Listed in unmanaged.',
        },
      },
    },
    managed: { type: 'integer', description: 'Live webhooks carrying an owner tag of the config.' },
    owner_tags: { ...stringList, description: 'Owner tags whose webhooks the plan manages.' },
    targets: {
      type: ['array', 'null'],
      items: { type: 'string' },
      description: '--target names (as shown), or null for all.',
    },
    changes: {
      type: 'array',
      description: 'One entry per webhook, sorted by name as shown.',
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
          'patch_sensitive',
          'taken_over_from',
        ],
        properties: {
          name: { type: 'string', description: 'The webhook name as shown (its identity).' },
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
              'duplicate',
            ],
            description:
              'Why. "duplicate": an identical copy of another managed webhook of the same name, as two applies running at once leave behind; ldhooks keeps the one with the smallest id.',
          },
          before: { ...view, description: 'The live webhook, or null for a create.' },
          after: { ...view, description: 'The desired webhook, or null for a delete.' },
          before_sensitive: { $ref: '#/$defs/mask' },
          after_sensitive: { $ref: '#/$defs/mask' },
          fields: {
            type: 'array',
            description: 'For an update: the fields that change.',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['field', 'before', 'after', 'before_sensitive', 'after_sensitive'],
              properties: {
                field: {
                  enum: ['name', 'url', 'on', 'sign', 'secret', 'tags', 'statements'],
                  description: 'The field.',
                },
                before: { description: 'Old value as shown; null for none.' },
                after: { description: 'New value as shown; null for none.' },
                before_sensitive: { $ref: '#/$defs/mask' },
                after_sensitive: { $ref: '#/$defs/mask' },
              },
            },
          },
          patch: {
            type: 'array',
            description: 'For an update: the JSON Patch operations apply sends, as shown.',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['op', 'path'],
              properties: {
                op: { enum: ['add', 'remove', 'replace', 'test'], description: 'Operation.' },
                path: { type: 'string', description: 'JSON Pointer.' },
                value: {
                  description:
                    'Value as shown: a secret as "(sensitive)", one made when applied as "(generated)".',
                },
              },
            },
          },
          patch_sensitive: { $ref: '#/$defs/mask' },
          taken_over_from: {
            type: ['string', 'null'],
            description:
              'For an adoption of a webhook another config owns (--takeover-from): that config\'s owner tag, which the update replaces with ours (several are joined with ", "). Null otherwise.',
          },
        },
      },
    },
    unmanaged: {
      type: 'array',
      description:
        'The live webhooks the plan leaves alone, by name then id: unmanaged ones (owner null) and those another config owns (owner: its "managed-by-" tag). Always present, whatever --target; adopted webhooks are not listed.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'name', 'owner'],
        properties: {
          id: { type: 'string', description: "LaunchDarkly's _id." },
          name: {
            type: ['string', 'null'],
            description:
              'The name as shown (a value from the environment as its template), or null.',
          },
          owner: {
            type: ['string', 'null'],
            description: 'The owner tag of the config that owns it, or null when no config does.',
          },
        },
      },
    },
  },
  allOf: [
    {
      if: { properties: { status: { const: 'ok' } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, never awaited
      then: { properties: { error: { type: 'null' } } },
      else: { properties: { error: { type: 'object' } } },
    },
    {
      if: { properties: { status: { enum: ['ok', 'refused'] } } },
      // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, never awaited
      then: { required: PLAN_FIELDS },
    },
  ],
  $defs: { mask },
} as const;
