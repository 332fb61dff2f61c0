import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

const COMMANDS = [
  'validate',
  'plan',
  'apply',
  'explain',
  'import',
  'schema',
  'emulator',
  'receiver',
  'ping',
];

const help = async (args: string[]) => {
  const r = await runCli([...args, '--help'], { offline: true });
  expect(r.code, args.join(' ')).toBe(0);
  return r.stdout;
};

/** The operands a usage line or a command list names: `[PATH...]`, `<NAME>`. */
const operands = (text: string) =>
  [...text.matchAll(/[[<]([A-Za-z-]+)(?:\.\.\.)?[\]>]/g)]
    .map((m) => m[1] as string)
    .filter((name) => name !== 'options' && name !== 'command');

describe('every command explains itself the same way', () => {
  it('writes operands in capitals, in the command list and in each usage line', async () => {
    const list = (await help([])).split('Commands:')[1] ?? '';
    const named = list.split('\n').flatMap((line) => operands(line.split(/\s{2,}/)[1] ?? ''));
    expect(named.length).toBeGreaterThan(5);
    for (const name of named) expect(name, 'the command list').toBe(name.toUpperCase());
    for (const command of COMMANDS) {
      const usage = (await help([command])).split('\n')[0] as string;
      for (const name of operands(usage)) expect(name, usage).toBe(name.toUpperCase());
    }
  });

  it.each(COMMANDS)(
    '%s --help names only formats the command has, and wraps its text like the others',
    async (command) => {
      const text = await help([command]);
      const choices = /--format <format>[\s\S]*?\(choices: ([^)]*)\)/.exec(text);
      const formats = choices
        ? [...(choices[1] as string).matchAll(/"(\w+)"/g)].map((m) => m[1])
        : [];
      for (const m of text.matchAll(/--format (\w+)(?: or (\w+))?/g)) {
        for (const format of [m[1], m[2]].filter(Boolean)) {
          // A help may speak of another command's formats: `plan --format json`.
          const before = text.slice(Math.max(0, (m.index ?? 0) - 12), m.index).trim();
          if (COMMANDS.includes(before.split(/\s/).at(-1) ?? '')) continue;
          expect(formats, `${command}: ${m[0]}`).toContain(format);
        }
      }
      const description = text.split(/\n(?:Arguments|Options):\n/)[0] as string;
      for (const line of description.split('\n'))
        expect(line.length, `${command}: ${line}`).toBeLessThanOrEqual(80);
    },
  );

  it('says which options explain requires', async () => {
    const text = await help(['explain']);
    expect(text).toMatch(/--resource <spec> +the concrete resource[^-]*\(required\)/);
    expect(text).toMatch(/--action <action> +the action[^\n]*\(required\)/);
  });
});

describe('help for a name that is no command', () => {
  it('says the command is unknown, suggests the nearest, lists them all, exit 1', async () => {
    const typo = await runCli(['help', 'valdate'], { offline: true });
    expect(typo.code).toBe(1);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toBe(
      `error: unknown command 'valdate'\n(Did you mean validate?)\n(the commands are ${COMMANDS.join(', ')}; run ldhooks --help for usage)\n`,
    );
    const far = await runCli(['help', 'frobnicate'], { offline: true });
    expect(far.code).toBe(1);
    expect(far.stderr).toMatch(/^error: unknown command 'frobnicate'\n\(the commands are /);
  });

  it('shows the program help for help help, as for help, exit 0', async () => {
    const plain = await runCli(['help'], { offline: true });
    const twice = await runCli(['help', 'help'], { offline: true });
    expect(plain.code).toBe(0);
    expect(twice.code).toBe(0);
    expect(twice.stdout).toBe(plain.stdout);
    expect(twice.stdout).toContain('Usage: ldhooks [options] [command]');
  });

  it('points -v at -V and --version', async () => {
    const r = await runCli(['-v'], { offline: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: unknown option '-v'\n(Did you mean -V, or --version?)\n");
  });
});
