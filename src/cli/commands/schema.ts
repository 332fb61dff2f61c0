import type { Command } from 'commander';
import { publishedConfigSchema } from '../../core/config/published-schema.js';
import { type CliIO, writeLine } from '../io.js';
import { planFileSchema } from '../plan-file-schema.js';

export function registerSchema(program: Command, io: CliIO): void {
  program
    .command('schema')
    .summary('print the JSON Schema of the config format')
    .description(
      'Print the JSON Schema (2020-12) of the config format, for editors and other tools.\n' +
        'The same schema ships as schemas/ldhooks.schema.json in the package.\n' +
        'With --plan, print the schema of saved plan files (schemas/plan.schema.json).',
    )
    .option('--plan', 'print the schema of a saved plan file instead')
    .action((flags: { plan?: boolean }) => {
      writeLine(
        io.stdout,
        JSON.stringify(flags.plan ? planFileSchema : publishedConfigSchema, null, 2),
      );
    });
}
