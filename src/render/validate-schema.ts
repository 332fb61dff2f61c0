import { problemSchema } from './plan-schema.js';

/** The `format` of a validation report. */
export const VALIDATE_FORMAT = 'ldhooks-validate';
/** The `format_version` of a validation report. */
export const VALIDATE_FORMAT_VERSION = 1;

/**
 * The JSON Schema of `ldhooks validate --format json`, beside those of the plan and the apply
 * report: `ldhooks schema --validate` prints it, and `npm run schemas` writes it to
 * schemas/validate.schema.json (also `ldhooks/schemas/validate.schema.json`).
 */
export const validateJsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:ldhooks:schema:validate:1',
  title: 'ldhooks validation report',
  description:
    'The output of `ldhooks validate --format json`: whether the configuration is valid, and every problem with its place and remedy. The exit code is the same as without --format json (1 when not valid). Holds no value from the environment: such values show as their ${NAME} templates.',
  type: 'object',
  additionalProperties: false,
  required: [
    'format',
    'format_version',
    'ldhooks_version',
    'valid',
    'files',
    'webhooks',
    'problems',
  ],
  properties: {
    format: {
      const: VALIDATE_FORMAT,
      description: 'Marks the document as an ldhooks validation report.',
    },
    format_version: {
      const: VALIDATE_FORMAT_VERSION,
      description: 'The version of this format; changes only with incompatible changes.',
    },
    ldhooks_version: { type: 'string', description: 'The ldhooks version that validated.' },
    valid: { type: 'boolean', description: 'No problem is an error (warnings are allowed).' },
    files: {
      type: 'array',
      items: { type: 'string' },
      description: 'Every file that was read, as shown to the user.',
    },
    webhooks: { type: 'integer', minimum: 0, description: 'How many webhooks the files declare.' },
    problems: {
      type: 'array',
      description: 'Every problem, errors and warnings, sorted by file, line and column.',
      items: problemSchema,
    },
    unset_variables: {
      type: 'array',
      items: { type: 'string' },
      description:
        'With --allow-missing-env: the variables that were not set, treated as unknown placeholders.',
    },
  },
} as const;
