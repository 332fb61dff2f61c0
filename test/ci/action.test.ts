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
  options: { env?: Record<string, string>; bin?: string | null; path?: string } = {},
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
  const { code, stdout, stderr } = await spawnCollected(process.execPath, [RUN], { cwd: dir, env });
  const outputs = Object.fromEntries(
    (await readFile(files.output, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
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
      expect(r.stderr).toContain('validate web hooks --strict');
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

  /** A stand-in npx first on the PATH: it records each call (and whether it got the token). */
  async function fakeNpx(body: string): Promise<{ PATH: string; calls: () => Promise<string> }> {
    const fake = path.join(dir, 'bin');
    const calls = path.join(dir, 'npx-calls');
    await mkdir(fake, { recursive: true });
    await writeFile(
      path.join(fake, 'npx'),
      `#!/bin/sh\necho "$* (token: \${LD_ACCESS_TOKEN:+set})" >> "${calls}"\n${body}\n`,
    );
    await chmod(path.join(fake, 'npx'), 0o755);
    return {
      PATH: `${fake}${path.delimiter}${process.env.PATH ?? ''}`,
      calls: () => readFile(calls, 'utf8'),
    };
  }
  /** npx running the built CLI, as npx runs a package it fetched. */
  const NPX_RUNS_LDHOOKS = `shift 2\nexec "${process.execPath}" "${CLI}" "$@"`;
  /** npx as npm 11 fails when the package is not on the registry (as `npm view ldhooks` does). */
  const NPX_404 = `cat >&2 <<'END'
npm error code E404
npm error 404 Not Found - GET https://registry.npmjs.org/ldhooks
npm error 404
npm error 404  The requested resource 'ldhooks@9.9.9' could not be found or you do not have permission to access it.
npm error 404
npm error 404 Note that you can also install from a
npm error 404 tarball, folder, http url, or git url.
npm error A complete log of this run can be found in: /root/.npm/_logs/debug-0.log
END
exit 1`;

  it(
    "runs the ldhooks the project installed, else npx with the action's version or the version input",
    async () => {
      // The project's devDependency: node_modules/ldhooks, as npm installs it.
      await mkdir(path.join(dir, 'node_modules'));
      await symlink(ROOT, path.join(dir, 'node_modules/ldhooks'), 'dir');
      const version = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')).version;
      let r = await runAction({ command: 'validate', paths: 'webhooks/' }, { bin: null });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`Running ldhooks ${version} (the project's installed ldhooks)`);

      // Else npx, which first fetches the package alone (--version), without the token.
      const npx = await fakeNpx(NPX_RUNS_LDHOOKS);
      r = await runAction(
        { command: 'validate', paths: 'webhooks/', version: '1.2.3' },
        { bin: null, path: npx.PATH, env: { LD_ACCESS_TOKEN: 'token-6e0f' } },
      );
      expect(r.code, r.stderr).toBe(0);
      await removeProject(path.join(dir, 'node_modules'));
      r = await runAction(
        { command: 'validate', paths: 'webhooks/' },
        { bin: null, path: npx.PATH },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`Running npx ldhooks@${version} validate webhooks/`);
      expect(await npx.calls()).toBe(
        [
          '--yes ldhooks@1.2.3 --version (token: )',
          '--yes ldhooks@1.2.3 validate webhooks/ (token: set)',
          `--yes ldhooks@${version} --version (token: )`,
          `--yes ldhooks@${version} validate webhooks/ (token: )`,
          '',
        ].join('\n'),
      );
    },
    T,
  );

  it(
    "tells npx failing to fetch ldhooks (npm's 404) apart from ldhooks' own exit 1, and says what to do",
    async () => {
      const npx = await fakeNpx(NPX_404);
      const r = await runAction(
        { paths: 'webhooks/', version: '9.9.9' },
        { bin: null, path: npx.PATH, env: emulatorEnv(emulator) },
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
      // ldhooks never ran: only the fetch was tried, without the token, and LaunchDarkly was
      // never asked.
      expect(await npx.calls()).toBe('--yes ldhooks@9.9.9 --version (token: )\n');
      expect(emulator.requests).toEqual([]);
      await expectNoToken(r);

      // Once ldhooks runs, its exit 1 is its own: here a bad config.
      await writeFile(
        path.join(dir, 'webhooks/broken.yaml'),
        'version: 1\nwebhooks:\n  - name: broken\n    url: /not-absolute\n',
      );
      await fakeNpx(NPX_RUNS_LDHOOKS);
      const own = await runAction(
        { command: 'validate', paths: 'webhooks/', version: '9.9.9' },
        { bin: null, path: npx.PATH },
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
    'does not fall back to npx when the project declares ldhooks but npm ci has not installed it',
    async () => {
      await writeFile(
        path.join(dir, 'package.json'),
        JSON.stringify({ devDependencies: { ldhooks: 'file:vendor/ldhooks-0.2.0.tgz' } }),
      );
      await mkdir(path.join(dir, 'infra'));
      await cp(path.join(dir, 'webhooks'), path.join(dir, 'infra/webhooks'), { recursive: true });
      await fakeNpx(NPX_404);
      const r = await runAction(
        {
          command: 'apply',
          paths: 'webhooks/',
          'auto-approve': 'true',
          'working-directory': 'infra',
        },
        { bin: null, path: path.join(dir, 'bin'), env: emulatorEnv(emulator) },
      );
      expect(r.code).toBe(1);
      expect(r.outputs.exitcode).toBe('1');
      const said = `${path.join(dir, 'package.json')} declares ldhooks, but it is not installed in ${dir}: run \`npm ci\` there in a step before this one`;
      expect(r.summary).toBe(`### ldhooks apply\n\n\`ldhooks apply\` did not run: ${said}.\n\n`);
      expect(r.stdout).toContain(
        `::error title=ldhooks apply::ldhooks apply did not run: ${said}\n`,
      );
      expect(existsSync(path.join(dir, 'npx-calls'))).toBe(false);
      expect(emulator.requests).toEqual([]);
    },
    T,
  );
});
