import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { type Emulator, type FaultSpec, startEmulator } from '../../src/adapters/emulator/index.js';
import { type CliResult, runCli } from '../support/cli.js';

const SECRET = 'trust-secret-5d2c8e';
const SLACK_URL = 'https://hooks.example.com/services/TOKEN-77c1/x';
const PROJ = 'projkey-q4w8';
const TOKEN = 'api-trust-token-91af';

let emulator: Emulator;
let dir: string;

beforeEach(async () => {
  emulator = await startEmulator({ token: TOKEN });
  dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-trust-'));
});
afterEach(async () => {
  await emulator.close();
});

const env = (extra: Record<string, string> = {}) => ({
  LD_BASE_URI: emulator.url,
  LD_ACCESS_TOKEN: TOKEN,
  HOOK_SECRET: SECRET,
  SLACK_URL,
  PROJ,
  ...extra,
});

const cli = (args: string[], extra: Record<string, string> = {}) =>
  runCli(args, { cwd: dir, env: env(extra) });

const CONFIG = `version: 1
webhooks:
  - name: slack
    url: \${SLACK_URL}
    secret: \${HOOK_SECRET}
    statements:
      - { effect: allow, resources: ["proj/\${PROJ}:env/production:flag/*"], actions: ["*"] }
  - name: audit
    url: https://audit.example.com/in
    sign: true
`;

const UNSIGNED = CONFIG.replace('sign: true', 'sign: false');
/** The same, with slack turned off: one PATCH, carrying nothing sensitive of its own. */
const CHANGED = UNSIGNED.replace(
  '    url: ${SLACK_URL}\n',
  '    url: ${SLACK_URL}\n    on: false\n',
);

async function config(yaml = CONFIG) {
  await writeFile(path.join(dir, 'hooks.yaml'), yaml);
}

/** Every value that must never be printed, the generated and live secrets included. */
function sensitive(): string[] {
  const generated = emulator.requests.flatMap((r) =>
    Array.isArray(r.body)
      ? (r.body as { path?: string; value?: unknown }[])
          .filter((op) => op.path === '/secret' && typeof op.value === 'string' && op.value !== '')
          .map((op) => op.value as string)
      : [],
  );
  const live = emulator.store.all().flatMap((h) => (h.secret ? [h.secret] : []));
  return [TOKEN, SECRET, SLACK_URL, 'TOKEN-77c1', PROJ, ...generated, ...live];
}

function expectNothingSecret(...results: CliResult[]) {
  const values = sensitive();
  for (const r of results) {
    for (const value of values) {
      expect(r.stdout, `stdout holds ${value}`).not.toContain(value);
      expect(r.stderr, `stderr holds ${value}`).not.toContain(value);
    }
    // biome-ignore lint/suspicious/noControlCharactersInRegex: none may reach the terminal
    expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  }
}

const echo = (over: Partial<FaultSpec>): FaultSpec => ({ kind: 'echo', ...over });

describe('nothing secret is ever printed, whatever the server says', () => {
  it('on every error path of plan and apply, in JSON, text and HTML, wherever the cut falls', async () => {
    // Only slack, so that every value the server holds lies within reach of the cuts; and no
    // secret LaunchDarkly generates: a run that has not listed the webhooks yet cannot know one
    // (the next test has one, sent in a PATCH).
    const slackOnly = CONFIG.slice(0, CONFIG.indexOf('  - name: audit'));
    await config(slackOnly);
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    // Now LaunchDarkly holds the URL, the secret and the project key.
    await config(
      slackOnly.replace('    url: ${SLACK_URL}\n', '    url: ${SLACK_URL}\n    on: false\n'),
    );
    const results: CliResult[] = [];
    // What the echo of a GET says before its filler: the token, no body, every webhook held.
    const said = `token ${TOKEN} body  held ${JSON.stringify(emulator.store.all())}`;
    // Each value, and how much of its start would show if the text were cut before redaction.
    const values: [string, number][] = [
      [TOKEN, 10],
      [SECRET, 10],
      [PROJ, 8],
      [SLACK_URL, 30],
    ];
    // Where each format cuts what it shows: message 300, id 100, code 64; an HTML page's text
    // comes after "an HTML page: ".
    const cuts = { json: [300, 100, 64], text: [300], html: [300 - 'an HTML page: '.length] };
    let tried = 0;
    for (const format of ['json', 'text', 'html'] as const) {
      for (const [value, depth] of values) {
        for (const cut of cuts[format]) {
          const pad = cut - said.indexOf(value) - depth;
          if (pad < 0) continue;
          tried += 1;
          emulator.inject(echo({ method: 'GET', format, pad, status: 400 }));
          const planned = await cli(['plan']);
          expect(planned.code).toBe(1);
          expect(planned.stderr, `${format}, cut ${cut}`).not.toContain(value.slice(0, depth));
          results.push(planned);
        }
      }
      // 5xx until the retries are spent.
      emulator.inject(echo({ method: 'GET', format, status: 503, count: 5 }));
      results.push(await cli(['plan']));
      // Each write answered with everything the server knows: the PATCH and its values.
      emulator.inject(echo({ method: 'PATCH', format, count: 2 }));
      const applied = await cli(['apply', '--auto-approve']);
      expect(applied.code).toBe(1);
      expect(applied.stderr).toContain('Apply incomplete');
      results.push(applied);
    }
    expect(results.some((r) => r.stderr.includes('(access token)'))).toBe(true);
    expect(results.some((r) => r.stderr.includes('${SLACK_URL}'))).toBe(true);
    expect(results.some((r) => r.stderr.includes('${PROJ}'))).toBe(true);
    // Each value at every cut it reaches, in each format (the token at all three JSON cuts).
    expect(tried).toBe(4 * 3 + 2);
    expectNothingSecret(...results);
  });

  it('on POST and DELETE, and for a generated secret the server repeats', async () => {
    await config();
    emulator.inject(echo({ method: 'POST', count: 2 }));
    const created = await cli(['apply', '--auto-approve']);
    expect(created.code).toBe(1);
    expect(created.stderr).toContain('failed to create slack: POST /api/v2/webhooks failed: 400');
    // audit exists unsigned: signing it generates a secret, and the PATCH is repeated back.
    emulator.store.put({
      _id: 'a'.repeat(24),
      name: 'audit',
      url: 'https://audit.example.com/in',
      on: true,
      tags: ['managed-by-ldhooks'],
    });
    emulator.store.put({
      _id: 'b'.repeat(24),
      name: 'old',
      url: SLACK_URL,
      secret: 'old-live-secret-31',
      on: true,
      tags: ['managed-by-ldhooks'],
    });
    emulator.clearFaults();
    emulator.inject(echo({ method: 'PATCH', pad: 290 }));
    emulator.inject(echo({ method: 'DELETE', format: 'html' }));
    const applied = await cli([
      'apply',
      '--auto-approve',
      '--allow-delete-all',
      '--max-delete-percent',
      '100',
    ]);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain('failed to update audit');
    expect(applied.stderr).toContain('failed to delete old');
    expect(emulator.requests.some((r) => r.method === 'PATCH')).toBe(true);
    expectNothingSecret(created, applied);
  });

  it('under apply --plan, before the plan is known again', async () => {
    await config(UNSIGNED);
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    await config(CHANGED);
    expect((await cli(['plan', '--out', 'p.json'])).code).toBe(0);
    emulator.inject(echo({ method: 'GET', format: 'text' }));
    const listed = await cli(['apply', '--plan', 'p.json']);
    expect(listed.code).toBe(1);
    expect(listed.stderr).toContain('GET /api/v2/webhooks failed: 400');
    emulator.inject(echo({ method: 'PATCH' }));
    const patched = await cli(['apply', '--plan', 'p.json']);
    expect(patched.code).toBe(1);
    expect(patched.stderr).toContain('failed to update slack');
    expectNothingSecret(listed, patched);
  });

  it('refuses a token with a line break before any request, never echoing it', async () => {
    await config();
    const r = await cli(['plan'], { LD_ACCESS_TOKEN: 'api-abcSECRET\nX' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the access token holds a character that cannot be sent');
    expect(r.stderr).not.toContain('abcSECRET');
    expect(emulator.requests).toEqual([]);
  });

  it('scrubs a token of three characters', async () => {
    await emulator.close();
    emulator = await startEmulator({ token: 'Zq7' });
    await config();
    emulator.inject(echo({ method: 'GET' }));
    const r = await cli(['plan'], { LD_ACCESS_TOKEN: 'Zq7', LD_BASE_URI: emulator.url });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('token (access token) body');
    expect(r.stderr).not.toContain('Zq7');
  });
});

describe('a hostile or odd server cannot steer, hang or crash ldhooks', () => {
  async function other() {
    const o = await startEmulator({ token: TOKEN });
    onTestFinished(() => o.close());
    o.store.put({ _id: 'e'.repeat(24), name: 'x', url: 'https://x.example', on: true, tags: [] });
    return o;
  }

  it('never plans against, nor sends a secret to, the server a redirect names', async () => {
    const elsewhere = await other();
    await config();
    emulator.inject({
      kind: 'redirect',
      method: 'GET',
      location: `${elsewhere.url}/api/v2/webhooks?x=1`,
    });
    const planned = await cli(['plan']);
    expect(planned.code).toBe(1);
    expect(planned.stderr).toContain(
      `error: GET /api/v2/webhooks failed: 302: a redirect to ${elsewhere.url}, not followed`,
    );
    emulator.inject({
      kind: 'redirect',
      method: 'POST',
      status: 307,
      location: elsewhere.url,
      count: 2,
    });
    const applied = await cli(['apply', '--auto-approve']);
    expect(applied.code).toBe(1);
    expect(applied.stderr).toContain(`307: a redirect to ${elsewhere.url}, not followed`);
    expect(elsewhere.requests).toEqual([]);
    expect(emulator.store.all()).toEqual([]);
  });

  it('stops a list that never ends', async () => {
    await config();
    emulator.inject({ kind: 'paginate', method: 'GET', count: 1_000_000 });
    const r = await cli(['plan']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the list goes on past 1000 pages');
    expect(emulator.counts()).toEqual({ GET: 1000 });
  });

  it('refuses a webhook it cannot read, by id, and reads null names as none', async () => {
    await config();
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    const ids = emulator.store.all().map((h) => h._id);
    emulator.inject({ kind: 'odd', method: 'GET', fields: { statements: [null] } });
    const odd = await cli(['plan']);
    expect(odd.code).toBe(1);
    expect(odd.stderr).toMatch(/webhook [0-9a-f]{24}: statements\[0\] is not an object/);
    expect(odd.stderr).not.toContain('Cannot read properties');
    // Both managed webhooks without a name: two deletions, not two webhooks it cannot tell apart.
    emulator.inject({ kind: 'odd', method: 'GET', fields: { name: null } });
    const nameless = await cli(['plan', '--max-delete-percent', '100']);
    expect(nameless.code).toBe(0);
    for (const id of ids) expect(nameless.stdout).toContain(`- (unnamed) (${id}) will be deleted`);
    expect(nameless.stdout).toContain('Plan: 2 to create, 0 to update, 2 to delete');
  });

  it('takes a webhook listed twice as one, and empty statement lists as none: no changes', async () => {
    await config();
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    const slack = emulator.store.all().find((h) => h.name === 'slack');
    emulator.store.put({
      ...(slack as NonNullable<typeof slack>),
      statements: [
        {
          effect: 'allow',
          resources: [`proj/${PROJ}:env/production:flag/*`],
          notResources: [],
          actions: ['*'],
          notActions: null,
        },
      ],
    });
    emulator.inject({ kind: 'duplicate', method: 'GET' });
    const r = await cli(['plan', '--detailed-exitcode']);
    expect(r.stdout).toBe('No changes. LaunchDarkly matches the configuration.\n');
    expect(r.code).toBe(0);
  });

  it('shows names with control characters escaped: no forged lines, rows or escapes', async () => {
    const evil = 'evil\n+ forged will be created\u001b[2J\u009b31m\r| x | y |';
    emulator.store.put({
      _id: 'c'.repeat(24),
      name: evil,
      url: 'https://evil.example',
      on: true,
      tags: ['managed-by-ldhooks'],
    });
    await config(`version: 1\nwebhooks:\n  - { name: "new\\none", url: "https://n.example" }\n`);
    const text = await cli(['plan', '--max-delete-percent', '100']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(
      `- evil\\n+ forged will be created\\u001b[2J\\u009b31m\\r| x | y | (${'c'.repeat(24)}) will be deleted`,
    );
    expect(text.stdout).toContain('+ new\\none will be created');
    expect(text.stdout).not.toMatch(/^\+ forged/m);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: none may reach the terminal
    expect(text.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);

    const md = await cli(['plan', '--format', 'markdown', '--max-delete-percent', '100']);
    const rows = md.stdout.split('\n').filter((l) => l.startsWith('| '));
    expect(rows).toHaveLength(3); // the header and one row per change
    expect(md.stdout.match(/<summary>/g)).toHaveLength(2);
    expect(md.stdout.match(/^\*\*Plan: /gm)).toHaveLength(1);
    expect(md.stdout).toContain(
      '<code>evil&#92;n+ forged will be created&#92;u001b&#91;2J&#92;u009b31m&#92;r&#124; x &#124; y &#124;</code>',
    );

    const applied = await cli(['apply', '--auto-approve', '--max-delete-percent', '100']);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain(`- deleted evil\\n+ forged will be created`);
    expect(applied.stdout).not.toMatch(/^\+ forged/m);
  });

  it('takes a first DELETE answered 404 as done, and says the webhook was gone already', async () => {
    emulator.store.put({
      _id: 'd'.repeat(24),
      name: 'gone',
      url: 'https://gone.example',
      on: true,
      tags: ['managed-by-ldhooks'],
    });
    await config();
    emulator.inject({ kind: 'status', method: 'DELETE', status: 404 });
    const r = await cli(['apply', '--auto-approve', '--max-delete-percent', '100']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('- deleted gone (dddddddd…): it was gone already');
    expect(r.stdout).toContain('Apply complete: 2 created, 0 updated, 1 deleted.');
  });

  it('turns signing off with the empty secret, and the next plan finds no change', async () => {
    await config();
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    await config(CONFIG.replace('sign: true', 'sign: false'));
    emulator.resetLog();
    expect((await cli(['apply', '--auto-approve'])).code).toBe(0);
    expect(emulator.requests.find((r) => r.method === 'PATCH')?.body).toEqual([
      { op: 'replace', path: '/secret', value: '' },
    ]);
    expect(emulator.store.all().find((h) => h.name === 'audit')?.secret).toBeUndefined();
    expect((await cli(['plan', '--detailed-exitcode'])).code).toBe(0);
  });
});
