import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/adapters/emulator/index.js';
import { CLI, ROOT, runCli, SPAWN_TIMEOUT_MS } from '../support/cli.js';
import { MARKER } from './ci-files.js';
import {
  changeByHand,
  emulatorEnv,
  removeProject,
  setUp,
  spawnCollected,
  tearDown,
} from './project.js';
import { readFileCommands, workflowCommands } from './runner.js';

// The Action's logic, action/run.mjs, run as the runner runs it: a process with the inputs in
// INPUT_* variables and GITHUB_OUTPUT and GITHUB_STEP_SUMMARY pointing at files, running the
// built CLI (LDHOOKS_BIN) against the emulator.

const RUN = path.join(ROOT, 'action/run.mjs');

let emulator: Emulator;
let dir: string;
beforeEach(async () => {
  ({ emulator, dir } = await setUp());
});
afterEach(() => tearDown(emulator, dir));

interface ActionResult {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** Runs the action's script with these inputs (`detailed-exitcode` -> INPUT_DETAILED_EXITCODE). */
async function runAction(
  inputs: Record<string, string>,
  options: {
    env?: Record<string, string>;
    bin?: string | null;
    path?: string;
    /** Node's own options before the script, such as --require of a stand-in platform. */
    node?: string[];
  } = {},
): Promise<ActionResult> {
  const files = { output: path.join(dir, 'github-output'), summary: path.join(dir, 'summary.md') };
  await writeFile(files.output, '');
  await writeFile(files.summary, '');
  const env: Record<string, string> = {
    PATH: options.path ?? process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NO_COLOR: '1',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: dir,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_REPOSITORY: 'acme/hooks',
    GITHUB_RUN_ID: '42',
    ...(options.bin === null ? {} : { LDHOOKS_BIN: options.bin ?? CLI }),
    ...options.env,
  };
  for (const [name, value] of Object.entries(inputs))
    env[`INPUT_${name.toUpperCase().replaceAll('-', '_')}`] = value;
  const { code, stdout, stderr } = await spawnCollected(
    process.execPath,
    [...(options.node ?? []), RUN],
    { cwd: dir, env },
  );
  // The outputs as the runner reads them.
  const outputs = readFileCommands(await readFile(files.output, 'utf8'));
  return { code, stdout, stderr, outputs, summary: await readFile(files.summary, 'utf8') };
}

const applyExamples = async () => {
  const r = await runCli(['apply', 'webhooks/', '--auto-approve'], {
    cwd: dir,
    env: emulatorEnv(emulator),
  });
  expect(r.code, r.stderr).toBe(0);
};

/** Nothing the action printed or wrote shows the access token. */
const expectNoToken = async (r: ActionResult) => {
  const written = [r.outputs['plan-markdown'], r.outputs.report]
    .filter((f): f is string => Boolean(f))
    .map((f) => readFile(f, 'utf8'));
  for (const text of [r.stdout, r.stderr, r.summary, ...(await Promise.all(written))])
    expect(text).not.toContain(emulator.token);
};

const T = SPAWN_TIMEOUT_MS;

/** Markdown's character references (`&#58;`) as the characters a reader sees. */
const decoded = (markdown: string) =>
  markdown
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replaceAll('&quot;', '"')
    .replaceAll('&amp;', '&');

describe('the GitHub Action (action/run.mjs)', () => {
  it(
    'plans with no changes: exit 0, has-changes false, the Markdown plan in the summary',
    async () => {
      await applyExamples();
      emulator.resetLog();
      const r = await runAction({ paths: 'webhooks/' }, { env: emulatorEnv(emulator) });
      expect(r.code, r.stderr).toBe(0);
      expect(r.outputs.exitcode).toBe('0');
      expect(r.outputs['has-changes']).toBe('false');
      const markdown = await readFile(r.outputs['plan-markdown'] as string, 'utf8');
      expect(markdown).toBe(
        `${MARKER}\n### ldhooks plan\n\n**No changes. LaunchDarkly matches the configuration.**\n`,
      );
      expect(r.summary).toBe(`${markdown}\n`);
      expect(r.stdout).toContain(markdown);
      expect(r.stdout).not.toContain('::error');
      // Plan only reads: one GET.
      expect(emulator.counts()).toEqual({ GET: 1 });
      await expectNoToken(r);
    },
    T,
  );

  it(
    'plans with changes: the step succeeds, exitcode 2, has-changes true; the token comes from the token input',
    async () => {
      const r = await runAction(
        { paths: 'webhooks/', token: emulator.token, out: 'ldhooks-plan.json' },
        { env: { LD_BASE_URI: emulator.url } },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.outputs.exitcode).toBe('2');
      expect(r.outputs['has-changes']).toBe('true');
      expect(r.outputs.report).toBe(r.outputs['plan-markdown']);
      expect(r.summary).toContain('**Plan: 7 to create, 0 to update, 0 to delete');
      expect(r.summary.startsWith(MARKER)).toBe(true);
      // The saved plan, then applied exactly with plan-file.
      const saved = JSON.parse(await readFile(path.join(dir, 'ldhooks-plan.json'), 'utf8'));
      expect(saved.summary.create).toBe(7);
      await expectNoToken(r);
      const applied = await runAction(
        { command: 'apply', 'plan-file': 'ldhooks-plan.json', token: emulator.token },
        { env: { LD_BASE_URI: emulator.url } },
      );
      expect(applied.code, applied.stderr).toBe(0);
      expect(applied.outputs.exitcode).toBe('0');
      expect(applied.outputs['has-changes']).toBe('');
      expect(applied.outputs['plan-markdown']).toBe('');
      expect(applied.summary).toContain('### ldhooks apply\n\n`ldhooks apply` succeeded.');
      expect(applied.summary).toContain('Apply complete: 7 created, 0 updated, 0 deleted.');
      expect(await readFile(applied.outputs.report as string, 'utf8')).toContain(
        'Apply complete: 7 created',
      );
      await expectNoToken(applied);
    },
    T,
  );

  it(
    'fails drift with detailed-exitcode: exit 2, has-changes true, an error annotation',
    async () => {
      await applyExamples();
      changeByHand(emulator, 'audit-sink');
      const r = await runAction(
        { paths: 'webhooks/', 'detailed-exitcode': 'true' },
        { env: emulatorEnv(emulator) },
      );
      expect(r.code).toBe(2);
      expect(r.outputs.exitcode).toBe('2');
      expect(r.outputs['has-changes']).toBe('true');
      expect(r.summary).toContain('**Plan: 0 to create, 1 to update, 0 to delete');
      expect(r.summary).toContain('<code>audit-sink</code>');
      expect(r.stdout).toContain(
        '::error title=ldhooks plan::ldhooks plan found changes (detailed-exitcode)\n',
      );
      await expectNoToken(r);
    },
    T,
  );

  it(
    'a failed plan still writes a Markdown report, with the marker, to the summary and the plan file',
    async () => {
      await writeFile(
        path.join(dir, 'webhooks/broken.yaml'),
        'version: 1\nwebhooks:\n  - name: broken\n    url: /not-absolute\n',
      );
      const r = await runAction({ paths: 'webhooks/' }, { env: emulatorEnv(emulator) });
      expect(r.code).toBe(1);
      expect(r.outputs.exitcode).toBe('1');
      expect(r.outputs['has-changes']).toBe('');
      const markdown = await readFile(r.outputs['plan-markdown'] as string, 'utf8');
      expect(markdown.startsWith(`${MARKER}\n`)).toBe(true);
      // The problem, where it is, so that the reviewer knows why.
      expect(decoded(markdown)).toContain('webhooks/broken.yaml:4:10');
      expect(r.summary).toBe(`${markdown.trimEnd()}\n\n`);
      expect(r.stdout).toMatch(/^::error title=ldhooks plan::ldhooks plan exited with 1: /m);
      expect(emulator.requests).toEqual([]);
      await expectNoToken(r);
    },
    T,
  );

  it(
    'a plan refused by LaunchDarkly (a wrong token) says so, and never shows the token',
    async () => {
      const r = await runAction(
        { paths: 'webhooks/', token: 'wrong-token-9c1d' },
        { env: { LD_BASE_URI: emulator.url } },
      );
      expect(r.code).toBe(1);
      expect(r.outputs.exitcode).toBe('1');
      const markdown = await readFile(r.outputs['plan-markdown'] as string, 'utf8');
      expect(markdown.startsWith(`${MARKER}\n`)).toBe(true);
      expect(decoded(markdown)).toContain('401');
      for (const text of [r.stdout, r.stderr, r.summary, markdown])
        expect(text).not.toContain('wrong-token-9c1d');
    },
    T,
  );

  it(
    'a plan that wrote no report (a command line ldhooks refuses) gets one from the action, with the log link',
    async () => {
      const r = await runAction(
        { paths: 'webhooks/', args: '--no-such-option' },
        { env: emulatorEnv(emulator) },
      );
      expect(r.code).toBe(1);
      const markdown = await readFile(r.outputs['plan-markdown'] as string, 'utf8');
      expect(markdown).toBe(
        `${MARKER}\n### ldhooks plan failed\n\n\`ldhooks plan\` exited with 1: an error: a bad config, bad flags, an API failure or a failed operation. Nothing was planned. [The job log](https://github.example/acme/hooks/actions/runs/42) has the whole output.\n\n\`\`\`text\n${r.stderr.slice(r.stderr.indexOf('\n') + 1).trim()}\n\`\`\`\n`,
      );
      expect(markdown).toContain("unknown option '--no-such-option'");
      expect(r.summary).toBe(`${markdown.trimEnd()}\n\n`);
    },
    T,
  );

  it(
    'validates paths given with quotes, and writes the result to the summary',
    async () => {
      await cp(path.join(dir, 'webhooks'), path.join(dir, 'web hooks'), { recursive: true });
      const r = await runAction({ command: 'validate', paths: '"web hooks"', args: '--strict' });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('validate --strict -- "web hooks"');
      expect(r.summary).toBe(
        '### ldhooks validate\n\n`ldhooks validate` succeeded.\n\n```text\n5 files, 7 webhooks, valid\n```\n\n',
      );
      expect(r.outputs['has-changes']).toBe('');
    },
    T,
  );

  it(
    'refuses inputs that make no sense, saying which, with exit 1',
    async () => {
      for (const [inputs, said] of [
        [{ command: 'destroy' }, 'input command must be validate, plan or apply, not "destroy"'],
        [
          { command: 'apply', out: 'x.json' },
          'input out is for command plan, not for command apply',
        ],
        [{ 'detailed-exitcode': 'yes' }, 'input detailed-exitcode must be true or false'],
        [{ paths: '"webhooks' }, 'input paths has an unclosed "'],
      ] as const) {
        const r = await runAction(inputs);
        expect(r.code, JSON.stringify(inputs)).toBe(1);
        expect(r.stdout).toContain(`::error title=ldhooks action::${said}`);
        expect(r.outputs.exitcode).toBe('1');
      }
    },
    T,
  );

  /**
   * A stand-in for npm's npm-cli.js, found as the npm that started the action (npm_execpath):
   * it records each call (and whether it got the token), then `install`s ldhooks into the
   * --prefix folder as a link to `pkg` (this checkout by default), or fails as npm 11 does when
   * the package is not on the registry.
   */
  async function fakeNpm(
    mode: 'install' | '404',
    pkg = ROOT,
  ): Promise<{ env: Record<string, string>; calls: () => Promise<string> }> {
    const bin = path.join(dir, '.fake-npm/bin');
    const calls = path.join(dir, 'npm-calls');
    await mkdir(bin, { recursive: true });
    await writeFile(
      path.join(bin, 'npm-cli.js'),
      `const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
const prefix = args.find((a) => a.startsWith('--prefix='))?.slice('--prefix='.length);
const shown = args.map((a) => (a === '--prefix=' + prefix ? '--prefix=PREFIX' : a)).join(' ');
fs.appendFileSync(${JSON.stringify(calls)}, shown + ' (token: ' + (process.env.LD_ACCESS_TOKEN ? 'set' : '') + ', in the prefix: ' + (process.cwd() === prefix) + ')\\n');
if (${JSON.stringify(mode)} === '404') {
  process.stderr.write(${JSON.stringify(NPM_404)});
  process.exit(1);
}
fs.mkdirSync(path.join(prefix, 'node_modules'), { recursive: true });
fs.symlinkSync(${JSON.stringify(pkg)}, path.join(prefix, 'node_modules/ldhooks'), 'dir');
`,
    );
    return {
      env: { npm_execpath: path.join(bin, 'npm-cli.js') },
      calls: () => readFile(calls, 'utf8'),
    };
  }
  /** What npm 11 prints when the package is not on the registry (as `npm view ldhooks` does). */
  const NPM_404 = `npm error code E404
npm error 404 Not Found - GET https://registry.npmjs.org/ldhooks
npm error 404
npm error 404  The requested resource 'ldhooks@9.9.9' could not be found or you do not have permission to access it.
npm error 404
npm error 404 Note that you can also install from a
npm error 404 tarball, folder, http url, or git url.
npm error A complete log of this run can be found in: /root/.npm/_logs/debug-0.log
`;
  const INSTALL =
    'install ldhooks@VERSION --prefix=PREFIX --no-save --no-package-lock --ignore-scripts --no-audit --no-fund';
  const installCall = (version: string) =>
    `${INSTALL.replace('VERSION', version)} (token: , in the prefix: true)\n`;

  it(
    "runs the ldhooks the project installed, else installs the action's version or the version input with npm",
    async () => {
      // The project's devDependency: node_modules/ldhooks, as npm installs it.
      await mkdir(path.join(dir, 'node_modules'));
      await symlink(ROOT, path.join(dir, 'node_modules/ldhooks'), 'dir');
      const version = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')).version;
      const npm = await fakeNpm('install');
      let r = await runAction(
        { command: 'validate', paths: 'webhooks/' },
        { bin: null, env: npm.env },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`Running ldhooks ${version} (the project's installed ldhooks)`);
      expect(existsSync(path.join(dir, 'npm-calls'))).toBe(false);

      // With a version input, npm installs it (into a folder of its own, without the token),
      // and ldhooks runs from there, with the token.
      r = await runAction(
        { command: 'validate', paths: 'webhooks/', version: '1.2.3' },
        { bin: null, env: { ...npm.env, LD_ACCESS_TOKEN: 'token-6e0f' } },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(
        `Running ldhooks ${version} (installed by npm as ldhooks@1.2.3) validate -- webhooks/`,
      );
      // Without the devDependency: the action's own version.
      await removeProject(path.join(dir, 'node_modules'));
      r = await runAction({ command: 'validate', paths: 'webhooks/' }, { bin: null, env: npm.env });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`(installed by npm as ldhooks@${version}) validate -- webhooks/`);
      expect(r.stdout).toContain('5 files, 7 webhooks, valid');
      expect(await npm.calls()).toBe(installCall('1.2.3') + installCall(version));
      // The install went into the action's temporary folder, not the project.
      expect(existsSync(path.join(dir, 'node_modules'))).toBe(false);
    },
    T,
  );

  it(
    "tells npm failing to fetch ldhooks (npm's 404) apart from ldhooks' own exit 1, and says what to do",
    async () => {
      const npm = await fakeNpm('404');
      const r = await runAction(
        { paths: 'webhooks/', version: '9.9.9' },
        { bin: null, env: { ...npm.env, ...emulatorEnv(emulator) } },
      );
      expect(r.code).toBe(1);
      expect(r.outputs.exitcode).toBe('1');
      expect(r.outputs['has-changes']).toBe('');
      const said =
        'could not install ldhooks@9.9.9: npm error E404: 404 Not Found - GET https://registry.npmjs.org/ldhooks; add ldhooks as a devDependency of the project and run `npm ci` before this step (see "Using ldhooks in CI" in the ldhooks README), or give a published version in the version input';
      const markdown = await readFile(r.outputs['plan-markdown'] as string, 'utf8');
      expect(markdown).toContain(
        `${MARKER}\n### ldhooks plan failed\n\n\`ldhooks plan\` did not run: ${said}. Nothing was planned.`,
      );
      // npm's own words are quoted; nothing blames the config.
      expect(markdown).toContain("'ldhooks@9.9.9' could not be found");
      expect(r.summary).toBe(`${markdown.trimEnd()}\n\n`);
      expect(r.stdout).toContain(`::error title=ldhooks plan::ldhooks plan did not run: ${said}\n`);
      for (const text of [r.stdout, r.stderr, markdown]) expect(text).not.toContain('bad config');
      // ldhooks never ran: only the install was tried, without the token, and LaunchDarkly was
      // never asked.
      expect(await npm.calls()).toBe(installCall('9.9.9'));
      expect(emulator.requests).toEqual([]);
      await expectNoToken(r);

      // Once ldhooks runs, its exit 1 is its own: here a bad config.
      await writeFile(
        path.join(dir, 'webhooks/broken.yaml'),
        'version: 1\nwebhooks:\n  - name: broken\n    url: /not-absolute\n',
      );
      const installs = await fakeNpm('install');
      const own = await runAction(
        { command: 'validate', paths: 'webhooks/', version: '9.9.9' },
        { bin: null, env: installs.env },
      );
      expect(own.code).toBe(1);
      expect(own.summary).toContain(
        '`ldhooks validate` exited with 1: an error: a bad config, bad flags, an API failure or a failed operation.',
      );
      expect(own.summary).toContain('webhooks/broken.yaml:4:10');
    },
    T,
  );

  it(
    'does not fall back to npm when the project declares ldhooks but npm ci has not installed it',
    async () => {
      await writeFile(
        path.join(dir, 'package.json'),
        JSON.stringify({ devDependencies: { ldhooks: 'file:vendor/ldhooks-0.2.0.tgz' } }),
      );
      await mkdir(path.join(dir, 'infra'));
      await cp(path.join(dir, 'webhooks'), path.join(dir, 'infra/webhooks'), { recursive: true });
      const npm = await fakeNpm('404');
      const r = await runAction(
        {
          command: 'apply',
          paths: 'webhooks/',
          'auto-approve': 'true',
          'working-directory': 'infra',
        },
        { bin: null, env: { ...npm.env, ...emulatorEnv(emulator) } },
      );
      expect(r.code).toBe(1);
      expect(r.outputs.exitcode).toBe('1');
      const said = `${path.join(dir, 'package.json')} declares ldhooks, but it is not installed in ${dir}: run \`npm ci\` there in a step before this one`;
      expect(r.summary).toBe(`### ldhooks apply\n\n\`ldhooks apply\` did not run: ${said}.\n\n`);
      expect(r.stdout).toContain(
        `::error title=ldhooks apply::ldhooks apply did not run: ${said}\n`,
      );
      expect(existsSync(path.join(dir, 'npm-calls'))).toBe(false);
      expect(emulator.requests).toEqual([]);
    },
    T,
  );
});

describe('the GitHub Action against hostile inputs and output', () => {
  /**
   * A package standing in for ldhooks: its bin records the arguments it got (and whether it got
   * the token) to RECORD_FILE, prints a version for --version, and a Markdown plan otherwise.
   */
  async function recordingPackage(): Promise<{
    pkg: string;
    record: string;
    calls: () => Promise<unknown[]>;
  }> {
    const pkg = path.join(dir, '.recording-ldhooks');
    const record = path.join(dir, 'ldhooks-calls.jsonl');
    await mkdir(path.join(pkg, 'bin'), { recursive: true });
    await writeFile(
      path.join(pkg, 'package.json'),
      JSON.stringify({ name: 'ldhooks', version: '9.8.7', bin: { ldhooks: 'bin/record.cjs' } }),
    );
    await writeFile(
      path.join(pkg, 'bin/record.cjs'),
      `const args = process.argv.slice(2);
require('node:fs').appendFileSync(process.env.RECORD_FILE, JSON.stringify({ args, token: Boolean(process.env.LD_ACCESS_TOKEN) }) + '\\n');
process.stdout.write(args[0] === '--version' ? '9.8.7\\n' : ${JSON.stringify(`${MARKER}\n### recorded\n`)});
`,
    );
    const calls = async () =>
      existsSync(record)
        ? (await readFile(record, 'utf8'))
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l))
        : [];
    return { pkg, record, calls };
  }

  /**
   * Windows, as far as Node's child_process can tell: process.platform is win32 inside the
   * action (a --require'd file sets it), and a stand-in cmd.exe on the PATH records any call,
   * which is where `shell: true` sends a command line on Windows.
   */
  async function simulatedWindows() {
    const fakeBin = path.join(dir, '.fake-win');
    await mkdir(fakeBin, { recursive: true });
    const preload = path.join(fakeBin, 'win32.cjs');
    await writeFile(preload, "Object.defineProperty(process, 'platform', { value: 'win32' });\n");
    const cmdCalls = path.join(dir, 'cmd-exe-calls');
    await writeFile(
      path.join(fakeBin, 'cmd.exe'),
      `#!/bin/sh\necho "cmd.exe $*" >> "${cmdCalls}"\nexit 1\n`,
    );
    await chmod(path.join(fakeBin, 'cmd.exe'), 0o755);
    return {
      node: ['--require', preload],
      path: `${fakeBin}${path.delimiter}${process.env.PATH ?? ''}`,
      cmdCalls,
    };
  }

  const HOSTILE = {
    paths: `'a&b' "c d" 'e"f' %PATH% ^g "h&echo pwned>x"`,
    args: `--target 'x&y' --target "%TEMP%^"`,
    out: 'o&u"t %x% ^.json',
  };
  const HOSTILE_ARGS = [
    'plan',
    '--format=markdown',
    '--detailed-exitcode',
    '--out=o&u"t %x% ^.json',
    '--target',
    'x&y',
    '--target',
    '%TEMP%^',
    '--',
    'a&b',
    'c d',
    'e"f',
    '%PATH%',
    '^g',
    'h&echo pwned>x',
  ];

  it(
    "on Windows, runs the project's ldhooks and npm without cmd.exe: &, quotes, %, ^ and spaces reach ldhooks as given",
    async () => {
      const win = await simulatedWindows();
      const rec = await recordingPackage();
      await mkdir(path.join(dir, 'node_modules'));
      await symlink(rec.pkg, path.join(dir, 'node_modules/ldhooks'), 'dir');
      const env = { RECORD_FILE: rec.record, LD_ACCESS_TOKEN: 'token-1f2e' };
      let r = await runAction(HOSTILE, { bin: null, node: win.node, path: win.path, env });
      expect(r.code, r.stderr).toBe(0);
      expect(existsSync(win.cmdCalls)).toBe(false);
      expect(await rec.calls()).toEqual([{ args: HOSTILE_ARGS, token: true }]);

      // Installed by npm (the version input): npm-cli.js and then ldhooks, both run by Node.
      await removeProject(path.join(dir, 'node_modules'));
      const npm = await fakeNpmFor(rec.pkg);
      r = await runAction(
        { ...HOSTILE, version: '9.8.7', command: 'validate', out: '', format: 'json&calc' },
        { bin: null, node: win.node, path: win.path, env: { ...env, ...npm } },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(existsSync(win.cmdCalls)).toBe(false);
      expect((await rec.calls()).slice(1)).toEqual([
        { args: ['--version'], token: false },
        {
          args: ['validate', '--format=json&calc', ...HOSTILE_ARGS.slice(4)],
          token: true,
        },
      ]);

      // A version is a version: anything else is refused before npm runs.
      r = await runAction(
        { paths: 'webhooks/', version: '1.0.0&calc' },
        { bin: null, node: win.node, path: win.path, env: { ...env, ...npm } },
      );
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(
        '::error title=ldhooks action::input version must be a published version of ldhooks or a dist-tag, such as 0.2.0 or latest, not "1.0.0&calc"',
      );
      expect(existsSync(win.cmdCalls)).toBe(false);
      expect(await rec.calls()).toHaveLength(3);
    },
    T,
  );

  /** A stand-in npm-cli.js (npm_execpath) that installs `pkg` as ldhooks into --prefix. */
  async function fakeNpmFor(pkg: string): Promise<Record<string, string>> {
    const file = path.join(dir, '.fake-npm-for/npm-cli.js');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(
      file,
      `const fs = require('node:fs');
const prefix = process.argv.find((a) => a.startsWith('--prefix=')).slice('--prefix='.length);
fs.mkdirSync(prefix + '/node_modules', { recursive: true });
fs.symlinkSync(${JSON.stringify(pkg)}, prefix + '/node_modules/ldhooks', 'dir');
`,
    );
    return { npm_execpath: file };
  }

  /** A server standing in for an attacker's: it records every request and its token. */
  async function attacker() {
    const seen: string[] = [];
    const server = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"items":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { url, seen, close: () => new Promise((r) => server.close(r)) };
  }

  it(
    'never lets paths or args send the token elsewhere: a path that reads as an option, --base-uri and --insecure in args',
    async () => {
      const evil = await attacker();
      try {
        const env = emulatorEnv(emulator);
        for (const [inputs, said] of [
          [
            { paths: `webhooks/ --base-uri=${evil.url}` },
            `input paths: "--base-uri=${evil.url}" starts with "-", which reads as an option: write ./--base-uri=${evil.url} for a file of that name, and give options in args`,
          ],
          [
            { command: 'apply', paths: 'webhooks/ -q', 'auto-approve': 'true' },
            'input paths: "-q" starts with "-"',
          ],
          [
            { paths: 'webhooks/', args: `--base-uri ${evil.url}` },
            "input args: --base-uri would send the access token to another server, and args is no place for that: set LD_BASE_URI in the step's env instead",
          ],
          [
            { command: 'validate', args: `--base-uri=${evil.url}` },
            'input args: --base-uri would send the access token',
          ],
          [{ args: '--insecure' }, 'input args: --insecure would send the access token'],
          [
            { args: '-- webhooks/' },
            'input args: give config paths in the paths input, not after -- in args',
          ],
          [
            { args: '--format text' },
            "input args: --format is set by the action's format input: give it there, not in args",
          ],
          [{ args: '--out=x.json' }, "input args: --out is set by the action's out input"],
          [
            { command: 'apply', args: '--plan p.json' },
            "input args: --plan is set by the action's plan-file input",
          ],
        ] as const) {
          const r = await runAction(inputs, { env });
          expect(r.code, JSON.stringify(inputs)).toBe(1);
          expect(r.stdout).toContain(`::error title=ldhooks action::${said}`);
        }
        expect(evil.seen).toEqual([]);
        expect(emulator.requests).toEqual([]);
      } finally {
        await evil.close();
      }
    },
    T,
  );

  it('ldhooks reads every word after -- as a path, in each command the action runs', async () => {
    const evil = await attacker();
    try {
      for (const command of [['validate'], ['plan'], ['apply', '--auto-approve']]) {
        const r = await runCli([...command, '--', 'webhooks/', `--base-uri=${evil.url}`], {
          cwd: dir,
          env: emulatorEnv(emulator),
        });
        expect(r.code, command[0]).toBe(1);
        // The path as ldhooks shows it, normalized (http:/…), not found.
        expect(r.stderr, command[0]).toMatch(
          /^--base-uri=http:\/+127\.0\.0\.1:\d+ {2}no such file or directory/m,
        );
      }
      expect(evil.seen).toEqual([]);
      expect(emulator.requests).toEqual([]);
    } finally {
      await evil.close();
    }
  });

  it(
    'reports a signal as the signal: SIGKILL is exit code 137, most likely out of memory, not SIGINT',
    async () => {
      const killer = path.join(dir, 'killed.cjs');
      for (const [signal, code, meaning] of [
        [
          'SIGKILL',
          137,
          'most likely the runner ran out of memory (the out-of-memory killer sends SIGKILL), or the job was cancelled and did not stop in time',
        ],
        ['SIGTERM', 143, 'the job was cancelled or timed out'],
      ] as const) {
        await writeFile(
          killer,
          `process.kill(process.pid, '${signal}');\nsetInterval(() => {}, 1000);\n`,
        );
        const r = await runAction(
          { paths: 'webhooks/' },
          { bin: killer, env: emulatorEnv(emulator) },
        );
        const said = `was ended by ${signal} (exit code ${code}): ${meaning}`;
        expect(r.code).toBe(code);
        expect(r.outputs.exitcode).toBe(String(code));
        expect(r.outputs['has-changes']).toBe('');
        const markdown = await readFile(r.outputs['plan-markdown'] as string, 'utf8');
        expect(markdown).toContain(`\`ldhooks plan\` ${said}. Nothing was planned.`);
        expect(r.stdout).toContain(`::error title=ldhooks plan::ldhooks plan ${said}\n`);
        expect(r.stdout + markdown).not.toContain('SIGINT');
      }
    },
    T,
  );

  it(
    'never posts the part of a plan that a signal cut short as if it were the whole plan',
    async () => {
      const killer = path.join(dir, 'cut-short.cjs');
      await writeFile(
        killer,
        `process.stdout.write('<!-- ldhooks-plan -->\\n### ldhooks plan\\n\\n**Plan: 1 to create', () => process.kill(process.pid, 'SIGKILL'));\nsetInterval(() => {}, 1000);\n`,
      );
      const r = await runAction(
        { paths: 'webhooks/' },
        { bin: killer, env: emulatorEnv(emulator) },
      );
      expect(r.code).toBe(137);
      const markdown = await readFile(r.outputs['plan-markdown'] as string, 'utf8');
      expect(markdown).not.toContain('Plan: 1 to create');
      expect(markdown).toContain('was ended by SIGKILL (exit code 137)');
      expect(markdown).toContain(
        'It was stopped while it wrote its report, so the plan is not shown',
      );
    },
    T,
  );

  it(
    'writes outputs that no value can forge: a RUNNER_TEMP with line breaks cannot set exitcode',
    async () => {
      const temp = path.join(dir, 'tmp\nexitcode=0\nhas-changes=false\nx=');
      await mkdir(temp);
      await writeFile(
        path.join(dir, 'webhooks/broken.yaml'),
        'version: 1\nwebhooks:\n  - name: broken\n    url: /not-absolute\n',
      );
      const r = await runAction(
        { paths: 'webhooks/' },
        { env: { ...emulatorEnv(emulator), RUNNER_TEMP: temp } },
      );
      expect(r.code).toBe(1);
      expect(Object.keys(r.outputs).sort()).toEqual([
        'exitcode',
        'has-changes',
        'plan-markdown',
        'report',
      ]);
      expect(r.outputs.exitcode).toBe('1');
      expect(r.outputs['has-changes']).toBe('');
      expect(r.outputs.report?.startsWith(`${temp}/ldhooks-`)).toBe(true);
      expect(await readFile(r.outputs.report as string, 'utf8')).toContain(MARKER);
    },
    T,
  );

  it(
    'copies what ldhooks prints to the log as it is, but never as a workflow command',
    async () => {
      const noisy = path.join(dir, 'noisy.cjs');
      const out = [
        '::set-output name=has-changes::false',
        '  ::add-mask::not-a-secret',
        'a ##[set-output name=exitcode;]0',
        '\u0085::stop-commands::pwned',
        'a\r::error::after a carriage return',
      ];
      await writeFile(
        noisy,
        `const fs = require('node:fs');
fs.writeSync(1, ${JSON.stringify(`${MARKER}\n${out.join('\n')}\n:`)});
fs.writeSync(1, ':warning::split across two writes\\n');
fs.writeSync(2, '::error file=x::from standard error\\n##[error]old syntax\\n');
process.exitCode = 2;
`,
      );
      const r = await runAction({ paths: 'webhooks/' }, { bin: noisy });
      expect(r.code, r.stderr).toBe(0);
      expect(r.outputs).toMatchObject({ exitcode: '2', 'has-changes': 'true' });
      expect(workflowCommands(r.stdout + r.stderr)).toEqual([]);
      // The log reads the same; the report and the summary keep every byte.
      expect(r.stdout.replaceAll('\u200b', '')).toContain(out.join('\n'));
      expect(r.stderr.replaceAll('\u200b', '')).toContain('::error file=x::from standard error');
      const report = await readFile(r.outputs.report as string, 'utf8');
      expect(report).toBe(`${MARKER}\n${out.join('\n')}\n::warning::split across two writes\n`);
      expect(r.summary).toBe(`${report.trimEnd()}\n\n`);
    },
    T,
  );
});
