import type { Command } from 'commander';
import { publishedConfigSchema } from '../../core/config/published-schema.js';
import { applyJsonSchema } from '../../render/apply-schema.js';
import { validateJsonSchema } from '../../render/validate-schema.js';
import { CliError, type CliIO, writeLine } from '../io.js';
import { planFileSchema } from '../plan-file-schema.js';

export function registerSchema(program: Command, io: CliIO): void {
  program
    .command('schema')
    .summary('print the JSON Schema of the config format')
    .description(
      'Print the JSON Schema (2020-12) of the config format, for editors and\n' +
        'other tools. The same schema ships as schemas/ldhooks.schema.json in the\n' +
        'package. With --plan, print the schema of plan --format json and saved\n' +
        'plan files (schemas/plan.schema.json); with --apply, that of apply\n' +
        '--format json (schemas/apply.schema.json); with --validate, that of\n' +
        'validate --format json (schemas/validate.schema.json).',
    )
    .option('--plan', 'print the schema of the JSON plan and saved plan files instead')
    .option('--apply', 'print the schema of the JSON apply report instead')
    .option('--validate', 'print the schema of the JSON validation report instead')
    .action((flags: { plan?: boolean; apply?: boolean; validate?: boolean }) => {
      const chosen = (['plan', 'apply', 'validate'] as const).filter((f) => flags[f]);
      if (chosen.length > 1)
        throw new CliError(
          `schema takes one of --plan, --apply and --validate, not ${chosen.map((f) => `--${f}`).join(' and ')}`,
        );
      const schema = flags.plan
        ? planFileSchema
        : flags.apply
          ? applyJsonSchema
          : flags.validate
            ? validateJsonSchema
            : publishedConfigSchema;
      writeLine(io.stdout, JSON.stringify(schema, null, 2));
    });
}
