import { Command } from 'commander';
import { inertText } from '../core/escape.js';
import { closest } from '../core/suggest.js';
import { VERSION } from '../version.js';
import { reportFailure } from './exit.js';
import type { CliIO } from './io.js';

type Register = (program: Command, io: CliIO, setExit: (code: number) => void) => void;

/**
 * Every command, in the order help lists them, and how to load it. A command's module brings
 * what the command needs (the YAML parser, the HTTP client, the emulator's server...), so a run
 * loads only the module of the command it names: start-up time is what most runs feel.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  validate: async () => (await import('./commands/validate.js')).registerValidate,
  plan: async () => (await import('./commands/plan.js')).registerPlan,
  apply: async () => (await import('./commands/apply.js')).registerApply,
  explain: async () => (await import('./commands/explain.js')).registerExplain,
  import: async () => (await import('./commands/import.js')).registerImport,
  schema: async () => (await import('./commands/schema.js')).registerSchema,
  emulator: async () => {
    const { registerEmulator } = await import('./commands/emulator.js');
    return (program, io) => registerEmulator(program, io, io.signals);
  },
  receiver: async () => {
    const { registerReceiver } = await import('./commands/receiver.js');
    return (program, io) => registerReceiver(program, io, io.signals);
  },
  ping: async () => (await import('./commands/ping.js')).registerPing,
};

/**
 * The commands a command line needs: the one its first operand names, none for --version, and
 * every one otherwise (help, or a name to correct). The program's own options take no value,
 * so the first operand is the command.
 */
function commandsFor(argv: readonly string[]): string[] {
  const first = argv.find((a) => !a.startsWith('-'));
  if (first !== undefined && Object.hasOwn(COMMANDS, first)) return [first];
  if (first === undefined && argv.some((a) => a === '-V' || a === '--version')) return [];
  return Object.keys(COMMANDS);
}

/**
 * Builds the commander program. Failures become exit codes in one place: `reportFailure`.
 */
export async function buildProgram(
  io: CliIO,
  setExit: (code: number) => void,
  argv: readonly string[] = [],
): Promise<Command> {
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
      // A usage error quotes what was typed (an unknown option): inert, as every line printed.
      writeErr: (s) => io.stderr.write(inertText(s)),
    })
    .exitOverride();
  program.configureHelp({ helpWidth: 100 });
  const registers = await Promise.all(commandsFor(argv).map((name) => COMMANDS[name]?.()));
  for (const register of registers) register?.(program, io, setExit);
  for (const command of program.commands) command.exitOverride();
  return program;
}

/**
 * What commander makes of `help NAME` when NAME is no command (the program's help, on stderr,
 * exit 1, without a word on why) and of `-v`, said as for any other mistake: what was typed, what
 * was meant, exit 1. Undefined for every other command line.
 */
function misnamed(argv: readonly string[], io: CliIO): number | undefined {
  if (argv[0] === '-v' && argv.length === 1) {
    io.stderr.write("error: unknown option '-v'\n(Did you mean -V, or --version?)\n");
    return 1;
  }
  if (argv[0] !== 'help' || argv.length < 2) return undefined;
  const name = argv[1] as string;
  if (Object.hasOwn(COMMANDS, name) || name === 'help' || name.startsWith('-')) return undefined;
  const near = closest(name, Object.keys(COMMANDS));
  io.stderr.write(
    inertText(
      `error: unknown command '${name}'\n${near ? `(Did you mean ${near}?)\n` : ''}(the commands are ${Object.keys(COMMANDS).join(', ')}; run ldhooks --help for usage)\n`,
    ),
  );
  return 1;
}

/** Runs the CLI and returns its exit code. */
export async function run(argv: readonly string[], io: CliIO): Promise<number> {
  const wrong = misnamed(argv, io);
  if (wrong !== undefined) return wrong;
  // `help help` is the program's help, as `help` alone is.
  const args = argv[0] === 'help' && argv[1] === 'help' ? ['help'] : argv;
  let code = 0;
  try {
    const program = await buildProgram(
      io,
      (c) => {
        code = Math.max(code, c);
      },
      args,
    );
    await program.parseAsync([...args], { from: 'user' });
    return code;
  } catch (e) {
    return Math.max(code, reportFailure(e, io));
  }
}
