import { Command } from 'commander';
import { VERSION } from '../version.js';
import { registerApply } from './commands/apply.js';
import { registerEmulator } from './commands/emulator.js';
import { registerExplain } from './commands/explain.js';
import { registerImport } from './commands/import.js';
import { registerPing } from './commands/ping.js';
import { registerPlan } from './commands/plan.js';
import { registerReceiver } from './commands/receiver.js';
import { registerSchema } from './commands/schema.js';
import { registerValidate } from './commands/validate.js';
import { reportFailure } from './exit.js';
import type { CliIO } from './io.js';

/**
 * Builds the commander program. Failures become exit codes in one place: `reportFailure`.
 */
export function buildProgram(io: CliIO, setExit: (code: number) => void): Command {
  const program = new Command('ldhooks')
    .description(
      'LaunchDarkly webhooks as code: declare webhooks and their policy statements\n' +
        'in YAML, validate them, plan the changes against the live account, and\n' +
        'apply them.',
    )
    .version(VERSION, '-V, --version', 'print the ldhooks version')
    .helpOption('-h, --help', 'show help for a command')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .exitOverride();
  program.configureHelp({ helpWidth: 100 });
  registerValidate(program, io, setExit);
  registerPlan(program, io, setExit);
  registerApply(program, io);
  registerExplain(program, io);
  registerImport(program, io);
  registerSchema(program, io);
  registerEmulator(program, io, io.signals);
  registerReceiver(program, io, io.signals);
  registerPing(program, io);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/** Runs the CLI and returns its exit code. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => {
    code = Math.max(code, c);
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (e) {
    return Math.max(code, reportFailure(e, io));
  }
}
