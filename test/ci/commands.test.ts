import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/adapters/emulator/index.js';
import {
  ACTION,
  allCommandLines,
  type CommandLine,
  GITLAB_FILE,
  githubShellBlocks,
  githubWorkflows,
  gitlabShellBlocks,
  loadYaml,
  MARKER,
  scalars,
} from './ci-files.js';
import { changeByHand, emulatorEnv, type LineResult, runLine, setUp, tearDown } from './project.js';

// Every ldhooks command line of the CI files users copy runs here, in process, against the
// emulator, with the example configs as the repository's webhooks/: what each line is for is
// checked in the states a pipeline meets (first plan, after apply, drift, a broken config).

let emulator: Emulator;
let dir: string;
beforeEach(async () => {
  ({ emulator, dir } = await setUp());
});
afterEach(() => tearDown(emulator, dir));

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
const APPLY_SAVED = 'npx ldhooks apply --plan "$PLAN_FILE"';
const DRIFT = 'npx ldhooks plan webhooks/ --detailed-exitcode --format markdown > ldhooks-drift.md';

/**
 * PLAN_FILE as the apply workflow's download step gives it to the apply step: the saved plan the
 * pull request's plan wrote (here in the checkout; there in the runner's temporary folder).
 */
const downloaded = () => ({ PLAN_FILE: path.join(dir, 'ldhooks-plan.json') });

/** Runs the examples' apply, as the merge job does. */
const applyExamples = async () => expect((await run(APPLY_CONFIG)).code).toBe(0);

/** What each command line must do, in each state its job meets: one test each. */
const SCENARIOS: Record<string, Record<string, () => Promise<void>>> = {
  [VALIDATE]: {
    async 'passes the examples offline, without any variable, as for a fork'() {
      const r = await runLine(byLine(VALIDATE), { cwd: dir, env: {}, offline: true });
      expect(r.stdout).toBe('5 files, 7 webhooks, valid\n');
      expect(r.code).toBe(0);
    },
    async 'passes a config whose variables are unset, and names them'() {
      await writeFile(
        path.join(dir, 'webhooks/secret-url.yaml'),
        'version: 1\nwebhooks:\n  - name: from-env\n    url: ${SLACK_WEBHOOK_URL}\n',
      );
      const r = await runLine(byLine(VALIDATE), { cwd: dir, env: {}, offline: true });
      expect(r.code).toBe(0);
      expect(r.stdout + r.stderr).toContain('SLACK_WEBHOOK_URL');
    },
    async 'fails a broken config with exit 1 and its place'() {
      await breakConfig();
      const r = await runLine(byLine(VALIDATE), { cwd: dir, env: {}, offline: true });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^webhooks\/broken\.yaml:4:10 {2}webhooks\[0\]\.url /m);
    },
  },

  [PLAN_FOR_REVIEW]: {
    async 'writes the Markdown plan and the saved plan, with one GET'() {
      const r = await run(PLAN_FOR_REVIEW);
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
    },
    async 'fails a broken config with exit 1, sending nothing'() {
      await breakConfig();
      const r = await run(PLAN_FOR_REVIEW);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('webhooks/broken.yaml:4:10');
      expect(emulator.requests).toEqual([]);
      expectNoToken(r);
    },
    async 'is refused by a guard with exit 3 when the config would delete every webhook'() {
      await applyExamples();
      await rm(path.join(dir, 'webhooks'), { recursive: true });
      await mkdir(path.join(dir, 'webhooks'));
      await writeFile(path.join(dir, 'webhooks/empty.yaml'), 'version: 1\nwebhooks: []\n');
      const r = await run(PLAN_FOR_REVIEW);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('empty-config');
      expect(r.stderr).toContain('--allow-delete-all');
      expectNoToken(r);
    },
  },

  [APPLY_CONFIG]: {
    async 'creates the webhooks, then writes nothing the second time'() {
      let r = await run(APPLY_CONFIG);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('Apply complete: 7 created, 0 updated, 0 deleted.');
      expect(emulator.counts().POST).toBe(7);
      expectNoToken(r);
      emulator.resetLog();
      r = await run(APPLY_CONFIG);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('No changes.');
      expect(emulator.counts()).toEqual({ GET: 1 });
    },
    async 'puts back a change made by hand'() {
      await applyExamples();
      changeByHand(emulator, 'slack-prod-flag-changes');
      const r = await run(APPLY_CONFIG);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('Apply complete: 0 created, 1 updated, 0 deleted.');
    },
    async 'fails with exit 1 without a token, naming the variable'() {
      const r = await run(APPLY_CONFIG, { LD_BASE_URI: emulator.url });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('LD_ACCESS_TOKEN');
    },
  },

  [APPLY_SAVED]: {
    async 'applies the reviewed plan exactly, asking nothing'() {
      expect((await run(PLAN_FOR_REVIEW)).code).toBe(0);
      emulator.resetLog();
      const r = await run(APPLY_SAVED, { ...emulatorEnv(emulator), ...downloaded() });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('Apply complete: 7 created, 0 updated, 0 deleted.');
      expectNoToken(r);
    },
    async 'refuses a plan made before a change in the account: exit 3, nothing written'() {
      await applyExamples();
      changeByHand(emulator, 'audit-sink');
      expect((await run(PLAN_FOR_REVIEW)).code).toBe(0);
      changeByHand(emulator, 'slack-prod-flag-changes');
      emulator.resetLog();
      const r = await run(APPLY_SAVED, { ...emulatorEnv(emulator), ...downloaded() });
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('stale');
      expect(emulator.counts()).toEqual({ GET: 1 });
    },
    async 'refuses a plan sealed with another LDHOOKS_PLAN_KEY: exit 1'() {
      expect((await run(PLAN_FOR_REVIEW)).code).toBe(0);
      const r = await run(APPLY_SAVED, {
        ...emulatorEnv(emulator),
        ...downloaded(),
        LDHOOKS_PLAN_KEY: 'another',
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('LDHOOKS_PLAN_KEY');
      expect(emulator.counts().POST).toBeUndefined();
    },
    async 'applies with the same LDHOOKS_PLAN_KEY on both sides'() {
      const key = { ...emulatorEnv(emulator), LDHOOKS_PLAN_KEY: 'a-long-random-plan-key' };
      expect((await run(PLAN_FOR_REVIEW, key)).code).toBe(0);
      const r = await run(APPLY_SAVED, { ...key, ...downloaded() });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('Apply complete: 7 created, 0 updated, 0 deleted.');
    },
  },

  [DRIFT]: {
    async 'exits 2 before anything was applied: all of it is drift'() {
      const r = await run(DRIFT);
      expect(r.code).toBe(2);
      expect(r.files['ldhooks-drift.md']).toContain('7 to create');
    },
    async 'exits 0 when LaunchDarkly matches'() {
      await applyExamples();
      const r = await run(DRIFT);
      expect(r.code).toBe(0);
      expect(r.files['ldhooks-drift.md']).toBe(
        `${MARKER}\n### ldhooks plan\n\n**No changes. LaunchDarkly matches the configuration.**\n`,
      );
    },
    async 'exits 2 on a change made by hand, and reports it'() {
      await applyExamples();
      changeByHand(emulator, 'payments-flag-audit');
      const r = await run(DRIFT);
      expect(r.code).toBe(2);
      const report = r.files['ldhooks-drift.md'] ?? '';
      expect(report).toContain('**Plan: 0 to create, 1 to update, 0 to delete');
      expect(report).toContain('<code>payments-flag-audit</code>');
      expectNoToken(r);
    },
    async 'exits 1 on an error: an error is not drift'() {
      await breakConfig();
      expect((await run(DRIFT)).code).toBe(1);
    },
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
    describe(`${line}  (${where})`, () => {
      const cases = Object.entries(SCENARIOS[line] ?? {});
      if (cases.length === 0)
        it('has scenarios', () => {
          throw new Error(`no scenario runs ${line}: add one to SCENARIOS`);
        });
      for (const [name, scenario] of cases) it(name, scenario);
    });
  }
});
