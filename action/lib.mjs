// The pieces of the GitHub Action (action/run.mjs) that stand between untrusted text and the
// runner: how ldhooks is started without a shell, how what it prints is kept from being read as
// a workflow command, how the step's outputs are written, and how a signal is reported. Kept
// apart from run.mjs, which runs on import, so that the tests can call them with a platform and
// an environment of their choosing.

import { randomUUID } from 'node:crypto';
import { constants } from 'node:os';
import path from 'node:path';

/**
 * npm's own JavaScript entry, npm-cli.js, to run with this Node (process.execPath) and no shell:
 * on Windows npm and npx are .cmd files, which only cmd.exe runs, and cmd.exe reads `&`, `%`,
 * `^` and quotes in any argument. Looked for, in order:
 *   1. beside npm_execpath, when npm started this process (`npm run`): that very npm;
 *   2. beside this Node, where Node's installers and setup-node put it: on Windows
 *      <dir of node.exe>\node_modules\npm\bin\npm-cli.js, elsewhere <dir of node>/../lib/...;
 *   3. on the PATH: on Windows beside npm.cmd (node_modules\npm\bin\npm-cli.js, as npm.cmd
 *      finds it), elsewhere the file the `npm` link resolves to (Debian's /usr/bin/npm).
 * npm_execpath is not set in a composite action's step, so on a runner it is 2.
 *
 * @param {{ platform: string, execPath: string, env: Record<string, string | undefined>,
 *   isFile: (file: string) => boolean, realpath: (file: string) => string }} where
 * @returns {string | undefined}
 */
export function findNpmCli({ platform, execPath, env, isFile, realpath }) {
  const p = platform === 'win32' ? path.win32 : path.posix;
  const ENTRY = ['node_modules', 'npm', 'bin', 'npm-cli.js'];
  const candidates = [];
  const execpath = env.npm_execpath;
  if (execpath && p.basename(execpath) === 'npm-cli.js') candidates.push(execpath);
  const nodeDir = p.dirname(execPath);
  candidates.push(
    platform === 'win32' ? p.join(nodeDir, ...ENTRY) : p.join(nodeDir, '..', 'lib', ...ENTRY),
  );
  const found = candidates.find((file) => isFile(file));
  if (found) return found;
  // Windows spells PATH as Path; the environment's own spelling wins.
  const pathVariable = Object.keys(env).find((k) => k.toUpperCase() === 'PATH');
  const dirs = (pathVariable ? (env[pathVariable] ?? '') : '').split(p.delimiter).filter(Boolean);
  for (const dir of dirs) {
    if (platform === 'win32') {
      const file = p.join(dir, ...ENTRY);
      if (isFile(p.join(dir, 'npm.cmd')) && isFile(file)) return file;
    } else if (isFile(p.join(dir, 'npm'))) {
      try {
        const file = realpath(p.join(dir, 'npm'));
        if (p.basename(file) === 'npm-cli.js') return file;
      } catch {
        // A dangling link: try the next folder.
      }
    }
  }
  return undefined;
}

/**
 * The whitespace the runner strips before looking for `::` at the start of a line (.NET's
 * TrimStart: JavaScript's \s, and NEL and the Mongolian vowel separator), line breaks excepted.
 */
const LEADING_SPACE = '(?:[^\\S\\r\\n]|[\\u0085\\u180e])*';
const COMMAND_AT_LINE_START = new RegExp(`(^|\\r\\n|\\r|\\n)(${LEADING_SPACE})::`, 'g');
const ZERO_WIDTH_SPACE = '\u200b';

/**
 * Text that the runner cannot read as a workflow command, looking the same to a reader. The
 * runner reads each line of a step's output (a line ends at \n, \r or \r\n) as a command when,
 * after leading whitespace, it starts with `::` (`::set-output name=…::`, `::add-mask::`,
 * `::stop-commands::`…), or when it holds `##[` anywhere (the older syntax). A zero-width space
 * goes before such a `::` and inside every `##[`. Give whole lines: `text` is taken to start at
 * the start of a line.
 *
 * @param {string} text
 */
export function inert(text) {
  return text
    .replace(COMMAND_AT_LINE_START, `$1$2${ZERO_WIDTH_SPACE}::`)
    .replaceAll('##[', `##${ZERO_WIDTH_SPACE}[`);
}

/**
 * A writer that copies a child's output as it comes, made inert line by line: the end of a
 * chunk that is not yet a whole line waits for the rest (or for `end`), since a `::` split
 * across two chunks is still a command.
 *
 * @param {(text: string) => void} write
 */
export function inertStream(write) {
  let pending = '';
  return {
    /** @param {string} text */
    write(text) {
      pending += text;
      // A \r at the very end may be the first half of \r\n: either way the line has ended.
      const end = Math.max(pending.lastIndexOf('\n'), pending.lastIndexOf('\r'));
      if (end < 0) return;
      write(inert(pending.slice(0, end + 1)));
      pending = pending.slice(end + 1);
    },
    end() {
      if (pending) write(inert(pending));
      pending = '';
    },
  };
}

/**
 * One entry of a file command (GITHUB_OUTPUT, GITHUB_ENV), as the runner reads it: `name=value`
 * when the value is one line (the runner splits the file at \n, \r and \r\n, so a value without
 * them cannot start another entry), else `name<<DELIMITER`, the value, and DELIMITER alone on a
 * line, DELIMITER random and checked absent from the value, so that no value can end early and
 * set another output.
 *
 * @param {string} name
 * @param {string} value
 * @param {string} [delimiter]
 */
export function fileCommandEntry(name, value, delimiter = `ghadelimiter_${randomUUID()}`) {
  if (!/^[A-Za-z_][\w-]*$/.test(name)) throw new Error(`not an output name: ${name}`);
  if (!/[\r\n]/.test(value)) return `${name}=${value}\n`;
  if (value.includes(delimiter))
    throw new Error(`the value of ${name} contains its delimiter ${delimiter}`);
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

/** What a signal that ended ldhooks most likely means, for the people reading the job. */
const SIGNAL_MEANINGS = {
  SIGKILL:
    'most likely the runner ran out of memory (the out-of-memory killer sends SIGKILL), or the job was cancelled and did not stop in time',
  SIGTERM: 'the job was cancelled or timed out',
  SIGINT: 'the job was cancelled',
  SIGHUP: 'the runner lost its terminal or was shutting down',
  SIGSEGV: 'Node crashed',
  SIGABRT: 'Node aborted, often for want of memory (a JavaScript heap out of memory)',
};

/**
 * The exit code by the shells' convention (128 + the signal's number) and the words for a
 * process that a signal ended.
 *
 * @param {string} signal such as SIGKILL
 */
export function signalOutcome(signal) {
  const number = constants.signals[/** @type {keyof typeof constants.signals} */ (signal)];
  const code = typeof number === 'number' ? 128 + number : 1;
  const meaning = SIGNAL_MEANINGS[/** @type {keyof typeof SIGNAL_MEANINGS} */ (signal)];
  return {
    code,
    text: `was ended by ${signal} (exit code ${code})${meaning ? `: ${meaning}` : ''}`,
  };
}

/**
 * Arguments as a log shows them: a word of plain characters as it is, any other in JSON quotes,
 * so that spaces, quotes and line breaks in one argument are seen for what they are.
 *
 * @param {readonly string[]} args
 */
export function shownArgs(args) {
  return args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}
