import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Emulator, startEmulator } from '../../src/adapters/emulator/index.js';
import { type CliResult, ROOT, runCli } from '../support/cli.js';
import type { CommandLine } from './ci-files.js';

/**
 * A repository as the CI files expect it: the example configs of examples/ under webhooks/,
 * the directory every workflow plans.
 */
export async function exampleProject(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-ci-'));
  await cp(path.join(ROOT, 'examples'), path.join(dir, 'webhooks'), {
    recursive: true,
    // The configs only: not the CI files, nor the library example.
    filter: (src) =>
      path.relative(path.join(ROOT, 'examples'), src) !== 'ci' &&
      (statSync(src).isDirectory() || /\.ya?ml$/.test(src)),
  });
  return dir;
}

export const removeProject = (dir: string) => rm(dir, { recursive: true, force: true });

/** A fresh emulator and example project, for a beforeEach. */
export async function setUp(): Promise<{ emulator: Emulator; dir: string }> {
  return { emulator: await startEmulator(), dir: await exampleProject() };
}

/** Stops the emulator and removes the project of setUp, for an afterEach. */
export async function tearDown(emulator: Emulator, dir: string): Promise<void> {
  await emulator.close();
  await removeProject(dir);
}

/** Runs a process to its end, collecting what it prints: for the processes under test. */
export async function spawnCollected(
  file: string,
  args: string[],
  options: { cwd: string; env: Record<string, string> },
): Promise<CliResult> {
  const child = spawn(file, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  return { code, stdout, stderr };
}

export interface LineResult extends CliResult {
  /** What the command's redirections wrote, by file name. */
  files: Record<string, string>;
}

/**
 * Runs an ldhooks command line of a CI file in this process, as the shell would: `npx` goes,
 * `> FILE` gets standard output, a word that is one variable (`"$NAME"`, `${NAME}`) gets its
 * value from `env`, the step's environment. Any other word the shell would expand, or a
 * variable `env` lacks, is refused, so a command line that needs more than this is noticed, not
 * run wrongly.
 */
export async function runLine(
  command: CommandLine,
  options: { cwd: string; env?: Record<string, string>; offline?: boolean },
): Promise<LineResult> {
  const tokens = [...command.tokens];
  while (tokens[0] && /^(npx|--yes|-y)$/.test(tokens[0].text)) tokens.shift();
  if (tokens.shift()?.text !== 'ldhooks')
    throw new Error(`not an ldhooks command: ${command.line}`);
  const args: string[] = [];
  const redirects: { op: string; file: string }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (!t) continue;
    if (t.kind === 'redirect') {
      const target = tokens[++i];
      if (target?.kind !== 'word') throw new Error(`a redirection without a file: ${command.line}`);
      redirects.push({ op: t.text, file: target.text });
    } else if (/\$/.test(t.text)) {
      const name = /^\$(?:(\w+)|\{(\w+)\})$/.exec(t.text)?.slice(1).find(Boolean);
      const value = name === undefined ? undefined : options.env?.[name];
      if (value === undefined)
        throw new Error(`${command.line}: "${t.text}" needs the shell to expand it`);
      args.push(value);
    } else args.push(t.text);
  }
  const result = await runCli(args, {
    cwd: options.cwd,
    env: options.env ?? {},
    offline: options.offline ?? false,
  });
  const files: Record<string, string> = {};
  for (const { op, file } of redirects) {
    const text = /^2/.test(op) ? result.stderr : result.stdout;
    if (!/^2?>>?$/.test(op)) throw new Error(`unsupported redirection ${op} in ${command.line}`);
    await (op.endsWith('>>') ? appendFile : writeFile)(path.join(options.cwd, file), text);
    files[file] = await readFile(path.join(options.cwd, file), 'utf8');
  }
  return { ...result, files };
}

/** The environment a CI job gives ldhooks to reach the emulator. */
export const emulatorEnv = (emulator: Emulator): Record<string, string> => ({
  LD_BASE_URI: emulator.url,
  LD_ACCESS_TOKEN: emulator.token,
});

/** A change made by hand in LaunchDarkly, past ldhooks: drift. */
export function changeByHand(emulator: Emulator, name: string): void {
  const hook = emulator.store.all().find((h) => h.name === name);
  if (!hook) throw new Error(`no webhook ${name} in the emulator`);
  emulator.store.put({ ...hook, on: !hook.on });
}
