import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/adapters/emulator/index.js';
import {
  ACTION,
  allCommandLines,
  type CommandLine,
  GITLAB_FILE,
  githubShellBlocks,
  githubWorkflows,
  gitlabShellBlocks,
  loadYaml,
  scalars,
} from './ci-files.js';
import {
  changeByHand,
  emulatorEnv,
  exampleProject,
  type LineResult,
  removeProject,
  runLine,
} from './project.js';

// Every ldhooks command line of the CI files users copy runs here, in process, against the
// emulator, with the example configs as the repository's webhooks/: what each line is for is
// checked in the states a pipeline meets (first plan, after apply, drift, a broken config).

const MARKER = '<!-- ldhooks-plan -->';

let emulator: Emulator;
let dir: string;
beforeEach(async () => {
  emulator = await startEmulator();
  dir = await exampleProject();
});
afterEach(async () => {
  await emulator.close();
  await removeProject(dir);
});

const lines = allCommandLines();
const byLine = (line: string): CommandLine => {
  const found = lines.find((c) => c.line === line);
  if (!found) throw new Error(`no CI file has the command line ${line}`);
  return found;
};
const run = (line: string, env: Record<string, string> = emulatorEnv(emulator)) =>
  runLine(byLine(line), { cwd: dir, env });

/** No output of a run shows the access token. */
const expectNoToken = (r: LineResult) => {
  for (const text of [r.stdout, r.stderr, ...Object.values(r.files)])
    expect(text).not.toContain(emulator.token);
};

const breakConfig = () =>
  writeFile(
    path.join(dir, 'webhooks/broken.yaml'),
    'version: 1\nwebhooks:\n  - name: broken\n    url: /not-absolute\n',
  );

const VALIDATE = 'npx ldhooks validate webhooks/ --allow-missing-env';
const PLAN_FOR_REVIEW =
  'npx ldhooks plan webhooks/ --format markdown --out ldhooks-plan.json > ldhooks-plan.md';
const APPLY_CONFIG = 'npx ldhooks apply webhooks/ --auto-approve';
const APPLY_SAVED = 'npx ldhooks apply --plan ldhooks-plan.json';
const DRIFT = 'npx ldhooks plan webhooks/ --detailed-exitcode --format markdown > ldhooks-drift.md';

/** What each command line must do, in the states its job meets. */
const SCENARIOS: Record<string, () => Promise<void>> = {
  async [VALIDATE]() {
    // Offline and without any variable, as in a pull request from a fork.
    let r = await runLine(byLine(VALIDATE), { cwd: dir, env: {}, offline: true });
    expect(r.stdout).toBe('5 files, 7 webhooks, valid\n');
    expect(r.code).toBe(0);
    await writeFile(
      path.join(dir, 'webhooks/secret-url.yaml'),
      'version: 1\nwebhooks:\n  - name: from-env\n    url: ${SLACK_WEBHOOK_URL}\n',
    );
    r = await runLine(byLine(VALIDATE), { cwd: dir, env: {}, offline: true });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toContain('SLACK_WEBHOOK_URL');
    await breakConfig();
    r = await runLine(byLine(VALIDATE), { cwd: dir, env: {}, offline: true });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^webhooks\/broken\.yaml:4:10 {2}webhooks\[0\]\.url /m);
  },

  async [PLAN_FOR_REVIEW]() {
    let r = await run(PLAN_FOR_REVIEW);
    expect(r.code, r.stderr).toBe(0);
    const markdown = r.files['ldhooks-plan.md'] ?? '';
    expect(markdown.startsWith(`${MARKER}\n`)).toBe(true);
    expect(markdown).toContain('**Plan: 7 to create, 0 to update, 0 to delete');
    const saved = JSON.parse(await readFile(path.join(dir, 'ldhooks-plan.json'), 'utf8'));
    expect(saved.format).toBe('ldhooks-plan');
    expect(saved.summary).toEqual({ create: 7, update: 0, delete: 0, no_op: 0, unmanaged: 0 });
    expect(JSON.stringify(saved)).not.toContain(emulator.token);
    expect(emulator.counts()).toEqual({ GET: 1 });
    expectNoToken(r);

    // A broken config: plan fails with exit 1 and sends nothing; the job posts what it has.
    await breakConfig();
    emulator.resetLog();
    r = await run(PLAN_FOR_REVIEW);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('webhooks/broken.yaml:4:10');
    expect(emulator.requests).toEqual([]);
    expectNoToken(r);
    await rm(path.join(dir, 'webhooks/broken.yaml'));

    // A guard: a config that declares nothing would delete every managed webhook: exit 3.
    expect((await run(APPLY_CONFIG)).code).toBe(0);
    await rm(path.join(dir, 'webhooks'), { recursive: true });
    await (await import('node:fs/promises')).mkdir(path.join(dir, 'webhooks'));
    await writeFile(path.join(dir, 'webhooks/empty.yaml'), 'version: 1\nwebhooks: []\n');
    r = await run(PLAN_FOR_REVIEW);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('empty-config');
    expect(r.stderr).toContain('--allow-delete-all');
    expectNoToken(r);
  },

  async [APPLY_CONFIG]() {
    let r = await run(APPLY_CONFIG);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Apply complete: 7 created, 0 updated, 0 deleted.');
    expect(emulator.counts().POST).toBe(7);
    expectNoToken(r);
    // Applying the same config again writes nothing.
    emulator.resetLog();
    r = await run(APPLY_CONFIG);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No changes.');
    expect(emulator.counts()).toEqual({ GET: 1 });
    // A hand change is put back.
    changeByHand(emulator, 'slack-prod-flag-changes');
    r = await run(APPLY_CONFIG);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Apply complete: 0 created, 1 updated, 0 deleted.');
    // Without a token, it fails with exit 1 and says what to set.
    r = await run(APPLY_CONFIG, { LD_BASE_URI: emulator.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('LD_ACCESS_TOKEN');
  },

  async [APPLY_SAVED]() {
    // The reviewed plan, applied exactly, asking nothing.
    expect((await run(PLAN_FOR_REVIEW)).code).toBe(0);
    emulator.resetLog();
    let r = await run(APPLY_SAVED);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Apply complete: 7 created, 0 updated, 0 deleted.');
    expectNoToken(r);
    // A plan made before a change in the account is refused: exit 3, nothing written.
    changeByHand(emulator, 'audit-sink');
    expect((await run(PLAN_FOR_REVIEW)).code).toBe(0);
    changeByHand(emulator, 'slack-prod-flag-changes');
    emulator.resetLog();
    r = await run(APPLY_SAVED);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('stale');
    expect(emulator.counts()).toEqual({ GET: 1 });
    // A plan sealed with another key (LDHOOKS_PLAN_KEY) is refused: exit 1.
    expect((await run(PLAN_FOR_REVIEW)).code).toBe(0);
    r = await run(APPLY_SAVED, { ...emulatorEnv(emulator), LDHOOKS_PLAN_KEY: 'another-key' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('LDHOOKS_PLAN_KEY');
    // The same key on both sides works whatever the tokens.
    const key = { LDHOOKS_PLAN_KEY: 'a-long-random-plan-key' };
    expect((await run(PLAN_FOR_REVIEW, { ...emulatorEnv(emulator), ...key })).code).toBe(0);
    r = await run(APPLY_SAVED, { ...emulatorEnv(emulator), ...key });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Apply complete: 0 created, 2 updated, 0 deleted.');
  },

  async [DRIFT]() {
    // Before anything was applied, everything is drift: exit 2.
    let r = await run(DRIFT);
    expect(r.code).toBe(2);
    expect(r.files['ldhooks-drift.md']).toContain('7 to create');
    expect((await run(APPLY_CONFIG)).code).toBe(0);
    r = await run(DRIFT);
    expect(r.code).toBe(0);
    expect(r.files['ldhooks-drift.md']).toBe(
      `${MARKER}\n### ldhooks plan\n\n**No changes. LaunchDarkly matches the configuration.**\n`,
    );
    changeByHand(emulator, 'payments-flag-audit');
    r = await run(DRIFT);
    expect(r.code).toBe(2);
    const report = r.files['ldhooks-drift.md'] ?? '';
    expect(report).toContain('**Plan: 0 to create, 1 to update, 0 to delete');
    expect(report).toContain('<code>payments-flag-audit</code>');
    expectNoToken(r);
    // An error is not drift: exit 1.
    await breakConfig();
    r = await run(DRIFT);
    expect(r.code).toBe(1);
  },
};

describe('the ldhooks command lines of the CI files', () => {
  it('are found in every file that runs ldhooks, and the test knows each one', () => {
    const inFile = (file: string) => lines.filter((c) => c.file === file).map((c) => c.line);
    for (const file of [...githubWorkflows(), GITLAB_FILE])
      expect(inFile(file).length, file).toBeGreaterThan(0);
    // A line added to a CI file that no scenario runs fails here, as does a scenario left over.
    expect([...new Set(lines.map((c) => c.line))].sort()).toEqual(Object.keys(SCENARIOS).sort());
  });

  it('runs ldhooks from shell blocks only: no other value of a CI file invokes it', () => {
    const invocation = /\bldhooks(@\S+)?\s+(validate|plan|apply|import|explain|emulator|ping)\b/;
    for (const file of [ACTION, ...githubWorkflows(), GITLAB_FILE]) {
      const shell = new Set(
        (file === GITLAB_FILE ? gitlabShellBlocks(file) : githubShellBlocks(file)).map(
          (b) => b.text,
        ),
      );
      // Names and descriptions are words for people; every other value could run something.
      const others = scalars(loadYaml(file)).filter(
        (s) => !shell.has(s.text) && !/(^|\.)(name|description|expose_as)$/.test(s.at),
      );
      for (const s of others) {
        // GitLab script lines are list items of a block: the block is their joined text.
        if (file === GITLAB_FILE && /\.(before_script|script|after_script)\[\d+\]$/.test(s.at))
          continue;
        expect(s.text, `${file} ${s.at}`).not.toMatch(invocation);
      }
    }
  });

  it('the action runs ldhooks only through action/run.mjs, which its own tests run', () => {
    const blocks = githubShellBlocks(ACTION);
    expect(blocks.map((b) => b.text.trim())).toEqual(['node "$GITHUB_ACTION_PATH/action/run.mjs"']);
  });

  for (const line of [...new Set(lines.map((c) => c.line))].sort()) {
    const where = lines
      .filter((c) => c.line === line)
      .map((c) => `${c.file} ${c.where}`)
      .join('; ');
    it(`${line}  (${where})`, async () => {
      const scenario = SCENARIOS[line];
      if (!scenario) throw new Error(`no scenario runs ${line}: add one to SCENARIOS`);
      await scenario();
    });
  }
});
