#!/usr/bin/env node
// The logic of the ldhooks GitHub Action (action.yml at the repository root): runs one ldhooks
// command, copies its output to the log and to a file, and writes the step's outputs and the job
// summary. action.yml passes every input as an INPUT_* variable, never inside the script text,
// so that no input can inject shell, and the access token only ever travels in the environment.
//
// Which ldhooks runs: LDHOOKS_BIN (a JavaScript file run with this Node; the tests use the built
// CLI); else, without a `version` input, the ldhooks the project installed (its devDependency,
// found from the working directory); else `npx --yes ldhooks@VERSION`, VERSION being the
// `version` input or the version of this action. A failure to obtain or start ldhooks (a
// devDependency that `npm ci` has not installed, a version npx cannot fetch) is reported as
// such, never as ldhooks' own exit code 1, which means a bad config or an API failure.

import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
  130: 'stopped by SIGINT',
  143: 'stopped by SIGTERM',
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

/** The ldhooks arguments the inputs ask for. */
function ldhooksArgs(command) {
  const paths = words('paths');
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
  const args = [command];
  if (command === 'apply' && planFile) {
    if (paths.length > 0)
      throw new InputError('give either paths or plan-file to apply: a saved plan needs no config');
    args.push('--plan', planFile);
  } else args.push(...paths);
  if (command === 'plan') {
    // Always detailed inside the action: exit 2 is how has-changes is known for certain. The
    // step still succeeds on changes unless the detailed-exitcode input asks otherwise.
    args.push('--format', format || 'markdown', '--detailed-exitcode');
    if (out) args.push('--out', out);
  } else if (format) args.push('--format', format);
  if (autoApprove) args.push('--auto-approve');
  args.push(...words('args'));
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

function ldhooksCommand(cwd) {
  if (process.env.LDHOOKS_BIN) {
    return {
      file: process.execPath,
      prefix: [path.resolve(process.env.LDHOOKS_BIN)],
      shown: 'ldhooks (LDHOOKS_BIN)',
    };
  }
  const version = input('version');
  if (!version) {
    const installed = installedLdhooks(cwd);
    if (installed) {
      return {
        file: process.execPath,
        prefix: [installed.file],
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
  return {
    file: process.platform === 'win32' ? 'npx.cmd' : 'npx',
    prefix: ['--yes', `ldhooks@${wanted}`],
    shown: `npx ldhooks@${wanted}`,
    wanted,
  };
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
 * Starts `command` with `args`, copying its standard error to ours and keeping its end, and
 * handing each chunk of its standard output to `onStdout`.
 */
function start(command, args, cwd, env, onStdout) {
  return new Promise((resolve) => {
    const child = spawn(command.file, [...command.prefix, ...args], {
      cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      shell: process.platform === 'win32',
    });
    let stderr = '';
    child.stdout.on('data', onStdout);
    child.stderr.on('data', (chunk) => {
      process.stderr.write(chunk);
      stderr = (stderr + chunk.toString('utf8')).slice(-MAX_QUOTED_STDERR);
    });
    child.on('error', (error) => resolve({ error, stderr }));
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

const NPX_REMEDY =
  'add ldhooks as a devDependency of the project and run `npm ci` before this step (see "Using ldhooks in CI" in the ldhooks README), or give a published version in the version input';

/**
 * Fetches the ldhooks that npx runs, by running its `--version` alone first, so that npx failing
 * to fetch or start it (a version not on the registry, no network) is told apart from ldhooks
 * exiting 1. The access token and the plan key are left out of this run's environment.
 */
async function fetchWithNpx(command, cwd, env) {
  const quiet = { ...env };
  for (const name of ['LD_ACCESS_TOKEN', 'LAUNCHDARKLY_ACCESS_TOKEN', 'LDHOOKS_PLAN_KEY'])
    delete quiet[name];
  process.stderr.write(`Fetching ${command.shown}: npx ${command.prefix.join(' ')} --version\n`);
  let stdout = '';
  const r = await start(command, ['--version'], cwd, quiet, (chunk) => {
    stdout += chunk;
  });
  if (r.error) {
    throw new SetupError(
      `could not start npx to install ldhooks@${command.wanted}: ${r.error.message}; ${NPX_REMEDY}`,
    );
  }
  if (r.code === 0 && /^\d+\.\d+\.\d+/.test(stdout.trim())) return;
  const npm = npmReason(r.stderr);
  const last = r.stderr.trim().split('\n').at(-1);
  const failed = npm
    ? `could not install ldhooks@${command.wanted}: ${npm}`
    : `could not start ldhooks@${command.wanted} with npx: ${last || `npx exited with ${r.code ?? r.signal} and printed no version`}`;
  throw new SetupError(`${failed}; ${NPX_REMEDY}`, r.stderr);
}

/** Runs ldhooks, copying its output to ours as it comes, and resolves with its exit code. */
async function run(command, args, cwd, env, stdoutFile) {
  writeFileSync(stdoutFile, '');
  const r = await start(command, args, cwd, env, (chunk) => {
    process.stdout.write(chunk);
    appendFileSync(stdoutFile, chunk);
  });
  if (r.error) throw new SetupError(`could not start ${command.shown}: ${r.error.message}`);
  return { code: r.code ?? (r.signal === 'SIGTERM' ? 143 : 130), stderr: r.stderr };
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
function verdict({ code, setup }) {
  if (setup) return `did not run: ${setup}`;
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
function failureMarkdown(outcome) {
  const link = logLink();
  const lines = [
    MARKER,
    '### ldhooks plan failed',
    '',
    `\`ldhooks plan\` ${verdict(outcome)}. Nothing was planned.${link ? ` [The job log](${link}) has the whole output.` : ''}`,
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

function setOutputs(outputs) {
  const file = process.env.GITHUB_OUTPUT;
  const text = Object.entries(outputs)
    .map(([k, v]) => `${k}=${v}\n`)
    .join('');
  if (file) appendFileSync(file, text);
  else process.stdout.write(text);
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
    const ldhooks = ldhooksCommand(cwd);
    if (ldhooks.wanted) await fetchWithNpx(ldhooks, cwd, env);
    process.stderr.write(`Running ${ldhooks.shown} ${args.join(' ')} in ${cwd}\n`);
    outcome = await run(ldhooks, args, cwd, env, report);
  } catch (e) {
    if (!(e instanceof SetupError)) throw e;
    // ldhooks never ran: exit code 1, said to be a failure to run it, not a bad config.
    process.stderr.write(`${e.message}\n`);
    writeFileSync(report, '');
    outcome = { code: 1, stderr: e.output, setup: e.message };
  }
  const { code } = outcome;

  const stdout = readFileSync(report, 'utf8');
  let planMarkdown = '';
  if (markdown) {
    if (stdout.trim() === '') writeFileSync(report, failureMarkdown(outcome));
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
