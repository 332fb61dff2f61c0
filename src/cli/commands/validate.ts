import { type Command, Option } from 'commander';
import { readConfig } from '../../adapters/fs/config-source.js';
import { hasErrors } from '../../core/problem.js';
import { type CliIO, printProblems, writeDocument, writeLine } from '../io.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

interface ValidateFlags {
  format: 'text' | 'json';
  strict?: boolean;
  allowMissingEnv?: boolean;
}

export function registerValidate(
  program: Command,
  io: CliIO,
  setExit: (code: number) => void,
): void {
  program
    .command('validate')
    .summary('check config files offline: YAML, schema, cross-file rules and policies')
    .description(
      'Check config files without touching the network: YAML syntax, the JSON\n' +
        'Schema, unset environment variables, duplicate names across files, and the\n' +
        'rules between fields. Every problem is printed as\n' +
        '  file:line:col  path  message  (remedy)\n\n' +
        'PATH is a config file or a directory searched recursively for .yaml and\n' +
        '.yml files (dot-directories and node_modules are skipped). Default: the\n' +
        'current directory.\n\n' +
        'Policy statements are checked too: the shape of every resource specifier\n' +
        '(errors), unknown kinds and actions and lint findings (warnings;\n' +
        '--strict makes them errors).\n\n' +
        'Exit status: 0 valid (warnings allowed), 1 at least one error.',
    )
    .argument('[PATH...]', 'config files or directories (default: .)')
    .addOption(
      new Option('--format <format>', 'text, or json for tools')
        .choices(['text', 'json'])
        .default('text'),
    )
    .option(
      '--strict',
      'treat warnings (unknown policy kinds and actions, lint findings) as errors',
    )
    .option(
      '--allow-missing-env',
      'treat unset ${NAME} as unknown placeholders and run every check that does not need their values (a pull request from a fork has no secrets)',
    )
    .action(async (paths: string[], flags: ValidateFlags) => {
      const read = await readConfig(paths, {
        env: io.env,
        cwd: io.cwd,
        fs: io.fs,
        allowMissingEnv: flags.allowMissingEnv ?? false,
      });
      const result = flags.strict
        ? { ...read, problems: read.problems.map((p) => ({ ...p, severity: 'error' as const })) }
        : read;
      if (flags.format === 'json') {
        // Only this format needs the renderer and the version: loaded here, not at every start.
        const { renderProblemsJson } = await import('../../render/json.js');
        const { VERSION } = await import('../../version.js');
        writeDocument(
          io.stdout,
          renderProblemsJson(
            {
              files: result.files,
              webhooks: result.webhooks.length,
              problems: result.problems,
              ...(read.unsetVariables ? { unsetVariables: read.unsetVariables } : {}),
            },
            VERSION,
          ),
        );
        if (hasErrors(result.problems)) setExit(1);
        return;
      }
      printProblems(result.problems, io);
      if (read.unsetVariables && read.unsetVariables.length > 0) {
        writeLine(
          io.stderr,
          `not set, so treated as unknown (the checks that need their values were passed by): ${read.unsetVariables.join(', ')}`,
        );
      }
      const errors = result.problems.filter((p) => p.severity === 'error').length;
      const warnings = result.problems.length - errors;
      const files = plural(result.files.length, 'file');
      if (hasErrors(result.problems)) {
        const warned = warnings > 0 ? `, ${plural(warnings, 'warning')}` : '';
        writeLine(
          io.stderr,
          `${files}: ${plural(errors, 'error')}${warned}; the configuration is not valid`,
        );
        setExit(1);
        return;
      }
      const warned = warnings > 0 ? ` (${plural(warnings, 'warning')})` : '';
      writeLine(
        io.stdout,
        `${files}, ${plural(result.webhooks.length, 'webhook')}, valid${warned}`,
      );
    });
}
