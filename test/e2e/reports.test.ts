import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/adapters/emulator/index.js';
import type { StoredWebhook } from '../../src/adapters/emulator/rules.js';
import { MARKDOWN_MARKER } from '../../src/render/markdown.js';
import { type CliResult, ROOT, runCli, startCliInProcess } from '../support/cli.js';
import { until } from '../support/clock.js';
import { expectValid, validateApply, validatePlan } from '../support/published-schemas.js';

// Plan reports that explain failures (Markdown for a pull-request comment, JSON for machines),
// the apply report, and --quiet: each failure class with its exit code, each JSON document
// checked against the schema ldhooks publishes in schemas/, and nothing secret in any output.

const SLACK_URL = 'https://hooks.slack.com/services/T0/SECRETPATH-91';
const HOOK_SECRET = 'hook-secret-value-44';
const OWNER = 'managed-by-ldhooks';

const CONFIG = `version: 1
webhooks:
  - name: slack
    url: \${SLACK_URL}
    secret: \${HOOK_SECRET}
  - name: audit
    url: https://audit.example.com/in
`;

let emulator: Emulator;
let dir: string;
beforeEach(async () => {
  emulator = await startEmulator();
  dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-reports-'));
  await writeFile(path.join(dir, 'hooks.yaml'), CONFIG);
});
afterEach(() => emulator.close());

/** A variable given this value is left out of the environment. */
const UNSET = '(unset)';

const env = (extra: Record<string, string> = {}) =>
  Object.fromEntries(
    Object.entries({
      LD_BASE_URI: emulator.url,
      LD_ACCESS_TOKEN: emulator.token,
      SLACK_URL,
      HOOK_SECRET,
      ...extra,
    }).filter(([, value]) => value !== UNSET),
  );

const cli = (args: string[], extra: Record<string, string> = {}) =>
  runCli(args, { cwd: dir, env: env(extra) });

/** No output of the run holds a value from the environment or the token. */
function expectNothingSecret(r: CliResult, what: string) {
  for (const value of [SLACK_URL, 'SECRETPATH-91', HOOK_SECRET, emulator.token]) {
    expect(r.stdout, `${what} stdout`).not.toContain(value);
    expect(r.stderr, `${what} stderr`).not.toContain(value);
  }
}

/** The whole of stdout is one document of the schema. */
function documentOf(validate: typeof validatePlan, r: CliResult, what: string) {
  const doc = JSON.parse(r.stdout);
  expectValid(validate, doc, what);
  return doc;
}

const stored = (fields: Partial<StoredWebhook> & { name: string }, i: number): StoredWebhook => ({
  _id: String(i + 1).padStart(24, 'c'),
  url: `https://h.example.com/${i}`,
  on: true,
  tags: [OWNER],
  ...fields,
});

/** Request ids and retry delays (with jitter) differ from run to run; nothing else may. */
const sameText = (s: string) =>
  s.replace(/request id [0-9a-f-]+/g, 'request id …').replace(/in [\d.]+ s$/gm, 'in … s');

interface FailureCase {
  /** What sets the stage: files, live webhooks, faults. Returns more environment. */
  setup?: () => Promise<Record<string, string> | undefined>;
  args?: string[];
  code: number;
  status: 'invalid' | 'refused' | 'failed';
  kind: string;
  /** A line the Markdown report shows. */
  shows: string;
  /** Whether the run reads LaunchDarkly before it fails. */
  requests: number;
}

const setConfig = (text: string) => async () => {
  await writeFile(path.join(dir, 'hooks.yaml'), text);
  return undefined;
};

const CASES: Record<string, FailureCase> = {
  'a schema error': {
    setup: setConfig(CONFIG.replace('https://audit.example.com/in', '/hooks')),
    code: 1,
    status: 'invalid',
    kind: 'config',
    shows:
      '| <code>hooks&#46;yaml&#58;7&#58;10</code> <code>webhooks&#91;1&#93;&#46;url</code> | url must be an absolute http(s) URL, not &quot;/hooks&quot; | write a full URL such as https&#58;//hooks&#46;example&#46;com/launchdarkly |',
    requests: 0,
  },
  'an unset environment variable': {
    setup: async () => ({ HOOK_SECRET: UNSET }),
    code: 1,
    status: 'invalid',
    kind: 'config',
    shows:
      '| <code>hooks&#46;yaml&#58;5&#58;13</code> <code>webhooks&#91;0&#93;&#46;secret</code> | environment variable HOOK&#95;SECRET is not set |',
    requests: 0,
  },
  'an unreadable file': {
    setup: async () => {
      await symlink('gone/b.yaml', path.join(dir, 'b.yaml'));
      return undefined;
    },
    code: 1,
    status: 'invalid',
    kind: 'config',
    shows:
      '| <code>b&#46;yaml</code> | cannot be read&#58; a symbolic link to gone/b&#46;yaml, which does not exist |',
    requests: 0,
  },
  'a policy error': {
    setup: setConfig(
      `${CONFIG}    statements:\n      - { effect: allow, resources: ["proj/*:env-broken"], actions: ["*"] }\n`,
    ),
    code: 1,
    status: 'invalid',
    kind: 'config',
    shows: 'segment &quot;env-broken&quot; at column 8 has no &quot;/&quot;',
    requests: 0,
  },
  'a webhook the config does not own': {
    setup: async () => {
      emulator.store.put(stored({ name: 'audit', tags: [] }, 0));
      return undefined;
    },
    code: 1,
    status: 'invalid',
    kind: 'ownership',
    shows: '**❌ Not planned: the plan would change webhooks this config does not own',
    requests: 1,
  },
  'an unknown --target': {
    args: ['--target', 'slak'],
    code: 1,
    status: 'invalid',
    kind: 'target',
    shows: '> error: --target &quot;slak&quot; (did you mean &quot;slack&quot;?) names no webhook',
    requests: 1,
  },
  'the deletion guard': {
    setup: async () => {
      for (let i = 0; i < 10; i++) emulator.store.put(stored({ name: `hook-${i}` }, i));
      return undefined;
    },
    code: 3,
    status: 'refused',
    kind: 'guard',
    shows: '**To allow it:** pass <code>--max-delete-percent 100</code>',
    requests: 1,
  },
  'the empty-config guard': {
    setup: async () => {
      await writeFile(path.join(dir, 'hooks.yaml'), 'version: 1\nwebhooks: []\n');
      for (let i = 0; i < 2; i++) emulator.store.put(stored({ name: `hook-${i}` }, i));
      return undefined;
    },
    code: 3,
    status: 'refused',
    kind: 'guard',
    shows: '**To allow it:** pass <code>--allow-delete-all</code>',
    requests: 1,
  },
  'a token LaunchDarkly refuses (401)': {
    setup: async () => ({ LD_ACCESS_TOKEN: 'api-not-the-token-0001' }),
    code: 1,
    status: 'failed',
    kind: 'api',
    shows: '**What to do:** check the access token in LD&#95;ACCESS&#95;TOKEN',
    requests: 1,
  },
  'a token that cannot read webhooks (403)': {
    setup: async () => {
      emulator.inject({ kind: 'status', status: 403, method: 'GET', count: 100 });
      return undefined;
    },
    code: 1,
    status: 'failed',
    kind: 'api',
    shows: '**What to do:** the access token cannot read webhooks',
    requests: 1,
  },
  'a network failure': {
    setup: async () => {
      emulator.inject({ kind: 'drop', method: 'GET', count: 100 });
      return undefined;
    },
    code: 1,
    status: 'failed',
    kind: 'api',
    shows: '**What to do:** check the network and the base URI',
    requests: -1,
  },
  'no token': {
    setup: async () => ({ LD_ACCESS_TOKEN: '' }),
    code: 1,
    status: 'invalid',
    kind: 'settings',
    shows:
      '> error: no LaunchDarkly access token&#58; LD&#95;ACCESS&#95;TOKEN is empty\n\n**What to do:** set LD&#95;ACCESS&#95;TOKEN (or LAUNCHDARKLY&#95;ACCESS&#95;TOKEN) to an API access token whose role can read webhooks (a read-only role is enough&#58; this command only reads); in CI, check that the secret it is set from exists and is named the same\n',
    requests: 0,
  },
  'a base URI that is not a URL': {
    setup: async () => ({ LD_BASE_URI: 'not a url' }),
    code: 1,
    status: 'invalid',
    kind: 'settings',
    shows: '**What to do:** write it like https&#58;//app&#46;launchdarkly&#46;com\n',
    requests: 0,
  },
  'a deletion threshold that is not a number': {
    setup: async () => ({ LDHOOKS_MAX_DELETE_PERCENT: 'lots' }),
    code: 1,
    status: 'invalid',
    kind: 'input',
    shows: 'LDHOOKS&#95;MAX&#95;DELETE&#95;PERCENT',
    requests: 0,
  },
};

describe('plan --format markdown|json when the run fails or is refused', () => {
  it.each(Object.entries(CASES))('%s: a report, the same exit code', async (what, c) => {
    const extra = (await c.setup?.()) ?? {};
    const args = ['plan', ...(c.args ?? [])];
    const text = await cli(args, extra);
    expect(text.code, `${what}: ${text.stderr}`).toBe(c.code);
    emulator.resetLog();

    const json = await cli([...args, '--format', 'json'], extra);
    expect(json.code, what).toBe(c.code);
    const doc = documentOf(validatePlan, json, what);
    expect(doc.status, what).toBe(c.status);
    expect(doc.error.kind, what).toBe(c.kind);
    expect(doc.error.exit_code, what).toBe(c.code);
    // A refused plan is shown with the refusal; a failed run made none.
    expect(doc.changes === undefined, what).toBe(c.status !== 'refused');
    if (c.requests >= 0) expect(emulator.requests.length, what).toBe(c.requests);

    const md = await cli([...args, '--format', 'markdown'], extra);
    expect(md.code, what).toBe(c.code);
    expect(md.stdout.split('\n')[0], what).toBe(MARKDOWN_MARKER);
    expect(md.stdout, what).toContain(c.shows);
    expect(md.stdout, what).toContain(`(exit code ${c.code})`);
    // Every kind of failure says what to do, in both documents.
    expect(doc.error.remedy, what).toEqual(expect.any(String));
    expect(md.stdout, what).toMatch(/^\*\*(What to do|To allow it):\*\* \S/m);

    // Standard error says what it said without a report.
    for (const r of [json, md]) expect(sameText(r.stderr), what).toBe(sameText(text.stderr));
    for (const r of [text, json, md]) expectNothingSecret(r, what);
  });

  it('lists every problem of the config in JSON, with its place and remedy', async () => {
    await writeFile(
      path.join(dir, 'hooks.yaml'),
      CONFIG.replace('https://audit.example.com/in', '/hooks').replace('name: slack', 'name: ""'),
    );
    const r = await cli(['plan', '--format', 'json'], { HOOK_SECRET: UNSET });
    expect(r.code).toBe(1);
    const doc = documentOf(validatePlan, r, 'plan');
    expect(
      doc.problems.map((p: { line: number; column: number; path: string }) => [
        p.line,
        p.column,
        p.path,
      ]),
    ).toEqual([
      [3, 11, 'webhooks[0].name'],
      [5, 13, 'webhooks[0].secret'],
      [7, 10, 'webhooks[1].url'],
    ]);
    for (const p of doc.problems) expect(p.remedy).toEqual(expect.any(String));
    // The same problems, one per line, on standard error.
    expect(r.stderr.split('\n').filter((l) => l.startsWith('hooks.yaml:'))).toHaveLength(3);
  });

  it('the override the report names lets the plan through', async () => {
    for (let i = 0; i < 10; i++) emulator.store.put(stored({ name: `hook-${i}` }, i));
    const refused = await cli(['plan', '--format', 'json']);
    const override = JSON.parse(refused.stdout).error.guard.override.split(' ');
    const r = await cli(['plan', '--format', 'json', ...override]);
    expect(r.code, r.stderr).toBe(0);
    expect(documentOf(validatePlan, r, 'plan')).toMatchObject({ status: 'ok', error: null });
  });
});

describe('policy warnings', () => {
  beforeEach(() =>
    writeFile(
      path.join(dir, 'hooks.yaml'),
      `${CONFIG}    statements:\n      - { effect: allow, resources: ["proj/*:env/production:flag/*"], actions: ["updateOnn"] }\n`,
    ),
  );

  it('appear in the Markdown and JSON plans, and still on standard error', async () => {
    const json = await cli(['plan', '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const doc = documentOf(validatePlan, json, 'plan');
    expect(doc.status).toBe('ok');
    expect(doc.problems).toEqual([
      {
        severity: 'warning',
        code: 'policy.unknown-action',
        file: 'hooks.yaml',
        line: 9,
        column: 81,
        path: 'webhooks[1].statements[0].actions[0]',
        message: 'unknown action "updateOnn", did you mean "updateOn"?',
        remedy: 'write updateOn',
      },
    ]);
    const md = await cli(['plan', '--format', 'markdown']);
    expect(md.code).toBe(0);
    expect(md.stdout).toContain('<summary>⚠️ 1 warning</summary>');
    expect(md.stdout).toContain('unknown action &quot;updateOnn&quot;');
    for (const r of [json, md]) expect(r.stderr).toContain('warning: unknown action "updateOnn"');
  });

  it('are kept in a saved plan', async () => {
    const r = await cli(['plan', '--out', 'plan.json', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const saved = JSON.parse(await readFile(path.join(dir, 'plan.json'), 'utf8'));
    expect(saved.problems).toEqual(JSON.parse(r.stdout).problems);
    const applied = await cli(['apply', '--plan', 'plan.json', '--format', 'json']);
    expect(applied.code, applied.stderr).toBe(0);
  });
});

describe('apply --format json', () => {
  const apply = (extra: string[] = [], more: Record<string, string> = {}) =>
    cli(['apply', '--auto-approve', '--format', 'json', ...extra], more);

  it('reports every operation with its outcome and id; stdout holds only the report', async () => {
    emulator.store.put(stored({ name: 'retired' }, 0));
    const r = await apply();
    expect(r.code, r.stderr).toBe(0);
    const doc = documentOf(validateApply, r, 'apply');
    const ids = new Map(emulator.store.all().map((h) => [h.name, h._id]));
    expect(doc).toMatchObject({ status: 'applied', exit_code: 0, error: null });
    expect(doc.operations).toEqual([
      {
        action: 'create',
        name: 'audit',
        id: ids.get('audit'),
        outcome: 'applied',
        error: null,
        already_gone: false,
        repaired: [],
      },
      {
        action: 'delete',
        name: 'retired',
        id: 'c'.repeat(23).concat('1'),
        outcome: 'applied',
        error: null,
        already_gone: false,
        repaired: [],
      },
      {
        action: 'create',
        name: 'slack',
        id: ids.get('slack'),
        outcome: 'applied',
        error: null,
        already_gone: false,
        repaired: [],
      },
    ]);
    expect(doc.summary).toMatchObject({ operations: 3, applied: 3, created: 2, deleted: 1 });
    // A person still reads the progress, on standard error.
    expect(r.stderr).toContain('+ created slack (');
    expect(r.stderr).toContain('Apply complete: 2 created, 0 updated, 1 deleted.');
    expectNothingSecret(r, 'apply');

    const again = await apply();
    expect(documentOf(validateApply, again, 'again')).toMatchObject({
      status: 'applied',
      operations: [],
      summary: { operations: 0 },
    });
  });

  it('reports a failed operation, does the others, and exits 1', async () => {
    emulator.inject({ kind: 'status', status: 400, method: 'POST', count: 1 });
    const r = await apply(['--parallelism', '1']);
    expect(r.code).toBe(1);
    const doc = documentOf(validateApply, r, 'apply');
    expect(doc.status).toBe('incomplete');
    expect(doc.error).toMatchObject({ kind: 'apply', exit_code: 1 });
    expect(doc.operations.map((o: { outcome: string }) => o.outcome)).toEqual([
      'failed',
      'applied',
    ]);
    expect(doc.operations[0].error).toMatch(/^POST \/api\/v2\/webhooks failed: 400 /);
    expect(r.stderr).toContain('Apply incomplete: 1 created, 0 updated, 0 deleted; 1 of 2');
    expectNothingSecret(r, 'apply');
  });

  it('reports a refusal with the operations it skipped, and exits 3', async () => {
    await writeFile(path.join(dir, 'hooks.yaml'), 'version: 1\nwebhooks: []\n');
    for (let i = 0; i < 2; i++) emulator.store.put(stored({ name: `hook-${i}` }, i));
    const r = await apply();
    expect(r.code).toBe(3);
    const doc = documentOf(validateApply, r, 'apply');
    expect(doc).toMatchObject({
      status: 'refused',
      exit_code: 3,
      error: { kind: 'guard', guard: { override: '--allow-delete-all' } },
      summary: { operations: 2, skipped: 2, applied: 0 },
    });
    expect(emulator.store.all()).toHaveLength(2);
  });

  it('reports an invalid config with its problems, and exits 1', async () => {
    const r = await apply([], { SLACK_URL: UNSET });
    expect(r.code).toBe(1);
    const doc = documentOf(validateApply, r, 'apply');
    expect(doc).toMatchObject({
      status: 'invalid',
      error: { kind: 'config' },
      problems: [{ code: 'env.unset', line: 4 }],
      operations: [],
    });
    expect(emulator.requests).toEqual([]);
  });

  it('reports a LaunchDarkly error, and exits 1', async () => {
    const r = await apply([], { LD_ACCESS_TOKEN: 'api-not-the-token-0002' });
    expect(r.code).toBe(1);
    const doc = documentOf(validateApply, r, 'apply');
    expect(doc).toMatchObject({
      status: 'failed',
      error: { kind: 'api', request: { status: 401 } },
    });
    expect(r.stdout).not.toContain('api-not-the-token-0002');
  });

  it('works with a saved plan, and reports a stale one with exit 3', async () => {
    expect((await cli(['plan', '--out', 'plan.json'])).code).toBe(0);
    const r = await cli(['apply', '--plan', 'plan.json', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    expect(documentOf(validateApply, r, 'saved').summary).toMatchObject({ created: 2 });

    await writeFile(path.join(dir, 'hooks.yaml'), CONFIG.replace('/in', '/v2'));
    expect((await cli(['plan', '--out', 'plan2.json'])).code).toBe(0);
    const audit = emulator.store.all().find((h) => h.name === 'audit') as StoredWebhook;
    emulator.store.put({ ...audit, on: false });
    const stale = await cli(['apply', '--plan', 'plan2.json', '--format', 'json']);
    expect(stale.code).toBe(3);
    expect(documentOf(validateApply, stale, 'stale')).toMatchObject({
      status: 'refused',
      exit_code: 3,
      error: { kind: 'stale-plan' },
      // What the reviewed plan would have done, none of it done.
      summary: { operations: 1, skipped: 1, applied: 0 },
      operations: [{ action: 'update', name: 'audit', id: audit._id, outcome: 'skipped' }],
    });
  });

  it('reports an interrupted run with what was not started, and exits 130', async () => {
    const hooks = Array.from(
      { length: 5 },
      (_, i) => `  - { name: hook-${i}, url: "https://h.example.com/${i}" }`,
    );
    await writeFile(path.join(dir, 'hooks.yaml'), `version: 1\nwebhooks:\n${hooks.join('\n')}\n`);
    // Real time only makes the second POST slower; no assertion depends on how long it takes.
    emulator.inject({ kind: 'delay', delayMs: 300, method: 'POST', after: 1 });
    const running = startCliInProcess(
      ['apply', '--auto-approve', '--format', 'json', '--parallelism', '1'],
      { cwd: dir, env: env() },
    );
    await until(() => emulator.requests.filter((q) => q.method === 'POST').length === 2);
    const r = await running.stop('SIGINT');
    expect(r.code).toBe(130);
    const doc = documentOf(validateApply, r, 'interrupted');
    expect(doc).toMatchObject({
      status: 'interrupted',
      exit_code: 130,
      error: { kind: 'interrupted', message: 'stopped by SIGINT' },
      summary: { applied: 2, not_started: 3 },
    });
    expect(r.stderr).toContain('Apply stopped by SIGINT');
  });

  it('asks for --auto-approve or --plan: it shows nothing to say yes to', async () => {
    const r = await runCli(['apply', '--format', 'json'], {
      cwd: dir,
      env: env(),
      isTTY: { stdin: true, stdout: true },
    });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('apply --format json shows no plan to confirm: pass --auto-approve');
    expect(emulator.requests).toEqual([]);
  });
});

describe('--quiet', () => {
  it('plan prints only the summary line', async () => {
    await writeFile(
      path.join(dir, 'hooks.yaml'),
      `${CONFIG}    statements:\n      - { effect: allow, resources: ["*"], actions: ["updateOnn"] }\n`,
    );
    const r = await cli(['plan', '--quiet']);
    expect(r).toEqual({
      code: 0,
      stdout: 'Plan: 2 to create, 0 to update, 0 to delete, 0 unchanged, 0 unmanaged ignored.\n',
      stderr: '',
    });
    const saved = await cli(['plan', '-q', '--out', 'plan.json']);
    expect(saved.stdout).toBe(r.stdout);
    expect(saved.stderr).toContain('Saved the plan to plan.json');
  });

  it('plan still prints errors, on standard error', async () => {
    const r = await cli(['plan', '--quiet'], { HOOK_SECRET: UNSET });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('hooks.yaml:5:13  webhooks[0].secret  environment variable');
  });

  it('apply prints only its summary line', async () => {
    const r = await cli(['apply', '--quiet', '--auto-approve']);
    expect(r).toEqual({
      code: 0,
      stdout: 'Apply complete: 2 created, 0 updated, 0 deleted.\n',
      stderr: '',
    });
    const again = await cli(['apply', '--quiet', '--auto-approve']);
    expect(again.stdout).toBe('No changes. LaunchDarkly matches the configuration.\n');
  });

  it('apply prints failures on standard error', async () => {
    emulator.inject({ kind: 'status', status: 400, method: 'POST', count: 1 });
    const r = await cli(['apply', '--quiet', '--auto-approve', '--parallelism', '1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^! failed to create audit: POST \/api\/v2\/webhooks failed: 400 /m);
    expect(r.stderr).toContain('Apply incomplete: 1 created');
  });

  it.each([
    ['plan', '--format', 'json'],
    ['plan', '--format', 'markdown'],
    ['apply', '--auto-approve', '--format', 'json'],
  ])('is refused with %s %s %s: the document is the whole output', async (...args) => {
    const r = await cli([...args, '--quiet']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--quiet prints only the summary line of the text output');
    expect(emulator.requests).toEqual([]);
  });

  it('apply asks for --auto-approve: it shows no plan to confirm', async () => {
    const r = await runCli(['apply', '--quiet'], {
      cwd: dir,
      env: env(),
      isTTY: { stdin: true, stdout: true },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('apply --quiet shows no plan to confirm');
  });
});

describe('help and schemas', () => {
  it('--help describes --format and --quiet on plan and apply', async () => {
    const plan = await cli(['plan', '--help']);
    expect(plan.stdout).toContain('-q, --quiet');
    expect(plan.stdout).toContain('still prints\nits report on standard output');
    const apply = await cli(['apply', '--help']);
    expect(apply.stdout).toContain('--format <format>');
    expect(apply.stdout).toContain('-q, --quiet');
    expect(apply.stdout).toContain('(choices: "text", "json"');
  });

  it('ldhooks schema --apply prints the published apply schema', async () => {
    const r = await cli(['schema', '--apply']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(await readFile(path.join(ROOT, 'schemas/apply.schema.json'), 'utf8'));
  });
});

describe('the README', () => {
  it('shows plan and apply reports that the published schemas accept', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const docs = [...readme.matchAll(/```json\n([\s\S]*?)```/g)]
      .filter((m) => /"format": "ldhooks-(plan|apply)"/.test(m[1] as string))
      .map((m) => JSON.parse(m[1] as string) as { format?: string; status?: string });
    expect(docs.map((d) => [d.format, d.status])).toEqual([
      ['ldhooks-plan', 'ok'],
      ['ldhooks-plan', 'invalid'],
      ['ldhooks-apply', 'incomplete'],
    ]);
    for (const d of docs)
      expectValid(d.format === 'ldhooks-plan' ? validatePlan : validateApply, d, d.status);
  });
});
