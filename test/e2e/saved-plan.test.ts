import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/adapters/emulator/index.js';
import { runCli } from '../support/cli.js';

// The threat model of saved plans (README, "Saved plans"): whoever holds the file but not the
// key (LDHOOKS_PLAN_KEY, else the access token) can neither change what it does nor learn a
// value from it.

const SECRET = 'saved-secret-5e1f';
let emulator: Emulator;
let dir: string;
beforeEach(async () => {
  emulator = await startEmulator();
  dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-saved-'));
  await writeFile(
    path.join(dir, 'hooks.yaml'),
    `version: 1
webhooks:
  - name: alpha
    url: https://hooks.example.com/\${A_PATH}
    secret: \${HOOK_SECRET}
    tags: ["\${TEAM}"]
  - name: beta
    url: https://hooks.example.com/\${B_PATH}
  - name: gamma
    url: https://gamma.example.com/in
`,
  );
});
afterEach(() => emulator.close());

const env = (extra: Record<string, string> = {}) => ({
  LD_BASE_URI: emulator.url,
  LD_ACCESS_TOKEN: emulator.token,
  HOOK_SECRET: SECRET,
  A_PATH: 'path-a-11',
  B_PATH: 'path-b-22',
  TEAM: 'team-c-33',
  ...extra,
});
const cli = (args: string[], extra: Record<string, string> = {}) =>
  runCli(args, { cwd: dir, env: env(extra) });
const planFile = () => path.join(dir, 'plan.json');

async function saved(extra: Record<string, string> = {}) {
  const r = await cli(['plan', '--out', 'plan.json'], extra);
  expect(r.code).toBe(0);
  return JSON.parse(await readFile(planFile(), 'utf8'));
}

// biome-ignore lint/suspicious/noExplicitAny: a parsed plan file, which the edits below reach into anywhere
type PlanFileJson = Record<string, any>;

async function applyEdited(edit: (p: PlanFileJson) => void) {
  const p = await saved();
  edit(p);
  await writeFile(planFile(), JSON.stringify(p, null, 2));
  emulator.resetLog();
  return cli(['apply', '--plan', 'plan.json']);
}

describe('a saved plan is sealed', () => {
  it.each<[string, (p: PlanFileJson) => void]>([
    [
      'two templates swapped',
      (p) => {
        const [a, b] = p.saved.desired;
        [a.webhook.url, b.webhook.url] = [b.webhook.url, a.webhook.url];
      },
    ],
    [
      'a template replaced by a literal',
      (p) => {
        p.saved.desired[0].webhook.url = 'https://attacker.example.com/x';
        p.saved.desired[0].mask = { tags: [false, true] };
      },
    ],
    [
      'the owner tag removed from a create',
      (p) => {
        const d = p.saved.desired[2];
        d.webhook.tags = d.webhook.tags.filter((t: string) => t !== 'managed-by-ldhooks');
      },
    ],
    [
      'a delete hidden from the reviewed changes',
      (p) => {
        p.changes = p.changes.slice(1);
        p.summary.create -= 1;
      },
    ],
    [
      'the options',
      (p) => {
        p.saved.options.max_delete_percent = 100;
      },
    ],
    [
      'a fingerprint recomputed from the salt in the file',
      (p) => {
        const d = p.saved.desired[2];
        d.webhook.url = 'https://attacker.example.com/in';
        d.fingerprint = createHmac('sha256', p.saved.salt).update('anything').digest('hex');
      },
    ],
  ])('refuses an edit (%s) with nothing sent', async (_, edit) => {
    const r = await applyEdited(edit);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'plan.json does not carry a valid seal: it was changed after plan --out',
    );
    expect(emulator.requests).toEqual([]);
    expect(emulator.store.all()).toEqual([]);
  });

  it('refuses a repeated key, which one reader resolves to its last value and another to its first', async () => {
    await saved();
    const text = await readFile(planFile(), 'utf8');
    await writeFile(planFile(), text.replace('{\n  "format"', '{\n  "changes": [],\n  "format"'));
    const r = await cli(['apply', '--plan', 'plan.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('does not carry a valid seal');
    expect(emulator.store.all()).toEqual([]);
  });

  it('never echoes a file that is not a plan (a token file, say)', async () => {
    await writeFile(planFile(), `${emulator.token}\nTEAM=team-c-33\u001b[31m\n`);
    const r = await cli(['apply', '--plan', 'plan.json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/plan\.json is not a plan file: not valid JSON/);
    for (const value of [emulator.token, 'team-c-33', '\u001b'])
      expect(r.stderr).not.toContain(value);
  });

  it('cannot be forged without the key: another LDHOOKS_PLAN_KEY is refused, the same one applies', async () => {
    await saved({ LDHOOKS_PLAN_KEY: 'shared-plan-key-1' });
    const other = await cli(['apply', '--plan', 'plan.json'], {
      LDHOOKS_PLAN_KEY: 'another-key-2',
    });
    expect(other.code).toBe(1);
    expect(other.stderr).toContain('does not carry a valid seal');
    const same = await cli(['apply', '--plan', 'plan.json'], {
      LDHOOKS_PLAN_KEY: 'shared-plan-key-1',
    });
    expect(same.code).toBe(0);
    expect(emulator.store.all()).toHaveLength(3);
  });

  it('does not let its holder test a guessed value: fingerprints are not keyed by the salt it holds', async () => {
    const p = await saved();
    const alpha = p.saved.desired[0];
    const text = JSON.stringify(p);
    for (const value of [SECRET, 'path-a-11', 'path-b-22', 'team-c-33', emulator.token]) {
      expect(text).not.toContain(value);
    }
    // gamma holds nothing secret, so the holder knows all its values: keyed by the salt in the
    // file, its fingerprint would confirm them, and so would it any guess at a secret.
    const gamma = p.saved.desired[2];
    const known = {
      name: 'gamma',
      url: 'https://gamma.example.com/in',
      on: true,
      sign: false,
      secret: null,
      tags: ['managed-by-ldhooks'],
      statements: [],
      ownerTag: 'managed-by-ldhooks',
      adopt: false,
    };
    const bySalt = createHmac('sha256', p.saved.salt).update(JSON.stringify(known)).digest('hex');
    expect(gamma.fingerprint).not.toBe(bySalt);
    expect(alpha.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('apply --plan', () => {
  it.each([
    [['--target', 'alpha'], '--target'],
    [['--adopt'], '--adopt'],
    [['--max-delete-percent', '50'], '--max-delete-percent'],
    [['--allow-delete-all'], '--allow-delete-all'],
  ])('refuses %j, fixed when the plan was made', async (args, flag) => {
    await saved();
    emulator.resetLog();
    const r = await cli(['apply', '--plan', 'plan.json', ...args]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `apply --plan refuses ${flag}: these were fixed when the plan was made and reviewed`,
    );
    expect(emulator.requests).toEqual([]);
  });

  it('applies a plan that read a managed webhook without a name', async () => {
    emulator.store.put({
      _id: 'e'.repeat(24),
      url: 'https://nameless.example.com',
      on: true,
      tags: ['managed-by-ldhooks'],
    });
    const planned = await cli(['plan', '--out', 'plan.json', '--max-delete-percent', '100']);
    expect(planned.code).toBe(0);
    const p = JSON.parse(await readFile(planFile(), 'utf8'));
    expect(p.saved.live).toEqual([expect.objectContaining({ id: 'e'.repeat(24), name: null })]);
    const r = await cli(['apply', '--plan', 'plan.json']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Apply complete: 3 created, 0 updated, 1 deleted.');
  });
});

describe('the access token', () => {
  it('never shows, wherever a server puts it: names, tags, URLs, statements', async () => {
    emulator.store.put({
      _id: 'a'.repeat(24),
      name: `leak-${emulator.token}`,
      url: `https://${emulator.token}.example.com/x`,
      on: true,
      tags: ['managed-by-ldhooks', `t-${emulator.token}`.slice(0, 60)],
      statements: [{ effect: 'allow', resources: [`proj/${emulator.token}`], actions: ['*'] }],
    });
    for (const format of ['text', 'json', 'markdown']) {
      const r = await cli(['plan', '--format', format, '--max-delete-percent', '100']);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('(access token)');
      expect(r.stdout + r.stderr).not.toContain(emulator.token);
    }
  });
});
