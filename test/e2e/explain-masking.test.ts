import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from '../support/cli.js';

const ENV = { HOOK_NAME: 'pager-from-env-7c1', TEAM: 'team-secret-9d2' };
const CONFIG = `version: 1
webhooks:
  - name: \${HOOK_NAME}
    url: https://a.example.com/in
    statements:
      - effect: allow
        resources: ["proj/*:env/production:flag/*{team:\${TEAM}}"]
        actions: ["*"]
  - name: boolean-flags
    url: https://b.example.com/in
    statements:
      - effect: allow
        resources: ["proj/*:env/production:flag/*{kind:boolean}"]
        actions: ["updateOn"]
  - name: every-flag
    url: https://c.example.com/in
    statements:
      - effect: allow
        resources: ["proj/*:env/production:flag/*"]
        actions: ["*"]
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'ldhooks-explain-'));
  await writeFile(path.join(dir, 'hooks.yaml'), CONFIG);
});

const RESOURCE = ['--resource', 'proj/mobile:env/production:flag/checkout'];
const explain = (args: string[]) =>
  runCli(['explain', ...RESOURCE, ...args], { cwd: dir, env: ENV, offline: true });

function nothingFromTheEnvironment(r: CliResult) {
  for (const value of Object.values(ENV)) expect(r.stdout + r.stderr).not.toContain(value);
}

const SELECTORS = 'ldhooks cannot evaluate {property:value} selectors';

describe('ldhooks explain and {property:value} selectors', () => {
  it('says "may receive, depending on" a selector, and shows names from the environment as templates', async () => {
    const r = await explain(['--action', 'updateOn']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'Event: updateOn on proj/mobile:env/production:flag/checkout',
      '',
      `? \${HOOK_NAME} may receive, depending on {team:\${TEAM}}: the statement that allows it depends on the selector; ${SELECTORS} (webhooks[0].statements[0] at hooks.yaml:6:9)`,
      `? boolean-flags may receive, depending on {kind:boolean}: the statement that allows it depends on the selector; ${SELECTORS} (webhooks[1].statements[0] at hooks.yaml:12:9)`,
      '+ every-flag receives it: allowed (webhooks[2].statements[0] at hooks.yaml:18:9)',
      '',
      '1 of 3 webhooks receive this event; 2 more may, depending on {property:value} selectors ldhooks cannot evaluate.',
      '',
    ]);
    nothingFromTheEnvironment(r);
  });

  it('says the same in JSON', async () => {
    const r = await explain(['--action', 'updateOn', '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(
      doc.webhooks.map((w: Record<string, unknown>) => [
        w.name,
        w.received,
        w.mayReceive,
        w.dependsOn,
      ]),
    ).toEqual([
      ['${HOOK_NAME}', false, true, ['{team:${TEAM}}']],
      ['boolean-flags', false, true, ['{kind:boolean}']],
      ['every-flag', true, false, []],
    ]);
    expect(doc.webhooks[1].reason).toBe(
      `may receive, depending on {kind:boolean}: the statement that allows it depends on the selector; ${SELECTORS}`,
    );
    nothingFromTheEnvironment(r);
  });

  it("with --action '*', lists what each webhook may receive apart from what it receives", async () => {
    const r = await explain(['--action', '*']);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[3]).toBe(
      '? boolean-flags receives 0 of 24: none for certain; may receive 1 more, depending on {kind:boolean}: updateOn',
    );
    expect(lines[2]).toMatch(
      /^\? \$\{HOOK_NAME\} receives 0 of 24: none for certain; may receive 24 more, depending on \{team:\$\{TEAM\}\}: /,
    );
    expect(lines[4]).toBe('+ every-flag receives 24 of 24: all');
    nothingFromTheEnvironment(r);

    const json = await explain(['--action', '*', '--format', 'json']);
    expect(json.code, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout);
    expect(doc.webhooks[0]).toMatchObject({
      name: '${HOOK_NAME}',
      received: [],
      dependsOn: ['{team:${TEAM}}'],
    });
    nothingFromTheEnvironment(json);
  });
});

describe('ldhooks explain shows the query as typed', () => {
  const QUERY_ENV = { ...ENV, SHORT: 'x', HOOK_SECRET: 'whsec-typed-1e9f' };
  const QUERY_CONFIG = `${CONFIG}  - name: signed
    url: https://d.example.com/in
    secret: \${HOOK_SECRET}
    tags: ["\${SHORT}"]
`;
  let queryDir: string;
  beforeAll(async () => {
    queryDir = await mkdtemp(path.join(tmpdir(), 'ldhooks-explain-query-'));
    await writeFile(path.join(queryDir, 'hooks.yaml'), QUERY_CONFIG);
  });
  const query = (args: string[]) =>
    runCli(['explain', ...args], { cwd: queryDir, env: QUERY_ENV, offline: true });

  it('echoes --resource, --action and --tag as given, though a word of them equals a value of the environment', async () => {
    const r = await query([
      '--resource',
      'member/x',
      '--action',
      'updateRole',
      '--tag',
      'member=x',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Event: updateRole on member/x (tags: member=x)');
    // What the config read from the environment stays masked.
    expect(r.stdout).toContain('${HOOK_NAME}');
    expect(r.stdout).not.toContain(ENV.HOOK_NAME);
    const json = await query([
      '--resource',
      'member/x',
      '--action',
      'updateRole',
      '--format',
      'json',
    ]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      format: 'ldhooks-explain',
      format_version: 1,
      ldhooks_version: expect.any(String),
      resource: 'member/x',
      action: 'updateRole',
    });
  });

  it('never echoes a declared secret, even typed into the query', async () => {
    const r = await query([
      '--resource',
      `member/${QUERY_ENV.HOOK_SECRET}`,
      '--action',
      'updateRole',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Event: updateRole on member/(sensitive)');
    expect(r.stdout + r.stderr).not.toContain(QUERY_ENV.HOOK_SECRET);
  });

  it('warns of a resource kind it does not know, with the closest', async () => {
    const r = await query([
      '--resource',
      'proj/p:env/production:flg/checkout',
      '--action',
      'updateOn',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      'warning: --resource proj/p:env/production:flg/checkout: unknown resource kind "flg" at column 23, did you mean "flag"? (write flag/...)\n',
    );
  });
});
