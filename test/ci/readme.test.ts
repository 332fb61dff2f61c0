import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Emulator } from '../../src/adapters/emulator/index.js';
import { VERSION } from '../../src/version.js';
import { ROOT, SPAWN_TIMEOUT_MS } from '../support/cli.js';
import { ACTION, GITLAB_FILE, githubWorkflows, loadYaml, MARKER, type Yaml } from './ci-files.js';
import { setUp, spawnCollected, tearDown } from './project.js';

// The README's "Using ldhooks in CI" says what action.yml has: its tables list exactly the
// action's inputs (with their defaults) and outputs, and its snippets are valid workflow steps
// that use only inputs the action has.

const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const section = (() => {
  const start = readme.indexOf('\n## Using ldhooks in CI\n');
  const end = readme.indexOf('\n## ', start + 1);
  if (start < 0) throw new Error('the README has no section "Using ldhooks in CI"');
  return readme.slice(start, end);
})();
const action = loadYaml(ACTION);

/** The first column of the Markdown table whose header starts with `| name |`. */
const tableKeys = (name: string) => {
  const start = section.indexOf(`\n| ${name} |`);
  const rows = section.slice(start + 1).split('\n');
  const table = rows.slice(
    2,
    rows.findIndex((r) => !r.startsWith('|')),
  );
  return table.map((r) => r.split('|').map((c) => c.trim()));
};

describe('the README on the GitHub Action', () => {
  it('lists every input of action.yml with its default, and nothing else', () => {
    const rows = tableKeys('input');
    expect(rows.map((r) => r[1])).toEqual(Object.keys(action.inputs).map((k) => `\`${k}\``));
    for (const r of rows) {
      const name = (r[1] as string).replaceAll('`', '');
      const declared = action.inputs[name].default as string;
      // A default in the table is the declared one, or says in words what an empty one means.
      if (declared !== '' && declared !== '.') expect(r[2], name).toBe(`\`${declared}\``);
    }
  });

  it('lists every output of action.yml', () => {
    expect(tableKeys('output').map((r) => r[1])).toEqual(
      Object.keys(action.outputs).map((k) => `\`${k}\``),
    );
  });

  it(
    'gives snippets that action-validator accepts as steps, with inputs the action has',
    () => {
      const snippets = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)]
        .map((m) => m[1] as string)
        .filter((s) => s.includes('OWNER/ldhooks@'));
      expect(snippets.length).toBe(2);
      const validator = createRequire(path.join(ROOT, 'package.json')).resolve(
        '@action-validator/cli/cli.mjs',
      );
      const dir = mkdtempSync(path.join(tmpdir(), 'ldhooks-readme-'));
      try {
        for (const snippet of snippets) {
          for (const step of parse(snippet) as Yaml[]) {
            // Values reach a script through env, never pasted into its text.
            if (typeof step.run === 'string') expect(step.run).not.toContain('${{');
            if (!step.uses?.startsWith('OWNER/')) continue;
            // No release is tagged: the README pins a commit.
            expect(step.uses).toBe('OWNER/ldhooks@SHA');
            for (const input of Object.keys(step.with ?? {}))
              expect(Object.keys(action.inputs), input).toContain(input);
          }
          const steps = snippet.replace(/^/gm, '      ');
          const file = path.join(dir, 'workflow.yml');
          writeFileSync(
            file,
            `on: push\njobs:\n  ci:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`,
          );
          const r = spawnSync(process.execPath, [validator, file], { encoding: 'utf8' });
          expect(r.status, `${r.stdout}${r.stderr}\n${snippet}`).toBe(0);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    SPAWN_TIMEOUT_MS,
  );
});

describe('the README on trying the action locally', () => {
  let emulator: Emulator;
  let dir: string;
  beforeEach(async () => {
    ({ emulator, dir } = await setUp());
  });
  afterEach(() => tearDown(emulator, dir));

  it(
    "runs the documented block as written: the project's ldhooks plans, the outputs and summary land in the files",
    async () => {
      const start = section.indexOf('\n#### Trying the action locally\n');
      const block = /```sh\n([\s\S]*?)```/.exec(section.slice(start))?.[1] ?? '';
      // The clone, and the emulator on port 8787, are this test's own: the action's repository
      // is this checkout, beside the project as the clone would be, and an in-process emulator.
      const lines = block.split('\n');
      const own = [/^git clone /, /^npx ldhooks emulator --port 8787 &/, /^kill %1/];
      expect(own.map((re) => lines.filter((l) => re.test(l)).length)).toEqual([1, 1, 1]);
      const script = lines
        .filter((l) => !own.some((re) => re.test(l)))
        .join('\n')
        .replaceAll('http://127.0.0.1:8787', emulator.url);
      expect(script).toContain('node ../ldhooks/action/run.mjs');
      const project = path.join(dir, 'project');
      await mkdir(project);
      await rename(path.join(dir, 'webhooks'), path.join(project, 'webhooks'));
      await symlink(ROOT, path.join(dir, 'ldhooks'), 'dir');
      // The project's devDependency, as npm ci installs it.
      await mkdir(path.join(project, 'node_modules'));
      await symlink(ROOT, path.join(project, 'node_modules/ldhooks'), 'dir');
      await writeFile(path.join(dir, 'try.sh'), script);
      const r = await spawnCollected(
        'bash',
        ['--noprofile', '--norc', '-eo', 'pipefail', '../try.sh'],
        {
          cwd: project,
          env: {
            PATH: process.env.PATH ?? '',
            HOME: process.env.HOME ?? '',
            TMPDIR: dir,
            NO_COLOR: '1',
          },
        },
      );
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`Running ldhooks ${VERSION} (the project's installed ldhooks)`);
      // What `cat "$GITHUB_OUTPUT" "$GITHUB_STEP_SUMMARY"` shows: the outputs, then the plan.
      const outputs = r.stdout.slice(r.stdout.indexOf('exitcode='));
      expect(outputs).toMatch(/^exitcode=2\nhas-changes=true\nplan-markdown=\S+\nreport=\S+\n/);
      expect(outputs).toContain(`${MARKER}\n### ldhooks plan`);
      expect(outputs).toContain('**Plan: 7 to create, 0 to update, 0 to delete');
      expect(
        JSON.parse(await readFile(path.join(project, 'ldhooks-plan.json'), 'utf8')).format,
      ).toBe('ldhooks-plan');
      expect(emulator.counts()).toEqual({ GET: 1 });
    },
    SPAWN_TIMEOUT_MS,
  );
});

describe('the install recipe', () => {
  it('is the same in the README, the CI files and their README: from vendor/ until published, of this version', () => {
    const files = [
      'README.md',
      'action.yml',
      'action/run.mjs',
      'examples/ci/README.md',
      GITLAB_FILE,
      ...githubWorkflows(),
    ];
    const installs: string[] = [];
    for (const file of files) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      // Every tarball named is this version's.
      for (const m of text.matchAll(/ldhooks-(\d+\.\d+\.\d+)\.tgz/g))
        expect(m[1], `${file}: ${m[0]}`).toBe(VERSION);
      for (const m of text.matchAll(/npm (?:install|i)\b[^\n`;)#]*?ldhooks[^\s`;)]*/g))
        installs.push(`${file}: ${m[0].trim()}`);
    }
    const allowed = [
      `npm install -D ./vendor/ldhooks-${VERSION}.tgz`,
      'npm install -D ldhooks',
      // Named once, in the README, as what breaks npm ci.
      `npm install -D ../ldhooks/ldhooks-${VERSION}.tgz`,
    ];
    expect(installs.length).toBeGreaterThan(5);
    for (const install of installs)
      expect(allowed, install).toContain(install.slice(install.indexOf(': ') + 2));
    expect(installs.filter((i) => i.includes('../ldhooks/'))).toEqual([
      `README.md: npm install -D ../ldhooks/ldhooks-${VERSION}.tgz`,
    ]);
    // Where each set of CI files says what it assumes.
    const pullRequest = githubWorkflows().find((f) => f.endsWith('/ldhooks-pull-request.yml'));
    for (const file of [GITLAB_FILE, pullRequest, 'examples/ci/README.md'])
      expect(installs, file).toContain(`${file}: npm install -D ./vendor/ldhooks-${VERSION}.tgz`);
  });
});
