import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/adapters/emulator/index.js';
import { CLI, ROOT, runCli, SPAWN_TIMEOUT_MS } from '../support/cli.js';
import {
  GITHUB_DIR,
  GITLAB_FILE,
  loadYaml,
  MARKER,
  resolveGitlabJob,
  type Yaml,
} from './ci-files.js';
import {
  changeByHand,
  emulatorEnv,
  removeProject,
  setUp,
  spawnCollected,
  tearDown,
} from './project.js';

// The shell around the ldhooks command lines of the CI files, run as the runners run it, with the
// text taken from the files: a GitHub step's `run` under `bash -eo pipefail` (what `shell: bash`
// means), a GitLab job's script lines under bash with `set -eo pipefail`. A stand-in `npx` runs
// the built CLI; the command lines themselves are checked in commands.test.ts.

const T = SPAWN_TIMEOUT_MS;

let emulator: Emulator;
let dir: string;
let bin: string;
/** The runner's temporary folder (RUNNER_TEMP), outside the checkout, as on a runner. */
let runnerTemp: string;
beforeEach(async () => {
  ({ emulator, dir } = await setUp());
  runnerTemp = await mkdtemp(path.join(tmpdir(), 'ldhooks-runner-temp-'));
  bin = path.join(dir, '.bin');
  await mkdir(bin);
  await stub(
    'npx',
    `[ "$1" = ldhooks ] || { echo "npx: only ldhooks here, not $1" >&2; exit 127; }\nshift\nexec "${process.execPath}" "${CLI}" "$@"`,
  );
});
afterEach(async () => {
  await tearDown(emulator, dir);
  await removeProject(runnerTemp);
});

/** A command on the PATH of the shell blocks, standing in for the runner's. */
async function stub(name: string, body: string) {
  await writeFile(path.join(bin, name), `#!/bin/sh\n${body}\n`);
  await chmod(path.join(bin, name), 0o755);
}

interface ShellResult {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: string;
  summary: string;
}

async function runShell(text: string, env: Record<string, string> = {}): Promise<ShellResult> {
  const outputs = path.join(dir, '.github-output');
  const summary = path.join(dir, '.summary.md');
  await writeFile(outputs, '');
  await writeFile(summary, '');
  await writeFile(path.join(dir, '.step.sh'), text);
  const { code, stdout, stderr } = await spawnCollected(
    'bash',
    ['--noprofile', '--norc', '-eo', 'pipefail', '.step.sh'],
    {
      cwd: dir,
      env: {
        PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
        HOME: process.env.HOME ?? '',
        NO_COLOR: '1',
        GITHUB_OUTPUT: outputs,
        GITHUB_STEP_SUMMARY: summary,
        GITHUB_SERVER_URL: 'https://github.example',
        GITHUB_REPOSITORY: 'acme/hooks',
        GITHUB_RUN_ID: '42',
        RUNNER_TEMP: runnerTemp,
        CI_JOB_URL: 'https://gitlab.example/acme/hooks/-/jobs/7',
        ...env,
      },
    },
  );
  return {
    code,
    stdout,
    stderr,
    outputs: await readFile(outputs, 'utf8'),
    summary: await readFile(summary, 'utf8'),
  };
}

const step = (workflow: string, name: string): Yaml => {
  const doc = loadYaml(`${GITHUB_DIR}/${workflow}`);
  const steps = Object.values(doc.jobs as Yaml).flatMap((j) => j.steps as Yaml[]);
  const found = steps.find((s) => s.name === name);
  if (!found) throw new Error(`${workflow} has no step ${name}`);
  return found;
};

const gitlabJob = (name: string): Yaml => {
  const doc = loadYaml(GITLAB_FILE);
  return resolveGitlabJob(doc, doc[name] as Yaml);
};
/** A GitLab job's script as the runner runs it: its lines, one after the other, in one shell. */
const gitlabScript = (name: string) => (gitlabJob(name).script as string[]).join('\n');
/**
 * The CI/CD variables of a GitLab project set up as the file says, the emulator standing in for
 * LaunchDarkly: LD_READ_TOKEN (or, with `token`, that variable) holds the emulator's token. A
 * project variable LD_ACCESS_TOKEN, which the jobs must never use, holds a token it refuses.
 */
const gitlabEnv = (token = 'LD_READ_TOKEN') => ({
  LD_BASE_URI: emulator.url,
  [token]: emulator.token,
  LD_ACCESS_TOKEN: 'project-variable-ld-access-token',
});

const breakConfig = () =>
  writeFile(
    path.join(dir, 'webhooks/broken.yaml'),
    'version: 1\nwebhooks:\n  - name: broken\n    url: /not-absolute\n',
  );
const applyExamples = async () =>
  expect(
    (
      await runCli(['apply', 'webhooks/', '--auto-approve'], {
        cwd: dir,
        env: emulatorEnv(emulator),
      })
    ).code,
  ).toBe(0);

describe('the GitHub pull-request workflow', () => {
  const plan = () => step('ldhooks-pull-request.yml', 'Plan').run as string;

  it(
    'plans: the Markdown plan in ldhooks-plan.md and the summary, exitcode 0, the saved plan',
    async () => {
      const r = await runShell(plan(), emulatorEnv(emulator));
      expect(r.code, r.stderr).toBe(0);
      expect(r.outputs).toBe('exitcode=0\n');
      const markdown = await readFile(path.join(dir, 'ldhooks-plan.md'), 'utf8');
      expect(markdown.startsWith(`${MARKER}\n`)).toBe(true);
      expect(markdown).toContain('7 to create');
      expect(r.summary).toBe(markdown);
      expect(JSON.parse(await readFile(path.join(dir, 'ldhooks-plan.json'), 'utf8')).format).toBe(
        'ldhooks-plan',
      );
    },
    T,
  );

  it(
    "when plan fails, still writes a report for the comment, and fails with plan's exit code",
    async () => {
      await breakConfig();
      let r = await runShell(plan(), emulatorEnv(emulator));
      expect(r.code).toBe(1);
      expect(r.outputs).toBe('exitcode=1\n');
      let markdown = await readFile(path.join(dir, 'ldhooks-plan.md'), 'utf8');
      expect(markdown.startsWith(`${MARKER}\n`)).toBe(true);
      expect(r.summary).toBe(markdown);
      expect(r.stderr).toContain('webhooks/broken.yaml:4:10');

      // A wrong token: the job fails, and no output shows the token.
      await rm(path.join(dir, 'webhooks/broken.yaml'));
      r = await runShell(plan(), { ...emulatorEnv(emulator), LD_ACCESS_TOKEN: 'wrong-4b1e' });
      expect(r.code).toBe(1);
      markdown = await readFile(path.join(dir, 'ldhooks-plan.md'), 'utf8');
      expect(markdown.startsWith(`${MARKER}\n`)).toBe(true);
      expect(r.stdout + r.stderr + r.summary + markdown).not.toContain('wrong-4b1e');

      // ldhooks could not even start (not installed: npm ci missing): the report says so.
      await stub('npx', 'echo "npm error could not determine executable to run" >&2\nexit 1');
      r = await runShell(plan(), emulatorEnv(emulator));
      expect(r.code).toBe(1);
      expect(r.outputs).toBe('exitcode=1\n');
      markdown = await readFile(path.join(dir, 'ldhooks-plan.md'), 'utf8');
      expect(markdown).toBe(
        `${MARKER}\n### ldhooks plan failed\n\nldhooks plan exited with 1 before it could plan: [the job log](https://github.example/acme/hooks/actions/runs/42) says why.\n`,
      );
      expect(r.summary).toBe(markdown);
    },
    T,
  );

  /** The sticky-comment script, run as actions/github-script runs it, against a fake API. */
  async function comment(
    existing: { id: number; user: { login: string; type: string }; body: string }[],
  ) {
    const script = step('ldhooks-pull-request.yml', 'Comment the plan on the pull request').with
      .script as string;
    const calls: [string, Record<string, unknown>][] = [];
    const github = {
      paginate: async (method: unknown, params: Record<string, unknown>) => {
        calls.push(['listComments', params]);
        expect(method).toBe(github.rest.issues.listComments);
        return existing;
      },
      rest: {
        issues: {
          listComments: () => undefined,
          updateComment: async (p: Record<string, unknown>) => calls.push(['updateComment', p]),
          createComment: async (p: Record<string, unknown>) => calls.push(['createComment', p]),
        },
      },
    };
    const context = { repo: { owner: 'acme', repo: 'hooks' }, issue: { number: 12 } };
    const { createRequire } = await import('node:module');
    const AsyncFunction = (async () => undefined).constructor as new (
      ...args: string[]
    ) => (...args: unknown[]) => Promise<unknown>;
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      await new AsyncFunction('require', 'github', 'context', script)(
        createRequire(path.join(ROOT, 'package.json')),
        github,
        context,
      );
    } finally {
      process.chdir(cwd);
    }
    return calls;
  }

  it("comments once, then updates that comment, never a person's nor another app's", async () => {
    const body = `${MARKER}\n### ldhooks plan\n\n**No changes.**\n`;
    await writeFile(path.join(dir, 'ldhooks-plan.md'), body);
    const list = [
      'listComments',
      { owner: 'acme', repo: 'hooks', issue_number: 12, per_page: 100 },
    ];
    const human = {
      id: 1,
      user: { login: 'octocat', type: 'User' },
      body: `${MARKER} quoted by a person`,
    };
    // Another app's comment that starts with the marker is not ours either.
    const app = {
      id: 3,
      user: { login: 'some-app[bot]', type: 'Bot' },
      body: `${MARKER}\nnot ours`,
    };
    expect(await comment([human, app])).toEqual([
      list,
      ['createComment', { owner: 'acme', repo: 'hooks', issue_number: 12, body }],
    ]);
    const ours = {
      id: 2,
      user: { login: 'github-actions[bot]', type: 'Bot' },
      body: `${MARKER}\nan older plan`,
    };
    expect(await comment([human, app, ours])).toEqual([
      list,
      ['updateComment', { owner: 'acme', repo: 'hooks', comment_id: 2, body }],
    ]);
  });
});

describe('the GitHub apply workflow', () => {
  const download = () =>
    step('ldhooks-apply.yml', 'Download the plan reviewed on the pull request').run as string;

  /**
   * A stand-in gh: the pull request's head, its plan run (when RUN_ID is set), and a download
   * that writes the artifact ARTIFACT describes into --dir, after noting whether that folder
   * was empty and outside the checkout.
   */
  async function fakeGh(): Promise<string> {
    const calls = path.join(dir, '.gh-calls');
    await stub(
      'gh',
      `echo "$*" >> "${calls}"
case "$1 $2" in
  "pr view") echo 0123abc ;;
  "run list") [ -n "$RUN_ID" ] && echo "$RUN_ID" ;;
  "run download")
    out=$7
    case "$out" in "$PWD"|"$PWD"/*|.|./*) echo "download into the checkout: $out" >> "${calls}" ;; esac
    [ -z "$(ls -A "$out")" ] || echo "download into a folder that is not empty: $out" >> "${calls}"
    case "$ARTIFACT" in
      plan) echo '{"saved":true}' > "$out/ldhooks-plan.json" ;;
      plan-and-more)
        echo '{"saved":true}' > "$out/ldhooks-plan.json"
        mkdir -p "$out/node_modules/.bin" && echo 'evil' > "$out/node_modules/.bin/ldhooks" ;;
      hidden-extra) echo '{"saved":true}' > "$out/ldhooks-plan.json"; echo x > "$out/.npmrc" ;;
      other-name) echo '{"saved":true}' > "$out/plan.json" ;;
      link) ln -s /etc/passwd "$out/ldhooks-plan.json" ;;
      folder) mkdir "$out/ldhooks-plan.json" ;;
      empty) ;;
    esac ;;
esac
exit 0`,
    );
    return calls;
  }

  it(
    "downloads the saved plan of the pull request's last successful plan run into a fresh folder outside the checkout",
    async () => {
      const calls = await fakeGh();
      const r = await runShell(download(), { PULL_REQUEST: '12', RUN_ID: '987', ARTIFACT: 'plan' });
      expect(r.code, r.stderr).toBe(0);
      const lines = (await readFile(calls, 'utf8')).split('\n');
      expect(lines.slice(0, 2)).toEqual([
        'pr view 12 --json headRefOid --jq .headRefOid',
        'run list --workflow ldhooks-pull-request.yml --commit 0123abc --status success --limit 1 --json databaseId --jq .[].databaseId',
      ]);
      const temp = runnerTemp;
      expect(lines[2]).toMatch(
        new RegExp(`^run download 987 --name ldhooks-plan --dir ${temp}/ldhooks-plan\\.\\w+$`),
      );
      // Nothing about the folder was amiss, and the step names the file for the apply step.
      expect(lines.slice(3)).toEqual(['']);
      const planFile = /^plan-file=(.+)$/m.exec(r.outputs)?.[1] ?? '';
      expect(planFile).toBe(`${lines[2]?.split(' --dir ')[1]}/ldhooks-plan.json`);
      expect(await readFile(planFile, 'utf8')).toBe('{"saved":true}\n');
      // Nothing was written in the checkout.
      expect(existsSync(path.join(dir, 'ldhooks-plan.json'))).toBe(false);
    },
    T,
  );

  it(
    'refuses an artifact that holds anything but one regular file ldhooks-plan.json, and writes no output',
    async () => {
      const calls = await fakeGh();
      for (const artifact of [
        'plan-and-more',
        'hidden-extra',
        'other-name',
        'link',
        'folder',
        'empty',
      ]) {
        const r = await runShell(download(), {
          PULL_REQUEST: '12',
          RUN_ID: '987',
          ARTIFACT: artifact,
        });
        expect(r.code, artifact).toBe(1);
        expect(r.stdout, artifact).toBe(
          '::error::Refused the artifact ldhooks-plan of run 987: it must hold one file, ldhooks-plan.json, and nothing else.\n',
        );
        expect(r.outputs, artifact).toBe('');
      }
      // Each download went into a new, empty folder outside the checkout.
      expect(await readFile(calls, 'utf8')).not.toMatch(/download into/);
      expect(existsSync(path.join(dir, 'node_modules'))).toBe(false);
    },
    T,
  );

  it(
    'says when the pull request has no plan run, and refuses a pull-request input that is not a number',
    async () => {
      const calls = await fakeGh();
      let r = await runShell(download(), { PULL_REQUEST: '12' });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe(
        '::error::No successful ldhooks plan run for pull request #12 at its last commit 0123abc: let it plan first.\n',
      );
      await rm(calls);
      for (const input of ['12 --repo evil/fork', '-1', '12\n::warning::x', '']) {
        r = await runShell(download(), { PULL_REQUEST: input, RUN_ID: '987', ARTIFACT: 'plan' });
        expect(r.code, input).toBe(1);
        expect(r.stdout, input).toBe(
          '::error::The pull-request input must be the number of a pull request, such as 42.\n',
        );
      }
      expect(existsSync(calls)).toBe(false);
    },
    T,
  );
});

describe('the GitHub drift workflow', () => {
  const drift = () => step('ldhooks-drift.yml', 'Plan against the live account').run as string;

  it(
    'passes when LaunchDarkly matches and fails with exit 2 on drift, the report in the summary',
    async () => {
      await applyExamples();
      let r = await runShell(drift(), emulatorEnv(emulator));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('No drift: LaunchDarkly matches the config.');
      expect(r.summary).toContain('No changes. LaunchDarkly matches the configuration.');
      changeByHand(emulator, 'slack-prod-flag-changes');
      r = await runShell(drift(), emulatorEnv(emulator));
      expect(r.code).toBe(2);
      expect(r.summary).toContain('<code>slack-prod-flag-changes</code>');
      expect(r.stdout).toContain(r.summary);
      expect(r.stdout).toContain(
        "::error title=ldhooks drift::LaunchDarkly differs from the config: see the run's summary",
      );
      await breakConfig();
      r = await runShell(drift(), emulatorEnv(emulator));
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('::error title=ldhooks drift::ldhooks plan exited with 1');
    },
    T,
  );
});

/** A stand-in for GitLab's notes API: one merge request, its notes, the token's user. */
async function fakeGitlab(token: string) {
  const notes: { id: number; body: string; system: boolean; author: { id: number } }[] = [
    { id: 1, body: `${MARKER} quoted by a person`, system: false, author: { id: 5 } },
  ];
  const calls: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      calls.push(`${req.method} ${req.url}`);
      const send = (status: number, value: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (req.headers['private-token'] !== token) return send(401, { message: '401 Unauthorized' });
      const base = '/api/v4/projects/acme%2Fhooks/merge_requests/12/notes';
      if (req.method === 'GET' && req.url === '/api/v4/user') return send(200, { id: 99 });
      if (req.method === 'GET' && req.url?.startsWith(`${base}?`)) return send(200, notes);
      if (req.method === 'POST' && req.url === base) {
        const note = {
          id: notes.length + 1,
          body: JSON.parse(body).body,
          system: false,
          author: { id: 99 },
        };
        notes.push(note);
        return send(201, note);
      }
      const m = req.method === 'PUT' && req.url?.match(/\/notes\/(\d+)$/);
      const note = m && notes.find((n) => n.id === Number(m[1]));
      if (note) {
        note.body = JSON.parse(body).body;
        return send(200, note);
      }
      return send(404, { message: '404 Not Found' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v4`;
  return { url, notes, calls, close: () => new Promise((r) => server.close(r)) };
}

describe('the GitLab merge request job', () => {
  it(
    "plans, keeps one note on the merge request up to date, and fails with plan's exit code",
    async () => {
      const token = 'glpat-test-6d2a';
      const gitlab = await fakeGitlab(token);
      // The job copies .gitlab/ldhooks-mr-note.mjs beside its config.
      await mkdir(path.join(dir, '.gitlab'));
      await writeFile(
        path.join(dir, '.gitlab/ldhooks-mr-note.mjs'),
        await readFile(path.join(ROOT, 'examples/ci/gitlab/.gitlab/ldhooks-mr-note.mjs')),
      );
      const env = {
        ...gitlabEnv(),
        CI_API_V4_URL: gitlab.url,
        CI_PROJECT_ID: 'acme/hooks',
        CI_MERGE_REQUEST_IID: '12',
        GITLAB_API_TOKEN: token,
      };
      try {
        let r = await runShell(gitlabScript('ldhooks-plan'), env);
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toContain('posted the ldhooks note 2 on merge request !12');
        const first = await readFile(path.join(dir, 'ldhooks-plan.md'), 'utf8');
        expect(first).toContain('7 to create');
        expect(gitlab.notes[1]?.body).toBe(first);

        // The next push: the same note is updated, the person's note is left alone.
        await applyExamples();
        await breakConfig();
        r = await runShell(gitlabScript('ldhooks-plan'), env);
        expect(r.code).toBe(1);
        expect(r.stdout).toContain('updated the ldhooks note 2 on merge request !12');
        expect(gitlab.notes).toHaveLength(2);
        expect(gitlab.notes[0]?.body).toBe(`${MARKER} quoted by a person`);
        const second = gitlab.notes[1]?.body ?? '';
        expect(second.startsWith(`${MARKER}\n`)).toBe(true);
        expect(second).not.toBe(first);
        expect(r.stdout + r.stderr).not.toContain(token);

        // Without the API token, the plan is not posted, and the job says so.
        r = await runShell(gitlabScript('ldhooks-plan'), { ...env, GITLAB_API_TOKEN: '' });
        expect(r.code).toBe(1);
        expect(r.stdout).toContain(
          'GITLAB_API_TOKEN is not set, so the plan is not posted as a note',
        );
        // A refused token: said, not fatal to the job (whose result stays the plan's).
        await writeFile(path.join(dir, 'webhooks/broken.yaml'), 'version: 1\nwebhooks: []\n');
        r = await runShell(gitlabScript('ldhooks-plan'), {
          ...env,
          GITLAB_API_TOKEN: 'glpat-wrong',
        });
        expect(r.code, r.stderr).toBe(0);
        expect(r.stdout).toContain('The plan was not posted as a note: GET /user answered 401');
      } finally {
        await gitlab.close();
      }
    },
    T,
  );

  it(
    'stops before planning, saying which variable to add, when the pipeline cannot see LD_READ_TOKEN',
    async () => {
      const r = await runShell(gitlabScript('ldhooks-plan'), {
        ...gitlabEnv(),
        LD_READ_TOKEN: '',
        LD_ACCESS_TOKEN: emulator.token,
      });
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        'LD_READ_TOKEN is not set for this pipeline: add it under Settings > CI/CD > Variables, masked, not protected (see .gitlab/ldhooks.gitlab-ci.yml)\n',
      );
      expect(emulator.requests).toEqual([]);
    },
    T,
  );

  it(
    'the drift job passes when LaunchDarkly matches and fails with exit 2 on drift',
    async () => {
      await applyExamples();
      let r = await runShell(gitlabScript('ldhooks-drift'), gitlabEnv());
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('No drift: LaunchDarkly matches the config.');
      changeByHand(emulator, 'audit-sink');
      r = await runShell(gitlabScript('ldhooks-drift'), gitlabEnv());
      expect(r.code).toBe(2);
      expect(r.stdout).toContain('<code>audit-sink</code>');
      expect(await readFile(path.join(dir, 'ldhooks-drift.md'), 'utf8')).toContain(
        '**Plan: 0 to create, 1 to update, 0 to delete',
      );
    },
    T,
  );

  it(
    'the apply job applies with LD_WRITE_TOKEN, and without it (an unprotected branch) stops, saying so',
    async () => {
      let r = await runShell(gitlabScript('ldhooks-apply'), gitlabEnv('LD_WRITE_TOKEN'));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('Apply complete: 7 created, 0 updated, 0 deleted.');
      emulator.resetLog();
      // The read-only token is no substitute: the job stops before ldhooks runs.
      r = await runShell(gitlabScript('ldhooks-apply'), gitlabEnv());
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(
        'LD_WRITE_TOKEN is not set for this pipeline: add it under Settings > CI/CD > Variables, masked and protected, and protect the default branch (see .gitlab/ldhooks.gitlab-ci.yml)\n',
      );
      expect(emulator.requests).toEqual([]);
      expect(r.stdout + r.stderr).not.toContain(emulator.token);
    },
    T,
  );
});
