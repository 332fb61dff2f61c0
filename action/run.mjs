#!/usr/bin/env node
// The logic of the ldhooks GitHub Action (action.yml at the repository root): runs one ldhooks
// command, copies its output to the log and to a file, and writes the step's outputs and the job
// summary. action.yml passes every input as an INPUT_* variable, never inside the script text,
// so that no input can inject shell, and the access token only ever travels in the environment.
//
// Which ldhooks runs: LDHOOKS_BIN (a JavaScript file run with this Node; the tests use the built
// CLI); else, without a `version` input, the ldhooks the project installed (its devDependency,
// found from the working directory); else ldhooks@VERSION, installed by npm into a temporary
// folder, VERSION being the `version` input or the version of this action. A failure to obtain
// or start ldhooks (a devDependency that `npm ci` has not installed, a version npm cannot fetch)
// is reported as such, never as ldhooks' own exit code 1, which means a bad config or an API
// failure.
//
// No shell, ever: ldhooks (and npm, to install it) is always a JavaScript file run by this Node
// with an argument list, on Windows too, where npx and npm are .cmd files that only cmd.exe
// runs, reading `&`, `%`, `^` and quotes in any argument. (npx itself would not do either: it
// runs the package's bin through a shell, on every platform.) The config paths come after `--`,
// so that none is read as an option, and what ldhooks prints reaches the log inert (lib.mjs),
// so that no line of it is read as a workflow command.

import { spawn } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  fileCommandEntry,
  findNpmCli,
  inert,
  inertStream,
  shownArgs,
  signalOutcome,
} from './lib.mjs';

const ACTION_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** What the Markdown plan starts with, so that CI can find and update one sticky comment. */
const MARKER = '<!-- ldhooks-plan -->';
/** GitHub refuses a comment longer than 65,536 characters; ldhooks' own plans stay under 65,000. */
const MAX_MARKDOWN = 65_000;
/** How much of the standard error a failure report quotes (its end, where the summary is). */
const MAX_QUOTED_STDERR = 20_000;

const EXIT_MEANINGS = {
  0: 'success',
  1: 'an error: a bad config, bad flags, an API failure or a failed operation',
  2: 'changes found',
  3: 'refused: a guard tripped, or the saved plan is stale',
  // ldhooks' own exits after it caught the signal (see Interruption in the README); a signal
  // that ended it uncaught is reported by signalOutcome.
  130: 'stopped by SIGINT: the job was cancelled',
  143: 'stopped by SIGTERM: the job was cancelled or timed out',
};

class InputError extends Error {}

/** ldhooks could not be obtained or started: nothing ran, so no exit code of ldhooks applies. */
class SetupError extends Error {
  /** @param {string} message @param {string} [output] what the failed step printed */
  constructor(message, output = '') {
    super(message);
    this.output = output;
  }
}

function input(name) {
  return (process.env[`INPUT_${name.toUpperCase().replaceAll('-', '_')}`] ?? '').trim();
}

function booleanInput(name) {
  const value = input(name).toLowerCase();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  throw new InputError(`input ${name} must be true or false, not "${input(name)}"`);
}

/**
 * Splits an input into words at whitespace, as a shell would, with '…' and "…" keeping spaces
 * inside one word (no other escapes), so that `paths` and `args` can name anything.
 */
function words(name) {
  const text = input(name);
  const out = [];
  let word;
  let quote;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word ??= '';
    } else if (/\s/.test(ch)) {
      if (word !== undefined) out.push(word);
      word = undefined;
    } else word = (word ?? '') + ch;
  }
  if (quote) throw new InputError(`input ${name} has an unclosed ${quote}: close it`);
  if (word !== undefined) out.push(word);
  return out;
}

/**
 * The options of `args` that send the access token elsewhere: refused there (see "Using ldhooks
 * in CI" in the README). The step's env sets LD_BASE_URI when another API location is meant.
 */
const TOKEN_REDIRECTS = /^--(?:base-uri|insecure)(?:=|$)/;

/** Options the action sets from its own inputs, and reads the result of. */
const OWN_OPTIONS = /^--(?:format|out|plan|detailed-exitcode|auto-approve)(?:=|$)/;
const OWN_OPTIONS_INPUT = {
  '--format': 'format',
  '--out': 'out',
  '--plan': 'plan-file',
  '--detailed-exitcode': 'detailed-exitcode',
  '--auto-approve': 'auto-approve',
};

/** The `paths` input: config files and directories, none of which may pass for an option. */
function configPaths() {
  const paths = words('paths');
  const option = paths.find((p) => p.startsWith('-'));
  if (option !== undefined) {
    throw new InputError(
      `input paths: "${option}" starts with "-", which reads as an option: write ./${option} for a file of that name, and give options in args`,
    );
  }
  return paths;
}

/** The `args` input: more ldhooks options, given by the workflow's author. */
function extraArgs() {
  const args = words('args');
  const redirect = args.find((a) => TOKEN_REDIRECTS.test(a));
  if (redirect !== undefined) {
    throw new InputError(
      `input args: ${redirect.split('=')[0]} would send the access token to another server, and args is no place for that: set LD_BASE_URI in the step's env instead (see "Using ldhooks in CI" in the ldhooks README)`,
    );
  }
  if (args.includes('--'))
    throw new InputError('input args: give config paths in the paths input, not after -- in args');
  // The action reads what it asked for (the Markdown plan, the exit code): these have inputs.
  const own = args.find((a) => OWN_OPTIONS.test(a));
  if (own !== undefined) {
    const name = own.split('=')[0];
    throw new InputError(
      `input args: ${name} is set by the action's ${OWN_OPTIONS_INPUT[name] ?? 'inputs'} input: give it there, not in args`,
    );
  }
  return args;
}

/** The `version` input: a published version or a dist-tag, such as 0.2.0 or latest. */
function versionInput() {
  const version = input('version');
  if (version && !/^[0-9A-Za-z][0-9A-Za-z.+-]*$/.test(version)) {
    throw new InputError(
      `input version must be a published version of ldhooks or a dist-tag, such as 0.2.0 or latest, not ${JSON.stringify(version)}`,
    );
  }
  return version;
}

/**
 * The ldhooks arguments the inputs ask for: the command, its options (each value joined to its
 * option by `=`, so that no value can pass for an option), the `args`, then `--` and the paths.
 */
function ldhooksArgs(command) {
  const paths = configPaths();
  const format = input('format');
  const out = input('out');
  const planFile = input('plan-file');
  const detailed = booleanInput('detailed-exitcode');
  const autoApprove = booleanInput('auto-approve');
  const misplaced = (what, where) => {
    throw new InputError(`input ${what} is for ${where}, not for command ${command}`);
  };
  if (command !== 'plan' && out) misplaced('out', 'command plan');
  if (command !== 'plan' && detailed) misplaced('detailed-exitcode', 'command plan');
  if (command !== 'apply' && planFile) misplaced('plan-file', 'command apply');
  if (command !== 'apply' && autoApprove) misplaced('auto-approve', 'command apply');
  if (command === 'apply' && planFile && paths.length > 0)
    throw new InputError('give either paths or plan-file to apply: a saved plan needs no config');
  const args = [command];
  if (planFile) args.push(`--plan=${planFile}`);
  if (command === 'plan') {
    // Always detailed inside the action: exit 2 is how has-changes is known for certain. The
    // step still succeeds on changes unless the detailed-exitcode input asks otherwise.
    args.push(`--format=${format || 'markdown'}`, '--detailed-exitcode');
    if (out) args.push(`--out=${out}`);
  } else if (format) args.push(`--format=${format}`);
  if (autoApprove) args.push('--auto-approve');
  args.push(...extraArgs());
  if (paths.length > 0) args.push('--', ...paths);
  return { args, markdown: command === 'plan' && (format || 'markdown') === 'markdown', detailed };
}

/** The installed ldhooks of the project in `cwd` (its devDependency), if there is one. */
function installedLdhooks(cwd) {
  try {
    const manifest = createRequire(path.join(cwd, 'package.json')).resolve('ldhooks/package.json');
    const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
    const bin = typeof pkg.bin === 'string' ? pkg.bin : pkg.bin?.ldhooks;
    const file = bin && path.resolve(path.dirname(manifest), bin);
    return file && existsSync(file) ? { file, version: pkg.version } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The package.json nearest `cwd` (as npm finds it) when it declares ldhooks as a dependency:
 * then the project means its own ldhooks to run, and a missing one is a step left out.
 */
function declaringManifest(cwd) {
  for (let dir = cwd; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8'));
        return pkg.devDependencies?.ldhooks || pkg.dependencies?.ldhooks ? file : undefined;
      } catch {
        return undefined;
      }
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * How to run ldhooks: this Node and a JavaScript file, `install` when npm must first install
 * ldhooks@VERSION (see installWithNpm).
 */
function ldhooksCommand(cwd) {
  if (process.env.LDHOOKS_BIN) {
    return { file: path.resolve(process.env.LDHOOKS_BIN), shown: 'ldhooks (LDHOOKS_BIN)' };
  }
  const version = versionInput();
  if (!version) {
    const installed = installedLdhooks(cwd);
    if (installed) {
      return {
        file: installed.file,
        shown: `ldhooks ${installed.version} (the project's installed ldhooks)`,
      };
    }
    const manifest = declaringManifest(cwd);
    if (manifest) {
      throw new SetupError(
        `${manifest} declares ldhooks, but it is not installed in ${path.dirname(manifest)}: run \`npm ci\` there in a step before this one`,
      );
    }
  }
  const wanted =
    version || JSON.parse(readFileSync(path.join(ACTION_ROOT, 'package.json'), 'utf8')).version;
  return { install: wanted };
}

/** npm's reason for a failure, from what it printed: its error code and first detail line. */
function npmReason(output) {
  const lines = output.split('\n').map((l) => l.trim());
  const code = lines.map((l) => /^npm (?:error|ERR!) code (\S+)/.exec(l)?.[1]).find(Boolean);
  const detail = lines
    .map((l) => /^npm (?:error|ERR!) (?!code )(.*\S.*)$/.exec(l)?.[1])
    .find(Boolean);
  return code || detail ? `npm error ${[code, detail].filter(Boolean).join(': ')}` : undefined;
}

/**
 * Runs the JavaScript file `file` with this Node and `args`, never through a shell, copying its
 * standard error to ours (inert) and keeping its end, and handing each chunk of its standard
 * output to `onStdout`.
 */
function start(file, args, cwd, env, onStdout) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file, ...args], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: false,
    });
    let stderr = '';
    const log = inertStream((text) => process.stderr.write(text));
    child.stdout.on('data', onStdout);
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      log.write(chunk);
      stderr = (stderr + chunk).slice(-MAX_QUOTED_STDERR);
    });
    child.on('error', (error) => resolve({ error, stderr }));
    child.on('close', (code, signal) => {
      log.end();
      resolve({ code, signal, stderr });
    });
  });
}

/** The environment without the access token and the plan key, for what is not ldhooks' run. */
function withoutSecrets(env) {
  const quiet = { ...env };
  for (const name of ['LD_ACCESS_TOKEN', 'LAUNCHDARKLY_ACCESS_TOKEN', 'LDHOOKS_PLAN_KEY'])
    delete quiet[name];
  return quiet;
}

const INSTALL_REMEDY =
  'add ldhooks as a devDependency of the project and run `npm ci` before this step (see "Using ldhooks in CI" in the ldhooks README), or give a published version in the version input';

/**
 * Installs ldhooks@VERSION with npm into `folder` (scripts off: no package's install script
 * runs), then runs its `--version` alone, so that npm failing to fetch it (a version not on the
 * registry, no network) or ldhooks failing to start is told apart from ldhooks exiting 1. The
 * access token and the plan key are left out of both runs' environment. Resolves with how to
 * run the installed ldhooks.
 */
async function installWithNpm(wanted, folder, env) {
  const npm = findNpmCli({
    platform: process.platform,
    execPath: process.execPath,
    env: process.env,
    isFile: (file) => {
      try {
        return statSync(file).isFile();
      } catch {
        return false;
      }
    },
    realpath: realpathSync,
  });
  if (!npm) {
    throw new SetupError(
      `could not find npm (its npm-cli.js) beside ${process.execPath} nor on the PATH, to install ldhooks@${wanted}; ${INSTALL_REMEDY}`,
    );
  }
  mkdirSync(folder, { recursive: true });
  const quiet = withoutSecrets(env);
  const args = [
    'install',
    `ldhooks@${wanted}`,
    `--prefix=${folder}`,
    '--no-save',
    '--no-package-lock',
    '--ignore-scripts',
    '--no-audit',
    '--no-fund',
  ];
  process.stderr.write(inert(`Installing ldhooks@${wanted}: npm ${shownArgs(args)}\n`));
  const installing = await start(npm, args, folder, quiet, (chunk) => {
    process.stderr.write(inert(chunk.toString('utf8')));
  });
  if (installing.error) {
    throw new SetupError(
      `could not start npm to install ldhooks@${wanted}: ${installing.error.message}; ${INSTALL_REMEDY}`,
    );
  }
  const installed = installing.code === 0 ? installedLdhooks(folder) : undefined;
  if (!installed) {
    const reason =
      npmReason(installing.stderr) ||
      `npm ${installing.code === 0 ? 'installed no ldhooks command' : `exited with ${installing.code ?? installing.signal}`}`;
    throw new SetupError(
      `could not install ldhooks@${wanted}: ${reason}; ${INSTALL_REMEDY}`,
      installing.stderr,
    );
  }
  let stdout = '';
  const r = await start(installed.file, ['--version'], folder, quiet, (chunk) => {
    stdout += chunk;
  });
  if (r.error || r.code !== 0 || !/^\d+\.\d+\.\d+/.test(stdout.trim())) {
    const last = r.stderr.trim().split('\n').at(-1);
    const why =
      r.error?.message || last || `it exited with ${r.code ?? r.signal} and printed no version`;
    throw new SetupError(`could not start ldhooks@${wanted}: ${why}; ${INSTALL_REMEDY}`, r.stderr);
  }
  return {
    file: installed.file,
    shown: `ldhooks ${installed.version} (installed by npm as ldhooks@${wanted})`,
  };
}

/**
 * Runs ldhooks, copying its output to ours (inert) and to `stdoutFile` (as it is) as it comes,
 * and resolves with its exit code, or the signal that ended it.
 */
async function run(command, args, cwd, env, stdoutFile) {
  writeFileSync(stdoutFile, '');
  const decoder = new TextDecoder();
  const log = inertStream((text) => process.stdout.write(text));
  const r = await start(command.file, args, cwd, env, (chunk) => {
    log.write(decoder.decode(chunk, { stream: true }));
    appendFileSync(stdoutFile, chunk);
  });
  log.write(decoder.decode());
  log.end();
  if (r.error) throw new SetupError(`could not start ${command.shown}: ${r.error.message}`);
  if (r.code === null)
    return { ...signalOutcome(r.signal ?? 'SIGKILL'), signal: r.signal, stderr: r.stderr };
  return { code: r.code, stderr: r.stderr };
}

/** A fenced block that no run of backticks in the text can close early. */
function fenced(text, language = 'text') {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${language}\n${text.endsWith('\n') ? text : `${text}\n`}${fence}\n`;
}

/** A workflow command's message, escaped as the runner reads it (one line, % kept). */
function escapeCommand(text) {
  return text.replaceAll('%', '%25').replaceAll('\r', '%0D').replaceAll('\n', '%0A');
}

function meaning(code) {
  return EXIT_MEANINGS[code] ?? 'an unexpected exit code';
}

/** What happened, after "`ldhooks plan`": it did not run (and why), or how it exited. */
function verdict({ code, setup, signal, text }) {
  if (setup) return `did not run: ${setup}`;
  if (signal) return text;
  return code === 0 ? 'succeeded' : `exited with ${code}: ${meaning(code)}`;
}

function logLink() {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: id } = process.env;
  return server && repo && id ? `${server}/${repo}/actions/runs/${id}` : undefined;
}

/**
 * The Markdown of a plan that wrote none (an error before planning: bad flags, a network
 * failure): the marker, what happened and the end of the standard error, so that the sticky
 * comment and the summary still tell the reviewer why. ldhooks never prints a secret or the
 * token, so what it printed may be quoted.
 */
function failureMarkdown(outcome, cutShort = false) {
  const link = logLink();
  const what = cutShort
    ? 'It was stopped while it wrote its report, so the plan is not shown: a part of a plan could read as the whole of it.'
    : 'Nothing was planned.';
  const lines = [
    MARKER,
    '### ldhooks plan failed',
    '',
    `\`ldhooks plan\` ${verdict(outcome)}. ${what}${link ? ` [The job log](${link}) has the whole output.` : ''}`,
    '',
  ];
  let quoted = outcome.stderr.trim();
  const room = MAX_MARKDOWN - lines.join('\n').length - 100;
  if (quoted.length > room) quoted = `…${quoted.slice(quoted.length - room)}`;
  return `${lines.join('\n')}${quoted ? `\n${fenced(quoted)}` : ''}`;
}

function summaryOf(commandName, outcome, stdout) {
  const { stderr } = outcome;
  let text = `### ldhooks ${commandName}\n\n\`ldhooks ${commandName}\` ${verdict(outcome)}.\n\n`;
  const shown = `${stdout}${stdout && stderr ? '\n' : ''}${stderr}`.trim();
  if (shown) text += fenced(shown.length > MAX_MARKDOWN ? `…${shown.slice(-MAX_MARKDOWN)}` : shown);
  return text;
}

/** Writes the step's outputs to GITHUB_OUTPUT (see fileCommandEntry), else prints them. */
function setOutputs(outputs) {
  const file = process.env.GITHUB_OUTPUT;
  const text = Object.entries(outputs)
    .map(([k, v]) => fileCommandEntry(k, String(v)))
    .join('');
  if (file) appendFileSync(file, text);
  else process.stdout.write(inert(text));
}

async function main() {
  const command = input('command') || 'plan';
  if (!['validate', 'plan', 'apply'].includes(command))
    throw new InputError(`input command must be validate, plan or apply, not "${command}"`);
  const cwd = path.resolve(input('working-directory') || '.');
  if (!existsSync(cwd))
    throw new InputError(`working-directory ${cwd} does not exist: check the input`);
  const { args, markdown, detailed } = ldhooksArgs(command);
  const summary = input('summary') === '' ? true : booleanInput('summary');

  // The token and the plan key reach ldhooks in its environment only; inputs left empty keep
  // whatever the step's env already gives.
  const env = { ...process.env };
  for (const [name, variable] of [
    ['TOKEN', 'LD_ACCESS_TOKEN'],
    ['PLAN_KEY', 'LDHOOKS_PLAN_KEY'],
  ]) {
    const value = env[`INPUT_${name}`];
    delete env[`INPUT_${name}`];
    if (value) env[variable] = value;
  }

  const dir = mkdtempSync(path.join(process.env.RUNNER_TEMP || tmpdir(), 'ldhooks-'));
  const report = path.join(dir, markdown ? 'plan.md' : `${command}.out`);
  let outcome;
  try {
    const found = ldhooksCommand(cwd);
    const ldhooks = found.install
      ? await installWithNpm(found.install, path.join(dir, 'npm'), env)
      : found;
    process.stderr.write(inert(`Running ${ldhooks.shown} ${shownArgs(args)} in ${cwd}\n`));
    outcome = await run(ldhooks, args, cwd, env, report);
  } catch (e) {
    if (!(e instanceof SetupError)) throw e;
    // ldhooks never ran: exit code 1, said to be a failure to run it, not a bad config.
    process.stderr.write(inert(`${e.message}\n`));
    writeFileSync(report, '');
    outcome = { code: 1, stderr: e.output, setup: e.message };
  }
  const { code } = outcome;

  const stdout = readFileSync(report, 'utf8');
  let planMarkdown = '';
  if (markdown) {
    // A run a signal ended may have printed part of its report: never posted as if whole.
    if (stdout.trim() === '' || outcome.signal)
      writeFileSync(report, failureMarkdown(outcome, stdout.trim() !== ''));
    planMarkdown = report;
  }
  const hasChanges = command !== 'plan' ? '' : code === 2 ? 'true' : code === 0 ? 'false' : '';
  setOutputs({
    exitcode: code,
    'has-changes': hasChanges,
    'plan-markdown': planMarkdown,
    report,
  });
  if (summary && process.env.GITHUB_STEP_SUMMARY) {
    const text = markdown ? readFileSync(report, 'utf8') : summaryOf(command, outcome, stdout);
    appendFileSync(process.env.GITHUB_STEP_SUMMARY, `${text.trimEnd()}\n\n`);
  }

  const fails = code !== 0 && !(code === 2 && command === 'plan' && !detailed);
  if (fails) {
    const what = code === 2 ? 'found changes (detailed-exitcode)' : verdict(outcome);
    process.stdout.write(
      `::error title=ldhooks ${command}::${escapeCommand(`ldhooks ${command} ${what}`)}\n`,
    );
  }
  return fails ? code : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    const message = e instanceof InputError ? e.message : `unexpected: ${e?.stack ?? e}`;
    process.stdout.write(`::error title=ldhooks action::${escapeCommand(message)}\n`);
    setOutputs({ exitcode: 1, 'has-changes': '', 'plan-markdown': '', report: '' });
    process.exitCode = 1;
  },
);
