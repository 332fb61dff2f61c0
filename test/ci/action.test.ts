import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
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
