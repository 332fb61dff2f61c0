import { mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/adapters/emulator/index.js';
import type { StoredWebhook } from '../../src/adapters/emulator/rules.js';
import { newSecret } from '../../src/adapters/emulator/store.js';
import { type CliResult, runCli } from '../support/cli.js';

let emulator: Emulator;
let dir: string;

beforeEach(async () => {
  emulator = await startEmulator();
  dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-import-'));
});
afterEach(async () => {
  await emulator.close();
});

const OWNER = 'managed-by-ldhooks';
const HAND_SECRET = 'hand-set-secret-71c2e9';
const ALL = { effect: 'allow', resources: ['proj/*:env/production:flag/*'], actions: ['*'] };

let n = 0;
const id = () => (++n).toString(16).padStart(24, '0');
const hook = (fields: Partial<StoredWebhook>): StoredWebhook => ({
  _id: id(),
  url: 'https://hooks.example.com/in',
  on: true,
  tags: [],
  ...fields,
});

/** 24 webhooks of every shape import meets. */
function seed(): StoredWebhook[] {
  n = 0;
  const hooks = [
    hook({ name: 'm-plain', tags: [OWNER] }),
    hook({ name: 'm-signed', tags: [OWNER, 'prod'], secret: HAND_SECRET, statements: [ALL] }),
    hook({ name: 'm-disabled', tags: [OWNER], on: false }),
    hook({ name: 'm-generated', tags: [OWNER], secret: newSecret() }),
    hook({ name: 'u-plain' }),
    hook({ name: 'u-hand-signed', secret: `${HAND_SECRET}-2` }),
    hook({ name: 'u-generated', secret: newSecret() }),
    hook({ name: 'u-disabled', on: false, url: 'https://off.example.com/in' }),
    hook({ name: 'u-no-statements', statements: [] }),
    hook({
      name: 'u-not-resources',
      statements: [{ effect: 'allow', notResources: ['member/*'], actions: ['*'] }],
    }),
    hook({
      name: 'u-not-actions',
      statements: [{ effect: 'allow', resources: ['proj/*'], notActions: ['deleteFlag'] }],
    }),
    hook({
      name: 'u-deny',
      statements: [
        { effect: 'allow', resources: ['*'], actions: ['*'] },
        { effect: 'deny', resources: ['member/*', 'proj/*:env/test:flag/*'], actions: ['*'] },
      ],
    }),
    hook({
      name: 'u-many-tags',
      tags: ['zeta', 'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'eta', 'theta', 'iota'],
    }),
    hook({ name: 'u-dollar ${NOT_A_VAR}', url: 'https://x.example.com/$a' }),
    hook({
      name: 'u-everything',
      on: false,
      secret: newSecret(),
      tags: ['a', 'b'],
      statements: [
        ALL,
        { effect: 'deny', notResources: ['proj/*'], notActions: ['updateOn', 'createFlag'] },
      ],
    }),
    hook({ name: 'Upper Case.Name', tags: ['x'] }),
    hook({}),
    hook({ secret: newSecret() }),
    hook({ name: 'twin' }),
    hook({ name: 'twin', url: 'https://twin.example.com' }),
    hook({ name: 'theirs', tags: ['managed-by-team-a'] }),
    hook({
      name: 'u-long-list',
      statements: [
        {
          effect: 'allow',
          resources: ['proj/a', 'proj/b', 'proj/c', 'proj/d', 'proj/e'],
          actions: ['*'],
        },
      ],
    }),
    hook({
      name: 'm-statements',
      tags: [OWNER, 'ops'],
      statements: [ALL, { effect: 'deny', resources: ['member/*'], actions: ['*'] }],
    }),
    hook({ name: 'u-also-theirs-name', tags: ['managed-by-team-b', 'x'], secret: newSecret() }),
  ];
  for (const h of hooks) emulator.store.put(h);
  return hooks;
}

const env = (extra: Record<string, string> = {}) => ({
  LD_BASE_URI: emulator.url,
  LD_ACCESS_TOKEN: emulator.token,
  ...extra,
});
const cli = (args: string[], extra: Record<string, string> = {}) =>
  runCli(args, { cwd: dir, env: env(extra) });

function noSecrets(hooks: readonly StoredWebhook[], ...texts: string[]) {
  for (const text of texts) {
    expect(text).not.toContain(emulator.token);
    for (const h of hooks) if (h.secret) expect(text).not.toContain(h.secret);
  }
}

const outputs = (...results: CliResult[]) => results.flatMap((r) => [r.stdout, r.stderr]);

/** The variables the import listed, set to the live secrets of their webhooks. */
function secretsEnv(stderr: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of stderr.matchAll(/^ {2}(LDHOOKS_SECRET_\w+) {2}\(.*, ([0-9a-f]{24})\)$/gm)) {
    const secret = emulator.store.get(m[2] as string)?.secret;
    if (secret) out[m[1] as string] = secret;
  }
  return out;
}

async function roundTrip(importArgs: string[], withSecrets: boolean) {
  const seeded = seed();
  const before = structuredClone(emulator.store.all());
  const imported = await cli(['import', '--all', '--out', 'cfg', ...importArgs]);
  expect(imported.code, imported.stderr).toBe(0);
  const file = await readFile(path.join(dir, 'cfg', 'webhooks.yaml'), 'utf8');
  const extra = withSecrets ? secretsEnv(imported.stderr) : {};

  const validated = await cli(['validate', 'cfg'], extra);
  expect(validated.code, validated.stderr).toBe(0);

  const planned = await cli(['plan', 'cfg'], extra);
  expect(planned.code, planned.stderr).toBe(0);
  // 5 managed and unchanged; 13 unmanaged adopted (owner tag added, nothing else); ignored: 2
  // unnamed, 2 twins, 2 owned by other configs.
  expect(planned.stdout).toContain(
    'Plan: 0 to create, 13 to update, 0 to delete, 5 unchanged, 6 unmanaged ignored.',
  );
  expect(planned.stdout.match(/will be adopted and updated/g)?.length).toBe(13);
  const fieldLines = planned.stdout.split('\n').filter((l) => /^ {4}~ /.test(l));
  expect(fieldLines.length).toBe(13);
  for (const l of fieldLines) expect(l).toMatch(/^ {4}~ tags: .*\(owner tag added/);
  expect(planned.stdout).not.toMatch(/^[+-] /m);

  const applied = await cli(['apply', 'cfg', '--auto-approve'], extra);
  expect(applied.code, applied.stderr).toBe(0);
  const again = await cli(['plan', 'cfg', '--detailed-exitcode'], extra);
  expect(again.code, again.stdout).toBe(0);
  expect(again.stdout).toContain('No changes.');

  const after = new Map(emulator.store.all().map((h) => [h._id, h]));
  expect([...after.keys()].sort()).toEqual(before.map((h) => h._id).sort());
  for (const b of before) {
    const a = after.get(b._id) as StoredWebhook;
    // Empty statements are no statements, for LaunchDarkly as for the plan.
    const same = (h: StoredWebhook) => ({ ...h, tags: undefined, statements: h.statements ?? [] });
    expect(same(a)).toEqual(same(b));
    const adopted = !b.tags.some((t) => t.startsWith('managed-by-')) && b.name && b.name !== 'twin';
    expect([...a.tags].sort()).toEqual(adopted ? [...b.tags, OWNER].sort() : [...b.tags].sort());
  }
  noSecrets(seeded, file, ...outputs(imported, validated, planned, applied, again));
  return { file, imported };
}

describe('ldhooks import against the emulator', () => {
  it('imports --all with secret variables: plan shows only adoptions; apply converges', async () => {
    const { file, imported } = await roundTrip([], true);
    expect(file.split('\n')[0]).toMatch(
      /^# yaml-language-server: \$schema=.*schemas\/ldhooks\.schema\.json$/,
    );
    expect(file).toContain('secret: ${LDHOOKS_SECRET_M_SIGNED}');
    expect(file).toContain('name: u-dollar $${NOT_A_VAR}');
    expect(file).toContain(`# id: ${'2'.padStart(24, '0')}`);
    expect(imported.stderr).toContain('LDHOOKS_SECRET_U_HAND_SIGNED');
    expect(imported.stderr).toContain('skipped "theirs" (');
    expect(imported.stderr).toMatch(/not declared \(unnamed\).*webhook-/);
    // Sorted by name.
    const names = [...file.matchAll(/^ {2}- name: (.*)$/gm)].map((m) => m[1] as string);
    expect(names).toEqual([...names].sort());
  });

  it('imports --all --keep-live-secrets: sign: true keeps the live secrets', async () => {
    const { file, imported } = await roundTrip(['--keep-live-secrets'], false);
    expect(file).not.toContain('LDHOOKS_SECRET_');
    expect(file).toContain('sign: true');
    expect(imported.stderr).not.toContain('LDHOOKS_SECRET_');
  });

  it('imports only the managed webhooks by default, to standard output', async () => {
    const seeded = seed();
    const r = await cli(['import']);
    expect(r.code, r.stderr).toBe(0);
    expect([...r.stdout.matchAll(/^ {2}- name: (.*)$/gm)].map((m) => m[1])).toEqual([
      'm-disabled',
      'm-generated',
      'm-plain',
      'm-signed',
      'm-statements',
    ]);
    expect(r.stdout).not.toContain('adopt: true');
    expect(r.stderr).toContain('without managed-by-ldhooks not imported (--all');
    expect(emulator.counts()).toEqual({ GET: 1 });
    noSecrets(seeded, r.stdout, r.stderr);
  });

  it('never overwrites a file', async () => {
    seed();
    expect((await cli(['import', '--out', 'cfg'])).code).toBe(0);
    // What the first import wrote is declared now: the second has nothing to import.
    const again = await cli(['import', '--out', 'cfg']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('nothing to import');
    emulator.store.put(hook({ name: 'm-new', tags: [OWNER] }));
    const second = await cli(['import', '--out', 'cfg']);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('exists already');
  });

  it('writes only an owner tag that is one: managed-by- and a name', async () => {
    const r = await cli(['import', '--owner-tag', 'team-x']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('"team-x" is not an owner tag: write "managed-by-" and a name');
    expect(emulator.requests).toEqual([]);
  });

  it('says the written config does not validate when LaunchDarkly holds a value the format refuses', async () => {
    emulator.store.put({
      _id: 'a'.repeat(24),
      name: 'spaced',
      url: 'https://hooks.example.com/a b',
      on: true,
      tags: ['managed-by-ldhooks'],
    });
    const r = await cli(['import', '--out', 'cfg']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('url must be an absolute http(s) URL');
    expect(r.stderr).toContain('the config import wrote does not validate');
  });

  it('writes no token or secret, even when a live URL holds one, and flags URLs that may carry tokens', async () => {
    emulator.store.put({
      _id: 'b'.repeat(24),
      name: 'leaky',
      url: `https://hooks.example.com/${emulator.token}`,
      on: true,
      tags: ['managed-by-ldhooks'],
    });
    const refused = await cli(['import', '--out', 'cfg']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('import writes no secret');
    expect(refused.stdout + refused.stderr).not.toContain(emulator.token);
    await expect(readFile(path.join(dir, 'cfg', 'webhooks.yaml'), 'utf8')).rejects.toThrow();

    emulator.store.clear();
    emulator.store.put({
      _id: 'c'.repeat(24),
      name: 'slack',
      url: 'https://hooks.slack.example/services/T0/B0/XYZ',
      on: true,
      tags: ['managed-by-ldhooks'],
    });
    const flagged = await cli(['import']);
    expect(flagged.code).toBe(0);
    expect(flagged.stderr).toContain('may carry a token');
    expect(flagged.stderr).toMatch(/before committing: slack$/m);
  });
});

describe('ldhooks import beside an existing config', () => {
  const PLATFORM = 'managed-by-team-platform';
  const platformConfig = async (
    webhooks = '  - { name: slack, url: "https://hooks.example.com/in" }\n',
  ) => {
    await mkdir(path.join(dir, 'webhooks'), { recursive: true });
    await writeFile(
      path.join(dir, 'webhooks', 'platform.yaml'),
      `version: 1\nownerTag: ${PLATFORM}\nwebhooks:\n${webhooks}`,
    );
  };
  const exists = (file: string) =>
    stat(path.join(dir, file)).then(
      () => true,
      () => false,
    );

  it('writes nothing when there is nothing to import, and the next plan deletes nothing', async () => {
    await platformConfig();
    emulator.store.put(hook({ name: 'slack', tags: [PLATFORM] }));
    emulator.store.put(hook({ name: 'other-teams', tags: [OWNER] }));
    const r = await cli(['import', '--out', 'webhooks']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      `ldhooks: nothing to import by ${PLATFORM} (2 not imported), so no config was written to webhooks/webhooks.yaml\n`,
    );
    expect(await exists('webhooks/webhooks.yaml')).toBe(false);
    const planned = await cli(['plan', 'webhooks']);
    expect(planned.code, planned.stderr).toBe(0);
    expect(planned.stdout).toContain('No changes.');
    expect(
      emulator.store
        .all()
        .map((h) => h.name)
        .sort(),
    ).toEqual(['other-teams', 'slack']);
  });

  it('prints nothing to standard output either, rather than a config that claims the owner tag', async () => {
    emulator.store.put(hook({ name: 'unmanaged' }));
    const r = await cli(['import']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      `ldhooks: nothing to import by ${OWNER} (1 not imported), so no config was printed\n`,
    );
  });

  it('imports by the owner tag of the configs in --out DIR, into a file that plans to no changes', async () => {
    await platformConfig();
    emulator.store.put(hook({ name: 'slack', tags: [PLATFORM] }));
    emulator.store.put(hook({ name: 'pager', tags: [PLATFORM], url: 'https://pager.example.com' }));
    emulator.store.put(hook({ name: 'other-teams', tags: [OWNER] }));
    const r = await cli(['import', '--out', 'webhooks']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('skipped "slack" (');
    expect(r.stderr).toContain('already declared by the existing config');
    expect(r.stderr).toContain('imported 1 webhook to webhooks/webhooks.yaml');
    const file = await readFile(path.join(dir, 'webhooks', 'webhooks.yaml'), 'utf8');
    expect(file).toContain(`ownerTag: ${PLATFORM}`);
    expect([...file.matchAll(/^ {2}- name: (.*)$/gm)].map((m) => m[1])).toEqual(['pager']);
    // The schema comment is relative to the file.
    expect(file.split('\n')[0]).toMatch(
      /^# yaml-language-server: \$schema=(\.\.\/)+.*schemas\/ldhooks\.schema\.json$/,
    );
    const planned = await cli(['plan', 'webhooks', '--detailed-exitcode']);
    expect(planned.code, planned.stdout).toBe(0);
    expect(planned.stdout).toContain('No changes.');
  });

  it('refuses an --owner-tag that differs from the configs in --out DIR, before any request', async () => {
    await platformConfig();
    const r = await cli(['import', '--out', 'webhooks', '--owner-tag', OWNER]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: --owner-tag ${OWNER} differs from the ownerTag of the configs already in webhooks (${PLATFORM}): the file written there would join a config of another owner; import into another directory, or leave out --owner-tag to import by ${PLATFORM}\n`,
    );
    expect(emulator.requests).toEqual([]);
    expect(await exists('webhooks/webhooks.yaml')).toBe(false);
    // The same tag is fine.
    expect((await cli(['import', '--out', 'webhooks', '--owner-tag', PLATFORM])).code).toBe(0);
  });

  it('recognises the webhooks a config given as PATH declares, under its own owner tag', async () => {
    await platformConfig();
    emulator.store.put(hook({ name: 'slack', tags: [PLATFORM] }));
    emulator.store.put(hook({ name: 'pager', tags: [PLATFORM] }));
    const r = await cli(['import', 'webhooks/']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('skipped "slack" (');
    expect(r.stderr).toContain('already declared by the existing config');
    expect(r.stderr).not.toContain('owned by');
    expect(r.stdout).toContain(`ownerTag: ${PLATFORM}`);
    expect([...r.stdout.matchAll(/^ {2}- name: (.*)$/gm)].map((m) => m[1])).toEqual(['pager']);
  });

  it('asks for --owner-tag when the existing configs have several, and then knows both as theirs', async () => {
    await platformConfig();
    await writeFile(
      path.join(dir, 'webhooks', 'growth.yaml'),
      'version: 1\nownerTag: managed-by-team-growth\nwebhooks:\n  - { name: exp, url: "https://e.example.com" }\n',
    );
    emulator.store.put(hook({ name: 'slack', tags: [PLATFORM] }));
    emulator.store.put(hook({ name: 'exp', tags: ['managed-by-team-growth'] }));
    emulator.store.put(hook({ name: 'pager', tags: [PLATFORM] }));
    const ambiguous = await cli(['import', 'webhooks']);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toBe(
      `error: the configs given as PATH have several owner tags (managed-by-team-growth, ${PLATFORM}): choose the one to import by with --owner-tag\n`,
    );
    const r = await cli(['import', 'webhooks', '--owner-tag', PLATFORM]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('skipped "exp" (');
    expect(r.stderr).not.toContain('owned by');
    expect([...r.stdout.matchAll(/^ {2}- name: (.*)$/gm)].map((m) => m[1])).toEqual(['pager']);
  });

  it('writes no schema path to standard output, where the file lands is not known, and says how to add one', async () => {
    emulator.store.put(hook({ name: 'a', tags: [OWNER] }));
    const r = await cli(['import']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain('yaml-language-server: $schema');
    expect(r.stdout.split('\n').slice(0, 2)).toEqual([
      '# For completion in an editor, add a comment that points the YAML language server at',
      '# ldhooks\' schema by a path from this file (see "Editor support" in the README).',
    ]);
  });
});
