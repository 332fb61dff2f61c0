import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/adapters/emulator/index.js';
import { runCli } from '../support/cli.js';

// Masking hides values, never structure (README, "What is never printed"). Short environment
// values (E_P=e, E_TAG=t, PROJ=web) are letters found in every word ldhooks prints: each shows
// as its template where it is the whole value or part of a value read from the environment, and
// nowhere else; a long one (MOBILE) is masked inside a literal value too.

const SECRET = 'structure-secret-9f2c';
const MOBILE = 'acme-mobile-7';
const ENV = { E_P: 'e', E_TAG: 't', PROJ: 'web', MOBILE, HOOK_SECRET: SECRET };

const CONFIG = `version: 1
webhooks:
  - name: web-alerts
    url: https://hooks.example.com/webhooks/in
    secret: \${HOOK_SECRET}
    tags: [prod, "\${E_TAG}"]
    statements:
      - effect: allow
        resources: ["proj/\${E_P}:env/production:flag/*", "proj/\${PROJ}:env/test", "proj/\${MOBILE}:env/production"]
        actions: [updateOn, createFlag]
      - effect: deny
        resources: ["proj/${MOBILE}:env/test"] # written out: the value of MOBILE, literally
        actions: ["*"]
`;

/** Every template a plan of CONFIG may show: the values from the environment, and no other. */
const TEMPLATES = [
  'proj/${E_P}:env/production:flag/*',
  'proj/${PROJ}:env/test',
  'proj/${MOBILE}:env/production',
  // Written in the file, but holding a long environment value: masked all the same.
  'proj/${MOBILE}:env/test',
  '${E_TAG}',
];

/** The text without the expected templates: what is left must hold none. */
const withoutTemplates = (out: string) =>
  TEMPLATES.reduce((rest, t) => rest.split(t).join(''), out);

/** The patch an update of the live webhook below sends, ldhooks' words as they are. */
const OPS = [
  ['replace', '/url'],
  ['replace', '/tags'],
  ['replace', '/statements'],
];

let emulator: Emulator;
let dir: string;
beforeEach(async () => {
  emulator = await startEmulator();
  dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-structure-'));
  await writeFile(path.join(dir, 'hooks.yaml'), CONFIG);
  emulator.store.put({
    _id: 'a'.repeat(24),
    name: 'web-alerts',
    url: 'https://hooks.example.com/webhooks/old',
    on: true,
    secret: SECRET,
    tags: ['managed-by-ldhooks', 'prod'],
    statements: [
      { effect: 'allow', resources: ['proj/x:env/production:flag/*'], actions: ['updateOn'] },
    ],
  });
  emulator.store.put({
    _id: 'b'.repeat(24),
    name: 'web-dashboard',
    url: 'https://dash.example.com/webhooks',
    on: true,
    tags: [],
  });
});
afterEach(() => emulator.close());

const cli = (args: string[]) =>
  runCli(args, {
    cwd: dir,
    env: { LD_BASE_URI: emulator.url, LD_ACCESS_TOKEN: emulator.token, ...ENV },
  });

async function plan(format: 'text' | 'markdown' | 'json') {
  const r = await cli([
    'plan',
    '--format',
    format,
    ...(format === 'text' ? ['--show-unmanaged'] : []),
  ]);
  expect(r.code).toBe(0);
  return r.stdout;
}

/** What every format must show as written: ldhooks' own words and the literal values. */
function expectStructure(out: string) {
  expect(withoutTemplates(out)).not.toContain('${');
  expect(out).toContain('web-alerts');
  expect(out).toContain('https://hooks.example.com/webhooks/in');
  expect(out).toContain('updateOn');
  expect(out).toContain('createFlag');
  for (const t of TEMPLATES) expect(out).toContain(t);
  expect(out).not.toContain(SECRET);
  expect(out).not.toContain(MOBILE);
}

describe('masking short environment values keeps the structure of the plan', () => {
  it('text', async () => {
    const out = await plan('text');
    expectStructure(out);
    expect(out).toContain('~ web-alerts (');
    // The live URL shows only its origin, as every live URL that is not the declared one.
    expect(out).toContain(
      '~ url: "https://hooks.example.com/…" -> "https://hooks.example.com/webhooks/in"',
    );
    expect(out).toContain('  web-dashboard (');
  });

  it('markdown', async () => {
    const out = await plan('markdown');
    expectStructure(out);
  });

  it('json: keys, patch op and path, actions and field names as ldhooks writes them', async () => {
    const out = await plan('json');
    expectStructure(out);
    const json = JSON.parse(out);
    const [change] = json.changes;
    expect(change.name).toBe('web-alerts');
    expect(change.actions).toEqual(['update']);
    expect(change.fields.map((f: { field: string }) => f.field)).toEqual([
      'url',
      'tags',
      'statements',
    ]);
    expect(change.patch.map((p: { op: string; path: string }) => [p.op, p.path])).toEqual(OPS);
    expect(change.patch[0].value).toBe('https://hooks.example.com/webhooks/in');
    expect(change.patch_sensitive).toEqual([
      false,
      // What is sent: sorted by real value, with the owner tag.
      { value: [false, false, true] },
      { value: [{ resources: [true, true, true] }, { resources: [true] }] },
    ]);
    expect(json.owner_tags).toEqual(['managed-by-ldhooks']);
    expect(json.unmanaged.map((u: { name: string }) => u.name)).toEqual(['web-dashboard']);
    expect(out).toContain('"op": "replace"');
    expect(out).toContain('"path": "/tags"');
  });

  it('saved plan: as the JSON plan, and apply sends what it shows', async () => {
    const planned = await cli(['plan', '--out', 'plan.json']);
    expect(planned.code).toBe(0);
    const text = await readFile(path.join(dir, 'plan.json'), 'utf8');
    // The saved section also names where the secret comes from.
    expectStructure(text.split('"secret_template": "${HOOK_SECRET}"').join(''));
    const file = JSON.parse(text);
    const shown = file.changes[0].patch;
    expect(shown.map((p: { op: string; path: string }) => [p.op, p.path])).toEqual(OPS);
    expect(file.saved.desired[0].webhook.name).toBe('web-alerts');
    expect(file.saved.desired[0].webhook.url).toBe('https://hooks.example.com/webhooks/in');

    emulator.resetLog();
    const applied = await cli(['apply', '--plan', 'plan.json']);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(withoutTemplates(applied.stdout)).not.toContain('${');
    expect(applied.stdout).toContain('~ updated web-alerts (');
    const patches = emulator.requests.filter((q) => q.method === 'PATCH');
    expect(patches).toHaveLength(1);
    const sent = patches[0]?.body as { op: string; path: string; value: unknown }[];
    // The same operations in the same order; each value as shown, or what its template gives.
    expect(sent.map((p) => [p.op, p.path])).toEqual(OPS);
    expect(sent[0]?.value).toBe(shown[0].value);
    expect(sent[1]?.value).toEqual(['managed-by-ldhooks', 'prod', 't']);
    expect(sent[2]?.value).toEqual([
      {
        effect: 'allow',
        resources: [
          'proj/acme-mobile-7:env/production',
          'proj/e:env/production:flag/*',
          'proj/web:env/test',
        ],
        actions: ['createFlag', 'updateOn'],
      },
      { effect: 'deny', resources: ['proj/acme-mobile-7:env/test'], actions: ['*'] },
    ]);
  });
});
