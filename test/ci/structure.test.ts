import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/paths.js';
import {
  ACTION,
  allCommandLines,
  GITHUB_DIR,
  GITLAB_FILE,
  githubWorkflows,
  gitlabJobRuns,
  gitlabJobs,
  globRegExp,
  loadYaml,
  resolveGitlabJob,
  scalars,
  type Yaml,
} from './ci-files.js';

// What the CI files promise their users beyond each command: when each job runs, that applies
// never race, that drift fails the job, that the plan is kept. The GitLab file is read with the
// yaml package (GitLab's own linter needs GitLab); the GitHub files are also checked by
// action-validator (validator.test.ts).

const gitlab = loadYaml(GITLAB_FILE);
const job = (name: string) => resolveGitlabJob(gitlab, gitlab[name] as Yaml);
/** GitLab's stages when a pipeline lists none; the file lists none, so that it fits any. */
const DEFAULT_STAGES = ['.pre', 'build', 'test', 'deploy', '.post'];

describe('the GitLab CI example', () => {
  it('has the three kinds of job, each in a stage GitLab has by default, with Node 20 and npm ci', () => {
    expect(gitlab.stages).toBeUndefined();
    expect(gitlabJobs(gitlab).map(([name]) => name)).toEqual([
      'ldhooks-validate',
      'ldhooks-plan',
      'ldhooks-apply',
      'ldhooks-drift',
    ]);
    for (const [name] of gitlabJobs(gitlab)) {
      const j = job(name);
      expect(DEFAULT_STAGES, name).toContain(j.stage);
      expect(j.image, name).toBe('node:20');
      expect(j.before_script, name).toEqual(['npm ci --cache .npm --prefer-offline']);
      expect(j.rules?.length, name).toBeGreaterThan(0);
    }
  });

  it('plans on merge requests but not from forks, applies on pushes to the default branch, checks drift on schedules', () => {
    const project = { CI_PROJECT_ID: '7', CI_DEFAULT_BRANCH: 'main' };
    const mergeRequest = {
      ...project,
      CI_PIPELINE_SOURCE: 'merge_request_event',
      CI_MERGE_REQUEST_PROJECT_ID: '7',
      CI_MERGE_REQUEST_SOURCE_PROJECT_ID: '7',
    };
    // A fork's merge request pipeline runs in the fork, without this project's variables.
    const fork = { ...mergeRequest, CI_PROJECT_ID: '8', CI_MERGE_REQUEST_SOURCE_PROJECT_ID: '8' };
    const push = { ...project, CI_PIPELINE_SOURCE: 'push', CI_COMMIT_BRANCH: 'main' };
    const schedule = { ...project, CI_PIPELINE_SOURCE: 'schedule', CI_COMMIT_BRANCH: 'main' };
    const runs = (variables: Record<string, string>, changed: string[]) =>
      gitlabJobs(gitlab)
        .filter(([name]) => gitlabJobRuns(job(name), variables, changed))
        .map(([name]) => name);
    const checks = ['ldhooks-validate', 'ldhooks-plan'];
    expect(runs(mergeRequest, ['webhooks/team/hooks.yaml'])).toEqual(checks);
    // The file that raises the deletion threshold is reviewed with a plan, and applied.
    expect(runs(mergeRequest, ['.ldhooks.json'])).toEqual(checks);
    expect(runs(mergeRequest, ['package-lock.json'])).toEqual(checks);
    expect(runs(mergeRequest, ['README.md'])).toEqual([]);
    expect(runs(fork, ['webhooks/hooks.yaml'])).toEqual(['ldhooks-validate']);
    expect(runs(push, ['webhooks/team/hooks.yaml'])).toEqual(['ldhooks-apply']);
    expect(runs(push, ['.ldhooks.json'])).toEqual(['ldhooks-apply']);
    expect(runs(push, ['README.md'])).toEqual([]);
    expect(runs({ ...push, CI_COMMIT_BRANCH: 'feature' }, ['webhooks/hooks.yaml'])).toEqual([]);
    expect(runs(schedule, [])).toEqual(['ldhooks-drift']);
    // Only the apply job writes, after the jobs that check.
    expect(job('ldhooks-apply').stage).toBe('deploy');
  });

  it('hands each job its token in the script: the read-only one to plan and drift, the writing one to apply', () => {
    // A job's `variables:` lose to a project variable of the same name: none names the token.
    for (const [name] of gitlabJobs(gitlab))
      expect(job(name).variables?.LD_ACCESS_TOKEN, name).toBeUndefined();
    expect(gitlab.variables?.LD_ACCESS_TOKEN).toBeUndefined();
    const exported = (name: string) =>
      (job(name).script as string[]).filter((l) => /\bLD_ACCESS_TOKEN=/.test(l));
    expect(exported('ldhooks-plan')).toEqual(['export LD_ACCESS_TOKEN="$LD_READ_TOKEN"']);
    expect(exported('ldhooks-drift')).toEqual(['export LD_ACCESS_TOKEN="$LD_READ_TOKEN"']);
    expect(exported('ldhooks-apply')).toEqual(['export LD_ACCESS_TOKEN="$LD_WRITE_TOKEN"']);
    expect(exported('ldhooks-validate')).toEqual([]);
    for (const [name] of gitlabJobs(gitlab)) {
      if (name === 'ldhooks-apply') continue;
      expect(JSON.stringify(job(name)), name).not.toContain('LD_WRITE_TOKEN');
    }
  });

  it('serialises applies with a resource group, and keeps the plans as artifacts', () => {
    expect(job('ldhooks-apply').resource_group).toBe('launchdarkly-webhooks');
    // The job that holds the writing token takes no earlier job's artifacts into its checkout.
    expect(job('ldhooks-apply').dependencies).toEqual([]);
    for (const [name] of gitlabJobs(gitlab))
      if (name !== 'ldhooks-apply') expect(job(name).resource_group, name).toBeUndefined();
    expect(job('ldhooks-plan').artifacts).toMatchObject({
      when: 'always',
      paths: ['ldhooks-plan.md', 'ldhooks-plan.json'],
    });
    expect(job('ldhooks-drift').artifacts).toMatchObject({
      when: 'always',
      paths: ['ldhooks-drift.md'],
    });
  });

  it('runs, in the jobs whose whole script no test runs, nothing but ldhooks command lines', () => {
    // scripts.test.ts runs the whole scripts of ldhooks-plan, ldhooks-apply and ldhooks-drift;
    // the others must be only the command lines that commands.test.ts runs.
    const commands = new Set(
      allCommandLines()
        .filter((c) => c.file === GITLAB_FILE)
        .map((c) => c.line),
    );
    for (const line of job('ldhooks-validate').script as string[])
      expect(commands, 'ldhooks-validate').toContain(line);
  });

  it('names a note script that is there, and the include the README gives points at the file', () => {
    expect((job('ldhooks-plan').script as string[]).join('\n')).toContain(
      'node .gitlab/ldhooks-mr-note.mjs ldhooks-plan.md',
    );
    expect(existsSync(path.join(ROOT, 'examples/ci/gitlab/.gitlab/ldhooks-mr-note.mjs'))).toBe(
      true,
    );
    const readme = readFileSync(path.join(ROOT, 'examples/ci/README.md'), 'utf8');
    const include = readme.match(/^ {2}- local: (\S+)$/m)?.[1];
    expect(include).toBe('.gitlab/ldhooks.gitlab-ci.yml');
    expect(existsSync(path.join(ROOT, 'examples/ci/gitlab', include as string))).toBe(true);
  });
});

const workflow = (file: string) => loadYaml(`${GITHUB_DIR}/${file}`);

describe('every GitHub file that runs code: the action and the workflows', () => {
  /** The code of each step: a shell block, or the script of actions/github-script. */
  const code = (file: string) => {
    const doc = loadYaml(file);
    const steps: Yaml[] =
      file === ACTION
        ? doc.runs.steps
        : Object.values(doc.jobs as Yaml).flatMap((j) => j.steps as Yaml[]);
    return steps.flatMap((s) =>
      [s.run, s.with?.script]
        .filter((t): t is string => typeof t === 'string')
        .map((text) => ({ where: `${file} ${s.name ?? s.id ?? s.uses ?? s.run}`, text })),
    );
  };
  const files = [ACTION, ...githubWorkflows()];

  it('pastes no ${{ }} expression into code: values reach it through env, inputs through INPUT_*', () => {
    const blocks = files.flatMap(code);
    expect(blocks.length).toBeGreaterThan(5);
    for (const b of blocks) expect(b.text, b.where).not.toContain('${{');
  });

  it('sets no environment variable nor PATH entry for later steps', () => {
    for (const b of files.flatMap(code)) expect(b.text, b.where).not.toMatch(/GITHUB_(ENV|PATH)/);
  });
});

describe('the GitHub workflows', () => {
  it('run on pull requests, on pushes to main, and on a schedule', () => {
    expect(Object.keys(workflow('ldhooks-pull-request.yml').on)).toEqual(['pull_request']);
    expect(workflow('ldhooks-apply.yml').on.push.branches).toEqual(['main']);
    expect(workflow('ldhooks-drift.yml').on.schedule).toEqual([{ cron: '17 6 * * *' }]);
  });

  it('run again when the config, .ldhooks.json or the lockfile change, and not otherwise', () => {
    const triggers = (file: string, event: string) =>
      (workflow(file).on[event].paths as string[]).map(globRegExp);
    for (const [file, event] of [
      ['ldhooks-pull-request.yml', 'pull_request'],
      ['ldhooks-apply.yml', 'push'],
    ] as const) {
      const runsOn = (changed: string) => triggers(file, event).some((re) => re.test(changed));
      for (const changed of ['webhooks/team/hooks.yaml', '.ldhooks.json', 'package-lock.json'])
        expect(runsOn(changed), `${file} ${changed}`).toBe(true);
      expect(runsOn('README.md'), file).toBe(false);
    }
  });

  it('read with LD_READ_TOKEN, and write with LD_WRITE_TOKEN only in the apply job, in its environment', () => {
    const tokens = (file: string) =>
      new Set(
        Object.values(workflow(file).jobs as Yaml)
          .flatMap((j) => j.steps as Yaml[])
          .map((s) => s.env?.LD_ACCESS_TOKEN)
          .filter(Boolean),
      );
    expect(tokens('ldhooks-pull-request.yml')).toEqual(new Set(['${{ secrets.LD_READ_TOKEN }}']));
    expect(tokens('ldhooks-drift.yml')).toEqual(new Set(['${{ secrets.LD_READ_TOKEN }}']));
    expect(tokens('ldhooks-apply.yml')).toEqual(new Set(['${{ secrets.LD_WRITE_TOKEN }}']));
    // A pull request runs its own copy of its workflow: it must never name the writing token.
    for (const file of ['ldhooks-pull-request.yml', 'ldhooks-drift.yml'])
      for (const s of scalars(workflow(file)))
        expect(s.text, `${file} ${s.at}`).not.toContain('LD_WRITE_TOKEN');
    // An environment whose secrets only main's runs can read.
    expect(workflow('ldhooks-apply.yml').jobs.apply.environment).toBe('launchdarkly');
  });

  it('never run two applies at once, and never cancel one', () => {
    expect(workflow('ldhooks-apply.yml').concurrency).toEqual({
      group: 'ldhooks-apply',
      'cancel-in-progress': false,
    });
    // The others never share its group: a waiting apply would be cancelled by them.
    for (const file of ['ldhooks-pull-request.yml', 'ldhooks-drift.yml'])
      expect(workflow(file).concurrency.group, file).not.toBe('ldhooks-apply');
  });

  it('give the token only to the steps that run ldhooks against LaunchDarkly', () => {
    for (const file of ['ldhooks-pull-request.yml', 'ldhooks-apply.yml', 'ldhooks-drift.yml']) {
      const doc = workflow(file);
      expect(doc.env, file).toBeUndefined();
      for (const [name, j] of Object.entries(doc.jobs as Yaml)) {
        expect(j.env, `${file} ${name}`).toBeUndefined();
        for (const s of j.steps as Yaml[]) {
          const hasToken = s.env?.LD_ACCESS_TOKEN !== undefined;
          const talks = /npx ldhooks (plan|apply)\b/.test(s.run ?? '');
          expect(hasToken, `${file} ${s.name ?? s.run ?? s.uses}`).toBe(talks);
        }
      }
    }
  });

  it('apply a reviewed plan from a checked file outside the checkout, downloaded before anything of the checkout runs', () => {
    const steps = workflow('ldhooks-apply.yml').jobs.apply.steps as Yaml[];
    const at = (test: (s: Yaml) => boolean) => steps.findIndex(test);
    const download = at((s) => s.name === 'Download the plan reviewed on the pull request');
    expect(steps[download]?.id).toBe('download');
    expect(download).toBeLessThan(at((s) => s.uses === 'actions/checkout@v4'));
    expect(download).toBeLessThan(at((s) => s.run === 'npm ci'));
    expect(steps[download]?.run).not.toMatch(/--dir \.(\s|$)/);
    const apply = steps.find((s) => s.name === 'Apply the reviewed plan') as Yaml;
    expect(apply.env.PLAN_FILE).toBe('${{ steps.download.outputs.plan-file }}');
    expect(apply.run).toBe('npx ldhooks apply --plan "$PLAN_FILE"');
  });

  it('comment and upload also after a failed step, and only with the permissions they need', () => {
    const pr = workflow('ldhooks-pull-request.yml');
    expect(pr.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    const steps = pr.jobs.plan.steps as Yaml[];
    const named = (name: string) => steps.find((s) => s.name === name) as Yaml;
    expect(named('Plan').if).toContain('!cancelled()');
    expect(named('Comment the plan on the pull request').if).toContain('!cancelled()');
    expect(named('Upload the saved plan').with).toMatchObject({ path: 'ldhooks-plan.json' });
    expect(workflow('ldhooks-drift.yml').permissions).toEqual({ contents: 'read' });
  });
});
