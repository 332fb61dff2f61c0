import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/adapters/emulator/index.js';
import { VERSION } from '../../src/version.js';
import {
  type CliResult,
  type InProcessOptions,
  ROOT,
  runCli,
  SPAWN_TIMEOUT_MS,
  startCliInProcess,
} from '../support/cli.js';
import { fakeClock, stoppingClock } from '../support/clock.js';

const SECRET = 'e2e-secret-4c1d9a';
const SECRET_URL = 'https://hooks.example.com/services/TOKEN-8b2e';

let emulator: Emulator;
let dir: string;

beforeEach(async () => {
  emulator = await startEmulator();
  dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-e2e-'));
});
afterEach(async () => {
  await emulator.close();
});

const env = (extra: Record<string, string> = {}) => ({
  LD_BASE_URI: emulator.url,
  LD_ACCESS_TOKEN: emulator.token,
  HOOK_SECRET: SECRET,
  SLACK_URL: SECRET_URL,
  ...extra,
});

async function config(yaml: string, name = 'hooks.yaml') {
  await writeFile(path.join(dir, name), yaml);
}

/** The names of the webhooks the emulator holds, sorted. */
const storedNames = () =>
  emulator.store
    .all()
    .map((h) => h.name)
    .sort();

const cli = (args: string[], extra: Record<string, string> = {}, options: InProcessOptions = {}) =>
  runCli(args, { cwd: dir, env: env(extra), ...options });

function noSecrets(...results: CliResult[]) {
  for (const r of results) {
    for (const value of [SECRET, SECRET_URL, 'TOKEN-8b2e', emulator.token]) {
      expect(r.stdout).not.toContain(value);
      expect(r.stderr).not.toContain(value);
    }
  }
}

const BASE = `version: 1
webhooks:
  - name: slack
    url: \${SLACK_URL}
    secret: \${HOOK_SECRET}
    tags: [slack]
    statements:
      - { effect: allow, resources: ["proj/*:env/production:flag/*"], actions: ["*"] }
  - name: audit
    url: https://audit.example.com/in
    sign: true
  - name: pager
    url: https://pager.example.com/in
    on: false
`;

describe('plan and apply against the emulator', () => {
  it('plans with one GET, applies one write per change, then plans no changes', async () => {
    await config(BASE);
    const planned = await cli(['plan']);
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain(
      'Plan: 3 to create, 0 to update, 0 to delete, 0 unchanged, 0 unmanaged ignored.',
    );
    expect(emulator.counts()).toEqual({ GET: 1 });
    expect(emulator.requests[0]?.userAgent).toBe(`ldhooks/${VERSION}`);

    emulator.resetLog();
    const applied = await cli(['apply', '--auto-approve']);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/^\+ created slack \([0-9a-f]{8}…\) \[[123]\/3\]$/m);
    // Each operation's line says how far the run is: 1 of 3, 2 of 3, 3 of 3, in that order.
    expect([...applied.stdout.matchAll(/ \[(\d)\/3\]$/gm)].map((m) => m[1])).toEqual([
      '1',
      '2',
      '3',
    ]);
    expect(applied.stdout).toContain('Apply complete: 3 created, 0 updated, 0 deleted.');
    // One GET to plan, one POST per create, one GET to verify the creates.
    expect(emulator.counts()).toEqual({ GET: 2, POST: 3 });

    emulator.resetLog();
    const again = await cli(['plan', '--detailed-exitcode']);
    expect(again.stdout).toBe('No changes. LaunchDarkly matches the configuration.\n');
    expect(again.code).toBe(0);
    emulator.resetLog();
    const reapplied = await cli(['apply', '--auto-approve']);
    expect(reapplied.code).toBe(0);
    expect(emulator.counts()).toEqual({ GET: 1 });
    const stored = emulator.store.all().find((h) => h.name === 'slack');
    expect(stored).toMatchObject({
      url: SECRET_URL,
      secret: SECRET,
      tags: ['managed-by-ldhooks', 'slack'],
    });
    expect(emulator.store.all().find((h) => h.name === 'audit')?.secret).toMatch(/^[0-9a-f]{32}$/);
    noSecrets(planned, applied, again, reapplied);
  });

  it('updates every field and deletes, one PATCH per changed webhook, exit 2 with --detailed-exitcode', async () => {
    await config(BASE);
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    await config(`version: 1
webhooks:
  - name: slack
    url: https://hooks.example.com/moved
    sign: false
    on: false
    tags: [chat]
    statements:
      - { effect: deny, notResources: ["member/*"], notActions: ["*"] }
  - name: audit
    url: https://audit.example.com/in
    sign: true
    secret: \${HOOK_SECRET}
`);
    const planned = await cli(['plan', '--detailed-exitcode', '--max-delete-percent', '50']);
    expect(planned.code).toBe(2);
    expect(planned.stdout).toContain(
      '~ url: "https://hooks.example.com/…" -> "https://hooks.example.com/moved"',
    );
    expect(planned.stdout).toContain('~ on: true -> false');
    expect(planned.stdout).toContain('~ sign: true -> false');
    expect(planned.stdout).toContain(
      '    ~ tags:\n        @@ -1,1 +1,1 @@\n        - - slack\n        + - chat\n',
    );
    expect(planned.stdout).toContain('~ secret: (sensitive, changed)');
    expect(planned.stdout).toMatch(/^- pager \([0-9a-f]{24}\) will be deleted: not in config$/m);
    expect(planned.stdout).toContain(
      'Plan: 0 to create, 2 to update, 1 to delete, 0 unchanged, 0 unmanaged ignored.',
    );
    emulator.resetLog();
    const applied = await cli(['apply', '--auto-approve', '--max-delete-percent', '50']);
    expect(applied.code).toBe(0);
    expect(emulator.counts()).toEqual({ GET: 1, PATCH: 2, DELETE: 1 });
    const slack = emulator.store.all().find((h) => h.name === 'slack');
    expect(slack).toEqual({
      _id: slack?._id,
      name: 'slack',
      url: 'https://hooks.example.com/moved',
      on: false,
      tags: ['chat', 'managed-by-ldhooks'],
      statements: [{ effect: 'deny', notResources: ['member/*'], notActions: ['*'] }],
    });
    expect(emulator.store.all().find((h) => h.name === 'audit')?.secret).toBe(SECRET);
    expect((await cli(['plan', '--detailed-exitcode'])).code).toBe(0);
    noSecrets(planned, applied);
  });

  it('never touches unmanaged webhooks, and adopts one only when asked', async () => {
    emulator.store.put({
      _id: 'a'.repeat(24),
      name: 'manual',
      url: 'https://manual.example.com',
      on: true,
      tags: [],
    });
    emulator.store.put({
      _id: 'b'.repeat(24),
      name: 'slack',
      url: 'https://old.example.com',
      on: true,
      tags: ['hand-made'],
    });
    await config(BASE);
    const refused = await cli(['plan']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `hooks.yaml:3:5  webhooks[0]  a webhook named "slack" already exists in LaunchDarkly (${'b'.repeat(24)}) but ldhooks does not manage it  (to take it over, set adopt: true on this webhook or pass --adopt; otherwise rename this webhook)`,
    );
    const adopted = await cli(['apply', '--auto-approve', '--adopt']);
    expect(adopted.code).toBe(0);
    expect(adopted.stdout).toContain(`~ slack (${'b'.repeat(24)}) will be adopted and updated`);
    expect(adopted.stdout).toContain('1 unmanaged ignored');
    expect(emulator.store.get('b'.repeat(24))?.tags).toEqual(['managed-by-ldhooks', 'slack']);
    expect(emulator.store.get('a'.repeat(24))).toEqual({
      _id: 'a'.repeat(24),
      name: 'manual',
      url: 'https://manual.example.com',
      on: true,
      tags: [],
    });
    expect((await cli(['plan', '--detailed-exitcode'])).stdout).toContain('No changes.');
  });

  it('refuses two managed webhooks with the same name that differ, listing both ids', async () => {
    for (const id of ['c'.repeat(24), 'd'.repeat(24)]) {
      emulator.store.put({
        _id: id,
        name: 'audit',
        url: `https://${id.slice(0, 1)}.example.com`,
        on: true,
        tags: ['managed-by-ldhooks'],
      });
    }
    await config(BASE);
    const r = await cli(['plan']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `2 managed webhooks in LaunchDarkly are named "audit" and differ: ${'c'.repeat(24)}, ${'d'.repeat(24)}`,
    );
  });

  it('trips the deletion guards with exit 3 and lets the named flag override them', async () => {
    await config(BASE);
    await cli(['apply', '--auto-approve']);
    await config('version: 1\nwebhooks: []\n');
    const empty = await cli(['apply', '--auto-approve']);
    expect(empty.code).toBe(3);
    expect(empty.stderr).toContain(
      'error: guard empty-config: refusing to delete all 3 managed webhooks',
    );
    // Under 10 managed webhooks the percentage guard stands aside: 2 of 3 is a normal change.
    await config(
      `version: 1\nwebhooks:\n  - { name: audit, url: "https://audit.example.com/in", sign: true }\n`,
    );
    const small = await cli(['plan']);
    expect(small.code).toBe(0);
    expect(small.stdout).toContain('2 to delete');
  });

  it('applies the percentage guard from 10 managed webhooks, with thresholds from the command line, the environment or .ldhooks.json', async () => {
    const hooks = (n: number) =>
      `version: 1\nwebhooks:\n${Array.from({ length: n }, (_, i) => `  - { name: h${i}, url: "https://h.example.com/${i}" }`).join('\n')}\n`;
    await config(hooks(12));
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    await config(hooks(8)); // 4 of 12 = 33%
    const refused = await cli(['plan']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(
      'error: guard max-delete-percent: refusing to delete 4 of 12 managed webhooks (33%, more than --max-delete-percent 25)',
    );
    expect((await cli(['plan'], { LDHOOKS_MAX_DELETE_PERCENT: '40' })).code).toBe(0);
    await writeFile(path.join(dir, '.ldhooks.json'), '{"maxDeletePercent": 40}\n');
    expect((await cli(['plan'])).code).toBe(0);
    // The command line wins over the environment, which wins over the file.
    const fromEnv = await cli(['plan'], { LDHOOKS_MAX_DELETE_PERCENT: '30' });
    expect(fromEnv.code).toBe(3);
    // The message names where the threshold was set, and offers to raise it there.
    expect(fromEnv.stderr).toContain(
      '(33%, more than the 30% that LDHOOKS_MAX_DELETE_PERCENT allows). If that is what you mean, raise LDHOOKS_MAX_DELETE_PERCENT to 34, or pass --max-delete-percent 34\n',
    );
    await writeFile(path.join(dir, '.ldhooks.json'), '{"maxDeletePercent": 30}\n');
    const fromFile = await cli(['plan']);
    expect(fromFile.code).toBe(3);
    expect(fromFile.stderr).toContain(
      '(33%, more than the 30% that maxDeletePercent in .ldhooks.json allows). If that is what you mean, raise maxDeletePercent in .ldhooks.json to 34, or pass --max-delete-percent 34\n',
    );
    for (const format of ['markdown', 'json']) {
      const report = (await cli(['plan', '--format', format])).stdout;
      if (format === 'markdown') {
        expect(report).toContain(
          '**To allow it:** raise maxDeletePercent in &#46;ldhooks&#46;json to 34, or pass <code>--max-delete-percent 34</code>',
        );
      } else {
        expect(JSON.parse(report).error).toMatchObject({
          remedy:
            'if that is what you mean, raise maxDeletePercent in .ldhooks.json to 34, or pass --max-delete-percent 34',
          guard: { name: 'max-delete-percent', override: '--max-delete-percent 34' },
        });
      }
    }
    await writeFile(path.join(dir, '.ldhooks.json'), '{"maxDeletePercent": 40}\n');
    expect((await cli(['plan', '--max-delete-percent', '30'])).stderr).toContain(
      '(33%, more than --max-delete-percent 30)',
    );
    expect((await cli(['plan', '--max-delete-percent', '20'])).code).toBe(3);
    const bad = await cli(['plan'], { LDHOOKS_MAX_DELETE_PERCENT: 'lots' });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('LDHOOKS_MAX_DELETE_PERCENT must be a whole number from 0 to 100');
    await writeFile(path.join(dir, '.ldhooks.json'), '\ufeff{"maxDeletePercent": 40}\n');
    expect((await cli(['plan'])).code).toBe(0); // a byte-order mark is fine
    await writeFile(path.join(dir, '.ldhooks.json'), '{"maxDeletePercent": "40"}\n');
    const quoted = await cli(['plan']);
    expect(quoted.code).toBe(1);
    expect(quoted.stderr).toContain('maxDeletePercent in .ldhooks.json must be a whole number');
    await writeFile(path.join(dir, '.ldhooks.json'), '{"maxDeletPercent": 40}\n');
    const typo = await cli(['plan']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('.ldhooks.json: unknown key "maxDeletPercent"');
    expect((await cli(['apply', '--auto-approve', '--max-delete-percent', '34'])).code).toBe(0);
    expect(emulator.store.all()).toHaveLength(8);
  });

  it('needs --auto-approve without a terminal', async () => {
    await config(BASE);
    const r = await cli(['apply']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'error: apply needs confirmation, and there is no terminal to ask on: pass --auto-approve',
    );
    expect(emulator.counts()).toEqual({ GET: 1 });
  });

  it('refuses a missing token before any request, with the role each command needs', async () => {
    await config(BASE);
    const role = {
      plan: 'whose role can read webhooks (a read-only role is enough: this command only reads)',
      import: 'whose role can read webhooks (a read-only role is enough: this command only reads)',
      apply: 'whose role can read and write webhooks',
    };
    for (const [command, needs] of Object.entries(role)) {
      const r = await runCli([command, ...(command === 'apply' ? ['--auto-approve'] : [])], {
        cwd: dir,
        env: { LD_BASE_URI: emulator.url, HOOK_SECRET: SECRET, SLACK_URL: SECRET_URL },
      });
      expect(r.code, command).toBe(1);
      expect(r.stderr, command).toContain(
        `error: no LaunchDarkly access token: set LD_ACCESS_TOKEN (or LAUNCHDARKLY_ACCESS_TOKEN) to an API access token ${needs}\n`,
      );
    }
    // A CI secret that is missing arrives as an empty variable: said so.
    const empty = await runCli(['plan'], {
      cwd: dir,
      env: {
        LD_ACCESS_TOKEN: '',
        LD_BASE_URI: emulator.url,
        HOOK_SECRET: SECRET,
        SLACK_URL: SECRET_URL,
      },
    });
    expect(empty.stderr).toContain(
      'error: no LaunchDarkly access token: LD_ACCESS_TOKEN is empty; set LD_ACCESS_TOKEN (or LAUNCHDARKLY_ACCESS_TOKEN) to an API access token whose role can read webhooks (a read-only role is enough: this command only reads); in CI, check that the secret it is set from exists and is named the same\n',
    );
    expect(emulator.requests).toEqual([]);
  });
});

describe('saved plans', () => {
  it('applies a saved plan without the config files, and writes no secret into it', async () => {
    await config(BASE);
    const planned = await cli(['plan', '--out', 'plan.json']);
    expect(planned.code).toBe(0);
    const text = await readFile(path.join(dir, 'plan.json'), 'utf8');
    for (const value of [SECRET, SECRET_URL, 'TOKEN-8b2e', emulator.token])
      expect(text).not.toContain(value);
    expect(JSON.parse(text)).toMatchObject({
      format: 'ldhooks-plan',
      format_version: 2,
      saved: { base_uri: emulator.url },
    });

    const elsewhere = await mkdtemp(path.join(tmpdir(), 'ldhooks-e2e-apply-'));
    await writeFile(path.join(elsewhere, 'plan.json'), text);
    emulator.resetLog();
    const applied = await runCli(['apply', '--plan', 'plan.json'], { cwd: elsewhere, env: env() });
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('Apply complete: 3 created, 0 updated, 0 deleted.');
    expect(emulator.counts()).toEqual({ GET: 2, POST: 3 });
    expect(emulator.store.all().find((h) => h.name === 'slack')).toMatchObject({
      url: SECRET_URL,
      secret: SECRET,
    });
    noSecrets(planned, applied);
  });

  it('refuses a stale plan with exit 3, naming what changed', async () => {
    await config(BASE);
    await cli(['apply', '--auto-approve']);
    await config(BASE.replace('on: false', 'on: true'));
    expect((await cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    const pager = emulator.store.all().find((h) => h.name === 'pager');
    if (!pager) throw new Error('pager missing');
    emulator.store.put({ ...pager, url: 'https://changed-by-hand.example.com' });
    emulator.resetLog();
    const r = await cli(['apply', '--plan', 'plan.json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      `the plan is stale: since it was made, in LaunchDarkly pager (${pager._id}) was changed`,
    );
    expect(emulator.counts()).toEqual({ GET: 1 });
  });

  it('refuses a plan whose sensitive values the environment no longer gives', async () => {
    await config(BASE);
    await cli(['plan', '--out', 'plan.json']);
    const r = await cli(['apply', '--plan', 'plan.json'], { HOOK_SECRET: 'rotated-secret' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      'the environment no longer gives the values the plan was made with: slack; plan again',
    );
    expect(r.stderr).not.toContain('rotated-secret');
    expect(emulator.store.all()).toEqual([]);
  });

  it('names the variable that is empty now, when a saved plan meets a CI secret gone missing', async () => {
    await config(BASE);
    await cli(['plan', '--out', 'plan.json']);
    const r = await cli(['apply', '--plan', 'plan.json'], { HOOK_SECRET: '' });
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      'the environment no longer gives the values the plan was made with: slack; now empty: HOOK_SECRET: set them as they were for plan --out (in CI, check that the secrets they are set from exist), or plan again',
    );
    expect(emulator.store.all()).toEqual([]);
  });

  it('saves no environment value, whichever webhook or owner tag holds it, and applies it back', async () => {
    await config(`version: 1
ownerTag: \${OWNER}
webhooks:
  - name: a
    url: https://hooks.example.com/\${P}
  - name: b
    url: https://other.example.com/
    tags: [mobilesecret-71]
    statements: [{ effect: allow, resources: ["proj/mobilesecret-71:env/*"], actions: ["*"] }]
`);
    const extra = { OWNER: 'managed-by-owner-93', P: 'mobilesecret-71' };
    const planned = await cli(['plan', '--out', 'plan.json', '--format', 'json'], extra);
    expect(planned.code).toBe(0);
    const text = await readFile(path.join(dir, 'plan.json'), 'utf8');
    expect(JSON.parse(text).owner_tags).toEqual(['${OWNER}']);
    const applied = await cli(['apply', '--plan', 'plan.json'], extra);
    expect(applied.code).toBe(0);
    expect(emulator.store.all().map((h) => h.tags.sort())).toEqual([
      ['managed-by-owner-93'],
      ['managed-by-owner-93', 'mobilesecret-71'],
    ]);
    for (const out of [planned.stdout, planned.stderr, applied.stdout, applied.stderr, text]) {
      expect(out).not.toContain('managed-by-owner-93');
      expect(out).not.toContain('mobilesecret-71');
    }
  });

  it('refuses at plan time a saved plan that could not resolve back (a secret inside another value)', async () => {
    // A secret of 6 characters or more is masked inside other values (a shorter one only where
    // it is the whole value): the name shows as hook-(sensitive), which no template gives back.
    await config(
      'version: 1\nwebhooks:\n  - { name: hook-prod-k3y, url: "https://p.example.com", secret: "${S}" }\n',
    );
    const r = await cli(['plan', '--out', 'plan.json'], { S: 'prod-k3y' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('its values cannot be saved as ${NAME} templates');
    await expect(readFile(path.join(dir, 'plan.json'), 'utf8')).rejects.toThrow();
  });

  it('says which webhook stands in the way when the account changed under a saved plan', async () => {
    await config(BASE);
    expect((await cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    emulator.store.put({
      _id: 'f'.repeat(24),
      name: 'audit',
      url: 'https://manual.example.com',
      on: true,
      tags: [],
    });
    const r = await cli(['apply', '--plan', 'plan.json']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(
      `the plan can no longer be applied as it was reviewed: a webhook named "audit" already exists in LaunchDarkly (${'f'.repeat(24)}) but ldhooks does not manage it. Plan again`,
    );
    expect(emulator.counts()).toEqual({ GET: 2 });
  });

  it.each([
    ['a null mask', 'null'],
    ['a mask nested past the stack', `${'['.repeat(20_000)}true${']'.repeat(20_000)}`],
  ])('calls a saved plan with %s damaged, never an internal error', async (_, mask) => {
    await config(BASE);
    await cli(['plan', '--out', 'plan.json']);
    const file = path.join(dir, 'plan.json');
    const p = JSON.parse(await readFile(file, 'utf8'));
    p.saved.desired[0].mask = 'MASK-HERE';
    await writeFile(file, JSON.stringify(p).replace('"MASK-HERE"', mask));
    const r = await cli(['apply', '--plan', 'plan.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: plan\.json is damaged: /m);
    expect(emulator.store.all()).toEqual([]);
  });

  it('says which variable apply --plan needs when the environment lacks one', async () => {
    await config(BASE);
    expect((await cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    const r = await runCli(['apply', '--plan', 'plan.json'], {
      cwd: dir,
      env: { LD_BASE_URI: emulator.url, LD_ACCESS_TOKEN: emulator.token, SLACK_URL: SECRET_URL },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('environment variable HOOK_SECRET is not set');
    expect(r.stderr).toContain('set it in the environment of apply --plan');
    expect(emulator.store.all()).toEqual([]);
    noSecrets(r);
  });

  it('refuses at plan time a plan that could never be applied, and a missing directory, writing nothing', async () => {
    await config(
      'version: 1\nwebhooks:\n  - { name: clear, url: "https://c.example.com", secret: written-in-clear-77 }\n',
    );
    const clear = await cli(['plan', '--out', 'plan.json']);
    expect(clear.code).toBe(1);
    expect(clear.stderr).toContain(
      'its secret is written in the config, not read from the environment, so a saved plan cannot carry it',
    );
    expect(clear.stderr + clear.stdout).not.toContain('written-in-clear-77');
    await expect(readFile(path.join(dir, 'plan.json'), 'utf8')).rejects.toThrow();

    await config(BASE);
    const missing = await cli(['plan', '--out', 'no/such/dir/plan.json']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      'cannot write the plan to no/such/dir/plan.json: its directory does not exist',
    );
  });

  it('applies a saved plan whose name and statements come from the environment, showing only templates', async () => {
    await config(`version: 1
webhooks:
  - name: \${HOOK_NAME}
    url: https://n.example.com/in
    statements:
      - { effect: allow, resources: ["proj/\${PROJ}:env/production:flag/*"], actions: ["*"] }
`);
    const extra = { HOOK_NAME: 'named-from-env-31', PROJ: 'proj-from-env-58' };
    const planned = await cli(
      ['plan', '--out', 'plan.json', '--target', 'named-from-env-31'],
      extra,
    );
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain('+ ${HOOK_NAME} will be created');
    expect(planned.stdout).toContain('proj/${PROJ}:env/production:flag/*');
    const text = await readFile(path.join(dir, 'plan.json'), 'utf8');
    const applied = await cli(['apply', '--plan', 'plan.json'], extra);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/^\+ created \$\{HOOK_NAME\} \([0-9a-f]{8}…\) \[1\/1\]$/m);
    expect(emulator.store.all()).toMatchObject([
      {
        name: 'named-from-env-31',
        statements: [
          {
            effect: 'allow',
            resources: ['proj/proj-from-env-58:env/production:flag/*'],
            actions: ['*'],
          },
        ],
      },
    ]);
    for (const out of [planned.stdout, planned.stderr, applied.stdout, applied.stderr, text]) {
      expect(out).not.toContain('named-from-env-31');
      expect(out).not.toContain('proj-from-env-58');
    }
  });

  it.each([
    ['not json', 'is not a plan file: not valid JSON'],
    ['{"hello": 1}', 'is not an ldhooks plan file'],
    ['{"format": "ldhooks-plan", "format_version": 9}', 'is a plan of format version 9'],
    [
      '{"format": "ldhooks-plan", "format_version": 2, "owner_tags": [], "saved": {"salt": 3}}',
      'is damaged',
    ],
    ['{"format": "ldhooks-plan", "format_version": 2}', 'a plan printed with --format json'],
  ])('refuses the corrupt or foreign plan file %s', async (content, message) => {
    await writeFile(path.join(dir, 'plan.json'), content);
    const r = await cli(['apply', '--plan', 'plan.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect(emulator.requests).toEqual([]);
  });
});

describe('convergence after faults', () => {
  it('converges after 5xx, dropped connections and a POST that commits but loses its answer', async () => {
    await config(BASE);
    emulator.inject({ kind: 'status', status: 503, method: 'GET' });
    emulator.inject({ kind: 'commit-then-drop', method: 'POST' });
    emulator.inject({ kind: 'drop', method: 'POST' });
    const clock = fakeClock();
    const applied = await cli(['apply', '--auto-approve', '--parallelism', '1'], {}, { clock });
    expect(applied.code).toBe(0);
    expect(storedNames()).toEqual(['audit', 'pager', 'slack']);
    // One first backoff (0.25 to 0.5 s) after each fault: the 503, and the two POSTs of unknown
    // outcome, each followed by a re-list before trying again.
    expect(clock.sleeps).toHaveLength(3);
    for (const ms of clock.sleeps) {
      expect(ms).toBeGreaterThanOrEqual(250);
      expect(ms).toBeLessThan(500);
    }
    expect(emulator.counts()).toEqual({ GET: 5, POST: 4 });
    expect(applied.stderr.match(/^ldhooks: .*(retry 1 of 4|outcome unknown)/gm)).toHaveLength(3);
    expect((await cli(['plan', '--detailed-exitcode'])).code).toBe(0);
  });

  it('reports a failed operation, finishes the others, and converges on the next run', async () => {
    await config(BASE);
    emulator.inject({ kind: 'status', status: 400, method: 'POST' });
    const first = await cli(['apply', '--auto-approve', '--parallelism', '1']);
    expect(first.code).toBe(1);
    expect(first.stderr).toContain(
      'Apply incomplete: 2 created, 0 updated, 0 deleted; 1 of 3 operations failed:',
    );
    expect(first.stderr).toMatch(
      /create audit: POST \/api\/v2\/webhooks failed: 400 invalid_request: injected fault/,
    );
    expect(emulator.store.all()).toHaveLength(2);
    const second = await cli(['apply', '--auto-approve']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('Apply complete: 1 created, 0 updated, 0 deleted.');
    expect((await cli(['plan', '--detailed-exitcode'])).code).toBe(0);
  });

  it('converges when an apply is killed midway and run again', async () => {
    await config(BASE);
    // The second POST is lost before it commits, and the run stops for good at its first wait:
    // what LaunchDarkly sees of a process killed with one webhook created and one in flight.
    emulator.inject({ kind: 'drop', method: 'POST', after: 1 });
    const clock = stoppingClock();
    const killed = startCliInProcess(['apply', '--auto-approve', '--parallelism', '1'], {
      cwd: dir,
      env: env(),
      clock,
    });
    await clock.stopped;
    expect(killed.output().stdout.match(/^\+ created \S+/gm)).toHaveLength(1);
    expect(emulator.store.all()).toHaveLength(1);
    expect(emulator.counts()).toEqual({ GET: 1, POST: 2 });
    const rerun = await cli(['apply', '--auto-approve']);
    expect(rerun.code).toBe(0);
    expect(storedNames()).toEqual(['audit', 'pager', 'slack']);
    expect(rerun.stdout).toContain('Apply complete: 2 created, 0 updated, 0 deleted.');
    expect((await cli(['plan', '--detailed-exitcode'])).code).toBe(0);
  });
});

// The quick start is a script that starts the built CLI four times: it is the process under test.
describe('the quick start', () => {
  it(
    'runs validate, plan, apply and plan again against the bundled emulator',
    async () => {
      const { spawn } = await import('node:child_process');
      const child = spawn(process.execPath, [path.join(ROOT, 'scripts/quickstart.mjs')], {
        cwd: ROOT,
      });
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
      });
      child.stderr.on('data', (d) => {
        out += d;
      });
      const code = await new Promise((resolve) => child.on('close', resolve));
      expect(code, out).toBe(0);
      expect(out).toContain(
        'Plan: 7 to create, 0 to update, 0 to delete, 0 unchanged, 0 unmanaged ignored.',
      );
      expect(out).toContain('Apply complete: 7 created, 0 updated, 0 deleted.');
      expect(out).toContain('No changes. LaunchDarkly matches the configuration.');
      expect(out).toContain('Requests the emulator received: {"GET":4,"POST":7}');
    },
    SPAWN_TIMEOUT_MS,
  );
});

describe('confirmation on a terminal', () => {
  async function onTerminal(answer: string, end = '\n') {
    const r = await cli(
      ['apply'],
      {},
      {
        input: `${answer}${end}`,
        isTTY: { stdin: true, stdout: true },
      },
    );
    return { code: r.code, out: r.stdout + r.stderr };
  }

  it('changes nothing unless the answer is yes', async () => {
    await config(BASE);
    const declined = await onTerminal('no');
    expect(declined.out).toContain("Do you want to apply these changes? Only 'yes' is accepted:");
    expect(declined.out).toContain('Apply cancelled: nothing was changed.');
    expect(declined.code).toBe(0);
    expect(emulator.store.all()).toEqual([]);
    const accepted = await onTerminal('yes');
    expect(accepted.out).toContain('Apply complete: 3 created, 0 updated, 0 deleted.');
    expect(emulator.store.all()).toHaveLength(3);
  });

  it('takes Ctrl+C at the question as an interruption and Ctrl+D as a no, changing nothing', async () => {
    await config(BASE);
    const ctrlC = await onTerminal('ye\u0003', '');
    expect(ctrlC.out).toContain('Apply cancelled: nothing was changed.');
    expect(ctrlC.code).toBe(130);
    const ctrlD = await onTerminal('', '');
    expect(ctrlD.out).toContain('Apply cancelled: nothing was changed.');
    expect(ctrlD.code).toBe(0);
    expect(emulator.store.all()).toEqual([]);
  });
});

describe('a create LaunchDarkly does not take whole', () => {
  it('patches the tags a POST lost, then plans no changes', async () => {
    await emulator.close();
    emulator = await startEmulator({ dropTagsOnCreate: true });
    await config(BASE);
    const applied = await cli(['apply', '--auto-approve']);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(
      /^\+ created slack \([0-9a-f]{8}…\); then set tags, which LaunchDarkly did not take on create \[[123]\/3\]$/m,
    );
    expect(emulator.counts()).toEqual({ GET: 2, POST: 3, PATCH: 3 });
    expect(emulator.store.all().every((h) => h.tags.includes('managed-by-ldhooks'))).toBe(true);
    expect((await cli(['plan', '--detailed-exitcode'])).code).toBe(0);
  });

  it('converges when the patch after a create fails: the untagged webhook is removed, the re-run creates it', async () => {
    await emulator.close();
    emulator = await startEmulator({ dropTagsOnCreate: true });
    await config(BASE);
    emulator.inject({ kind: 'status', status: 400, method: 'PATCH' });
    const first = await cli(['apply', '--auto-approve', '--parallelism', '1']);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(
      /! failed to create audit: created it, but could not then set tags, which LaunchDarkly did not take on create \(.*400.*\); removed it again, so the next apply creates it afresh/,
    );
    // No webhook without its owner tag is left behind.
    expect(emulator.store.all().every((h) => h.tags.includes('managed-by-ldhooks'))).toBe(true);
    const second = await cli(['apply', '--auto-approve']);
    expect(second.code).toBe(0);
    expect(storedNames()).toEqual(['audit', 'pager', 'slack']);
    expect((await cli(['plan', '--detailed-exitcode'])).code).toBe(0);
  });
});

describe('plan formats from the CLI', () => {
  it('prints Markdown and JSON without secrets, and apply refuses a JSON rendering as a saved plan', async () => {
    await config(BASE);
    const md = await cli(['plan', '--format', 'markdown']);
    expect(md.code).toBe(0);
    expect(md.stdout.startsWith('<!-- ldhooks-plan -->\n')).toBe(true);
    const json = await cli(['plan', '--format', 'json', '--out', 'saved.json']);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout);
    expect(doc.changes.map((c: { actions: string[] }) => c.actions)).toEqual([
      ['create'],
      ['create'],
      ['create'],
    ]);
    expect(doc.saved).toBeUndefined();
    expect(json.stderr).toContain('Saved the plan to saved.json');
    noSecrets(md, json);
    await writeFile(path.join(dir, 'rendered.json'), json.stdout);
    const refused = await cli(['apply', '--plan', 'rendered.json']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      'rendered.json is a plan printed with --format json, without what apply needs',
    );
  });

  it('rejects an unknown format', async () => {
    const r = await cli(['plan', '--format', 'yaml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "argument 'yaml' is invalid. Allowed choices are text, markdown, json.",
    );
  });
});
