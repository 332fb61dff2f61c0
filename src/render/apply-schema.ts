import { failureSchema, problemSchema } from './plan-schema.js';

/** The `format` of an apply report. */
export const APPLY_FORMAT = 'ldhooks-apply';
/** The `format_version` of an apply report. */
export const APPLY_FORMAT_VERSION = 1;

const count = (description: string) => ({ type: 'integer', minimum: 0, description }) as const;

/**
 * The JSON Schema of `ldhooks apply --format json`: the one source of the apply report and of its
 * TypeScript types (render/apply-json.ts derives them). `ldhooks schema --apply` prints it, and
 * `npm run schemas` writes it to schemas/apply.schema.json (also `ldhooks/schemas/apply.schema.json`).
 */
export const applyJsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:ldhooks:schema:apply:1',
  title: 'ldhooks apply report',
  description:
    'The output of `ldhooks apply --format json` and `ldhooks apply --plan FILE --format json`: every operation of the plan and its outcome, and why the run failed, was refused or was interrupted. Printed also when it failed; the exit code is the same as without --format json. Holds no sensitive value: names show as the plan shows them (${NAME} templates), error messages are masked.',
  type: 'object',
  additionalProperties: false,
  required: [
    'format',
    'format_version',
    'ldhooks_version',
    'status',
    'exit_code',
    'error',
    'problems',
    'summary',
    'operations',
    'removed_copies',
    'verify_error',
  ],
  properties: {
    format: { const: APPLY_FORMAT, description: 'Marks the document as an ldhooks apply report.' },
    format_version: {
      const: APPLY_FORMAT_VERSION,
      description: 'The version of this format; changes only with incompatible changes.',
    },
    ldhooks_version: { type: 'string', description: 'The ldhooks version that applied.' },
    status: {
      enum: ['applied', 'incomplete', 'interrupted', 'refused', 'invalid', 'failed'],
      description:
        'applied: every operation was done, or there was nothing to do (exit 0). incomplete: some operations failed (exit 1). interrupted: SIGINT or SIGTERM stopped it (exit 130 or 143). refused: a guard or a stale saved plan refused it, nothing was applied (exit 3). invalid: the input is not valid, nothing was sent (exit 1). failed: LaunchDarkly or something else failed before any operation (exit 1).',
    },
    exit_code: { type: 'integer', description: 'The exit code of the run.' },
    error: failureSchema,
    problems: {
      type: 'array',
      description:
        'The problems of the configuration, errors and warnings (policy checks among them); empty for a saved plan.',
      items: problemSchema,
    },
    summary: {
      type: 'object',
      description: 'How many operations, by outcome, and what was done.',
      additionalProperties: false,
      required: [
        'operations',
        'applied',
        'failed',
        'not_started',
        'skipped',
        'created',
        'updated',
        'deleted',
      ],
      properties: {
        operations: count('Operations the plan holds (one per changed webhook).'),
        applied: count('Operations done.'),
        failed: count('Operations that failed.'),
        not_started: count('Operations not started because a signal stopped the run.'),
        skipped: count('Operations not attempted because the run was refused or failed first.'),
        created: count('Webhooks created.'),
        updated: count('Webhooks updated.'),
        deleted: count('Webhooks deleted (those found gone already among them).'),
      },
    },
    operations: {
      type: 'array',
      description: 'One entry per operation of the plan, in the order of the plan (by name).',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['action', 'name', 'id', 'outcome', 'error', 'already_gone', 'repaired'],
        properties: {
          action: { enum: ['create', 'update', 'delete'], description: 'What was to be done.' },
          name: {
            type: 'string',
            description:
              'The webhook name as the plan shows it (a value from the environment as its template).',
          },
          id: {
            type: ['string', 'null'],
            description:
              "LaunchDarkly's _id: the webhook's, or the created one's; null for a create not done.",
          },
          outcome: {
            enum: ['applied', 'failed', 'not-started', 'skipped'],
            description:
              'applied: done. failed: LaunchDarkly refused it or did not answer (see error). not-started: a signal stopped the run first. skipped: the run was refused or failed before applying.',
          },
          error: {
            type: ['string', 'null'],
            description: 'For failed: what went wrong, masked; else null.',
          },
          already_gone: {
            type: 'boolean',
            description:
              'For a delete: LaunchDarkly had no such webhook any more (the goal is met).',
          },
          repaired: {
            type: 'array',
            items: { enum: ['name', 'url', 'on', 'sign', 'secret', 'tags', 'statements'] },
            description:
              'For a create: fields LaunchDarkly did not take on create, set by a patch afterwards.',
          },
        },
      },
    },
    removed_copies: {
      type: 'array',
      description:
        'Identical copies of created webhooks that another run created at the same time, removed after the creates were verified.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'id', 'error'],
        properties: {
          name: { type: 'string', description: 'The webhook name as shown.' },
          id: { type: 'string', description: "The copy's _id." },
          error: {
            type: ['string', 'null'],
            description: 'Why it could not be removed, or null when it was.',
          },
        },
      },
    },
    verify_error: {
      type: ['string', 'null'],
      description:
        'Why the creates could not be verified by a re-list (the next plan checks them), or null.',
    },
  },
} as const;
