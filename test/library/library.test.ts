import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_DELETE_PERCENT as CLI_MAX_DELETE_PERCENT } from '../../src/cli/guard-settings.js';
import {
  ApiError,
  apply,
  ConfigInvalidError,
  DEFAULT_MAX_DELETE_PERCENT,
  type Emulator,
  fileConfigSource,
  GuardRefusedError,
  hasChanges,
  LaunchDarklyClient,
  loadConfig,
  OwnershipError,
  plan,
  readConfig,
  renderJson,
  renderMarkdown,
  renderText,
  startEmulator,
} from '../../src/index.js';

// Values from the environment: none may appear in anything the library shows or throws.
const SLACK_URL = 'https://hooks.example.com/services/T-lib-7f3a/x';
const HOOK_SECRET = 'lib-secret-c41d9e';
const PROJ = 'projkey-lib-88b2';
const ENV = { SLACK_URL, HOOK_SECRET, PROJ };
const SENSITIVE = [SLACK_URL, HOOK_SECRET, PROJ];

const CONFIG = `version: 1
webhooks:
  - name: slack
    url: \${SLACK_URL}
    secret: \${HOOK_SECRET}
    statements:
      - { effect: allow, resources: ["proj/\${PROJ}:env/production:flag/*"], actions: ["*"] }
  - name: audit
    url: https://audit.example.com/in
    tags: [audit]
`;

let emulator: Emulator;
let dir: string;

beforeEach(async () => {
  emulator = await startEmulator();
  dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-library-'));
  await mkdir(path.join(dir, 'webhooks'));
  await writeFile(path.join(dir, 'webhooks/hooks.yaml'), CONFIG);
});
afterEach(async () => {
  await emulator.close();
});

const client = () => new LaunchDarklyClient({ baseUri: emulator.url, token: emulator.token });

function expectNothingSensitive(text: string): void {
  for (const value of SENSITIVE) expect(text).not.toContain(value);
}

describe('loadConfig', () => {
  it('reads a path, a list of paths or one options object alike', async () => {
    const byPath = await loadConfig('webhooks', { cwd: dir, env: ENV });
    const byList = await loadConfig(['webhooks/hooks.yaml'], { cwd: dir, env: ENV });
    const byObject = await loadConfig({ paths: 'webhooks/', cwd: dir, env: ENV });
    const byDefault = await loadConfig({ cwd: path.join(dir, 'webhooks'), env: ENV });
    for (const config of [byPath, byList, byObject]) {
      expect(config.files).toEqual([path.join('webhooks', 'hooks.yaml')]);
      expect(config.webhooks.map((w) => w.name)).toEqual(['slack', 'audit']);
      expect(config.problems).toEqual([]);
    }
    // No path: the working directory, as the CLI's [PATH...].
    expect(byDefault.files).toEqual(['hooks.yaml']);
    expect(byDefault.webhooks[0]?.url).toBe(SLACK_URL);
  });

  it('returns warnings with the config, and throws every error with its file:line:col', async () => {
    await writeFile(
      path.join(dir, 'webhooks/broken.yaml'),
      `version: 1
webhooks:
  - name: slack
    url: \${SLACK_URL}
  - name: bad-url
    url: \${PROJ}
    colour: blue
`,
    );
    const error = await loadConfig('webhooks', { cwd: dir, env: ENV }).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigInvalidError);
    const problems = (error as ConfigInvalidError).problems;
    const errors = problems.filter((p) => p.severity === 'error');
    // The duplicate name, the URL that is not one, the unknown key: each in its place.
    expect(errors.map((p) => `${p.file}:${p.line}:${p.col} ${p.path}`)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^webhooks\/broken\.yaml:6:\d+ webhooks\[1\]\.url$/),
        expect.stringMatching(/^webhooks\/broken\.yaml:7:\d+ webhooks\[1\]/),
      ]),
    );
    expect(errors.some((p) => p.message.includes('slack'))).toBe(true);
    // The message shows them too, as ldhooks validate does, for a script that just crashes.
    const message = (error as Error).message;
    expect(message).toMatch(/^the configuration is not valid \(\d+ errors\):\n/);
    for (const p of errors) expect(message).toContain(`${p.file}:${p.line}:${p.col}`);
    expectNothingSensitive(message);
    expectNothingSensitive(JSON.stringify(problems));
  });

  it('throws for a path that does not exist: an unreadable config is an error, not an absence', async () => {
    const error = await loadConfig(['webhooks', 'missing/'], { cwd: dir, env: ENV }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(ConfigInvalidError);
    expect((error as ConfigInvalidError).problems).toEqual([
      expect.objectContaining({ file: 'missing', code: 'fs.not-found', severity: 'error' }),
    ]);
  });

  it('names an unset variable, unless missing ones are allowed', async () => {
    const { PROJ: _, ...withoutProj } = ENV;
    const error = await loadConfig('webhooks', { cwd: dir, env: withoutProj }).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigInvalidError);
    expect((error as Error).message).toMatch(/webhooks\/hooks\.yaml:7:\d+ .*PROJ/);
    const lenient = await loadConfig('webhooks', {
      cwd: dir,
      env: withoutProj,
      allowMissingEnv: true,
    });
    expect(lenient.unsetVariables).toEqual(['PROJ']);
  });
});

describe('plan and apply', () => {
  it('plan, render, apply, plan again: the whole job with defaults only', async () => {
    const config = await loadConfig('webhooks', { cwd: dir, env: ENV });
    const launchDarkly = client();
    const run = await plan(config, launchDarkly);
    expect(emulator.counts()).toEqual({ GET: 1 });
    expect(run.refusal).toBeUndefined();
    expect(run.plan.summary).toMatchObject({ create: 2, update: 0, delete: 0 });
    for (const shown of [renderText(run.plan), renderMarkdown(run.plan), renderJson(run.plan, '0')])
      expectNothingSensitive(shown);
    expect(renderText(run.plan)).toContain('proj/${PROJ}:env/production:flag/*');

    emulator.resetLog();
    const progress: string[] = [];
    const report = await apply(launchDarkly, run, {
      onResult: (r) => progress.push(`${r.action} ${r.change.name}`),
    });
    expect(report).toMatchObject({ created: 2, updated: 0, deleted: 0, failed: [] });
    expect(progress.sort()).toEqual(['create audit', 'create slack']);
    // One POST per webhook, then one GET to verify the creates: nothing else.
    expect(emulator.counts()).toEqual({ POST: 2, GET: 1 });
    expect(emulator.store.all().map((h) => h.secret)).toContain(HOOK_SECRET);

    const again = await plan(config, launchDarkly);
    expect(hasChanges(again.plan)).toBe(false);
    const nothing = await apply(launchDarkly, again);
    expect(nothing.results).toEqual([]);
  });

  it('masks the values loadConfig read from its environment, not from process.env', async () => {
    // A live webhook of ours that holds the project key in a resource the config does not declare.
    const launchDarkly = client();
    await launchDarkly.create(
      {
        name: 'slack',
        url: 'https://other.example.com/',
        on: true,
        sign: false,
        tags: ['managed-by-ldhooks'],
        statements: [
          { effect: 'allow', resources: [`proj/${PROJ}:env/test:flag/*`], actions: ['*'] },
        ],
      },
      'managed-by-ldhooks',
    );
    const config = await loadConfig('webhooks', { cwd: dir, env: ENV });
    expect(process.env.PROJ).toBeUndefined();
    const run = await plan(config, launchDarkly);
    const text = renderText(run.plan);
    expect(text).toContain('proj/${PROJ}:env/test:flag/*');
    expectNothingSensitive(text);
    expectNothingSensitive(renderJson(run.plan, '0'));
  });

  it("tells the client the config's values before its first request: no error can echo them", async () => {
    const config = await loadConfig('webhooks', { cwd: dir, env: ENV });
    await apply(client(), await plan(config, client()));
    // A server that repeats every webhook it holds (URL, secret, resources) in an error.
    emulator.inject({ kind: 'echo', method: 'GET', status: 400 });
    const error = await plan(config, client()).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).message).toContain('400');
    expectNothingSensitive((error as Error).message);
  });

  it('plans from a config source or a config read with problems as data, as the engine does', async () => {
    const source = fileConfigSource(['webhooks'], { cwd: dir, env: ENV });
    const run = await plan(source, client());
    expect(run.plan.summary.create).toBe(2);
    expectNothingSensitive(renderText(run.plan));

    await writeFile(path.join(dir, 'webhooks/broken.yaml'), 'version: 1\nwebhooks: 3\n');
    const broken = await readConfig(['webhooks'], { cwd: dir, env: ENV });
    emulator.resetLog();
    await expect(plan(broken, client())).rejects.toBeInstanceOf(ConfigInvalidError);
    expect(emulator.requests).toEqual([]);
  });

  it('refuses to plan from a config read with allowMissingEnv, before any request', async () => {
    const { PROJ: _, ...withoutProj } = ENV;
    const lenient = await loadConfig('webhooks', {
      cwd: dir,
      env: withoutProj,
      allowMissingEnv: true,
    });
    const error = await plan(lenient, client()).catch((e) => e);
    expect(error).toBeInstanceOf(ConfigInvalidError);
    expect((error as Error).message).toContain('PROJ is not set');
    expect(emulator.requests).toEqual([]);
  });

  it('refuses a webhook it does not own, as the CLI does, and takes it with adopt', async () => {
    await client().create(
      { name: 'audit', url: 'https://audit.example.com/in', on: true, sign: false, tags: [] },
      'none',
    );
    const config = await loadConfig('webhooks', { cwd: dir, env: ENV });
    await expect(plan(config, client())).rejects.toBeInstanceOf(OwnershipError);
    const run = await plan(config, client(), { adopt: true });
    expect(run.plan.summary).toMatchObject({ create: 1, update: 1 });
  });

  it("guards by default with the CLI's threshold, and apply refuses a refused plan before any write", async () => {
    expect(DEFAULT_MAX_DELETE_PERCENT).toBe(CLI_MAX_DELETE_PERCENT);
    const launchDarkly = client();
    // Ten managed webhooks, of which the config keeps two: deleting 80% is over 25%.
    const extra = Array.from(
      { length: 8 },
      (_, i) => `  - name: old-${i}\n    url: https://old.example.com/${i}\n`,
    );
    await writeFile(
      path.join(dir, 'webhooks/old.yaml'),
      `version: 1\nwebhooks:\n${extra.join('')}`,
    );
    await apply(
      launchDarkly,
      await plan(await loadConfig('webhooks', { cwd: dir, env: ENV }), launchDarkly),
    );
    await writeFile(path.join(dir, 'webhooks/old.yaml'), 'version: 1\nwebhooks: []\n');

    const config = await loadConfig('webhooks', { cwd: dir, env: ENV });
    const run = await plan(config, launchDarkly);
    expect(run.plan.summary.delete).toBe(8);
    expect(run.refusal?.guard).toBe('max-delete-percent');
    emulator.resetLog();
    await expect(apply(launchDarkly, run)).rejects.toBeInstanceOf(GuardRefusedError);
    expect(emulator.requests).toEqual([]);

    // The override, as --max-delete-percent.
    const allowed = await plan(config, launchDarkly, { maxDeletePercent: 80 });
    expect(allowed.refusal).toBeUndefined();
    expect((await apply(launchDarkly, allowed)).deleted).toBe(8);
  });

  it('applies a bare plan too, as the engine did', async () => {
    const launchDarkly = client();
    const run = await plan(await loadConfig('webhooks', { cwd: dir, env: ENV }), launchDarkly);
    const report = await apply(launchDarkly, run.plan, { parallelism: 1 });
    expect(report.created).toBe(2);
    expect(emulator.store.all()).toHaveLength(2);
  });
});
